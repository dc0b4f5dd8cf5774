import type { Document, Node, Scalar } from 'yaml';
import { yamlModule } from './lazy';
import { retype, substitute } from './substitute';
import type { ConfigIssue } from './types';

/** A 1-based position in the file. */
export interface Position {
  line: number;
  col: number;
}

/** Where a key and its value are written. */
export interface NodePlace {
  key: Position;
  value: Position;
  /** The value is a scalar (so keys below it in the effective config come from it). */
  scalar: boolean;
}

/** strata.yaml read into plain data with the position of every key, `${VAR}` substituted. */
export interface YamlSource {
  data: unknown;
  places: Map<string, NodePlace>;
  issues: ConfigIssue[];
}

/** Dotted form of a key path (the key of `places`). */
export const dotted = (path: readonly PropertyKey[]): string => path.map(String).join('.');

/** Parse YAML text: syntax errors and `${VAR}` problems become issues with their line and column. */
export function readYaml(text: string, file: string, env: NodeJS.ProcessEnv): YamlSource {
  const yaml = yamlModule();
  const lines = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true });
  const places = new Map<string, NodePlace>();
  const at = (offset: number): Position => lines.linePos(offset);
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((error): ConfigIssue => {
      const { line, col } = at(error.pos[0]);
      const message = `YAML syntax error: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`;
      return { file, line, col, path: '', value: undefined, expected: 'valid YAML', message };
    });
    return { data: undefined, places, issues };
  }
  const issues: ConfigIssue[] = [];
  const visit = (node: unknown, path: string[]): void => {
    if (yaml.isMap(node) || yaml.isSeq(node)) {
      node.items.forEach((item, index) => {
        const pair = yaml.isPair(item) ? item : undefined;
        const key = pair
          ? String(yaml.isScalar(pair.key) ? pair.key.value : pair.key)
          : String(index);
        const keyNode = (pair ? pair.key : item) as Node | null;
        const valueNode = (pair ? pair.value : item) as Node | null;
        const keyPos = at(keyNode?.range?.[0] ?? node.range?.[0] ?? 0);
        const valuePos = valueNode?.range ? at(valueNode.range[0]) : keyPos;
        // `key:` with no value reads as not set (see dropNullKeys), so it is no source either.
        const unset =
          pair && (valueNode === null || (yaml.isScalar(valueNode) && valueNode.value === null));
        if (!unset)
          places.set(dotted([...path, key]), {
            key: keyPos,
            value: valuePos,
            scalar: !(yaml.isMap(valueNode) || yaml.isSeq(valueNode)),
          });
        visit(valueNode, [...path, key]);
      });
    } else if (yaml.isScalar(node) && typeof node.value === 'string') {
      substituteScalar(node, path, file, env, at, issues);
    }
  };
  visit(doc.contents, []);
  return { data: (doc as Document).toJS() ?? {}, places, issues };
}

function substituteScalar(
  node: Scalar,
  path: string[],
  file: string,
  env: NodeJS.ProcessEnv,
  at: (offset: number) => Position,
  issues: ConfigIssue[],
): void {
  const raw = node.value as string;
  const result = substitute(raw, env);
  if (result.ok) {
    if (result.changed)
      node.value =
        node.type === 'PLAIN' && raw.includes('${') ? retype(result.value) : result.value;
    return;
  }
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
  // Exact for single-line scalars, which is where references are written.
  const { line, col } = at((node.range?.[0] ?? 0) + quoted + result.offset);
  const hint = result.variable
    ? `set ${result.variable} or write \${${result.variable}:-default}`
    : undefined;
  issues.push({
    file,
    line,
    col,
    path: dotted(path),
    value: raw,
    expected: result.expected,
    message: `${result.problem} — expected ${result.expected}`,
    hint,
  });
}
