import type * as Zod from 'zod';
import type { ConfigIssue } from './types';
import { dotted, type NodePlace, type Position } from './yaml-source';

type Issue = Zod.core.$ZodIssue;

/** How a value reads in a message: strings quoted, mappings and lists named. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
};

/** A per-parse zod error map: the "expected" text of checks that do not carry their own. */
export function expectedText(issue: Zod.core.$ZodRawIssue): string {
  if (issue.code === 'invalid_type') return TYPE_NAMES[issue.expected] ?? issue.expected;
  if (issue.code === 'too_small') return `a value >= ${issue.minimum}`;
  if (issue.code === 'too_big') return `a value <= ${issue.maximum}`;
  if (issue.code === 'invalid_value') return `one of ${issue.values.join(', ')}`;
  return 'a valid value';
}

/** "did you mean" when a candidate is close enough to be a typo. */
export function didYouMean(input: unknown, candidates: readonly string[]): string | undefined {
  if (typeof input !== 'string' || candidates.length === 0) return undefined;
  // Only needed when something is wrong: kept off the start-up path.
  const { closest, distance } =
    require('fastest-levenshtein') as typeof import('fastest-levenshtein');
  const best = closest(input, candidates as string[]);
  const prefix = input.startsWith(best) || best.startsWith(input);
  return prefix || distance(input, best) <= Math.max(2, Math.floor(best.length / 3))
    ? best
    : undefined;
}

// A union where every branch but one failed on the value's type: the value meant that branch.
function unionBranch(issue: Issue & { code: 'invalid_union' }): Issue[] | undefined {
  const meant = issue.errors.filter(
    (branch) => !branch.some((i) => i.code === 'invalid_type' && i.path.length === 0),
  );
  return meant.length === 1
    ? meant[0].map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as Issue)
    : undefined;
}

/** Context for mapping zod issues: where nodes are and which keys an object accepts. */
export interface IssueContext {
  file: string;
  places: Map<string, NodePlace>;
  keysAt: (path: readonly PropertyKey[]) => string[];
}

function locate(ctx: IssueContext, path: readonly PropertyKey[], which: 'key' | 'value'): Position {
  for (let n = path.length; n > 0; n--) {
    const place = ctx.places.get(dotted(path.slice(0, n)));
    if (place) return n === path.length ? place[which] : place.value;
  }
  return { line: 1, col: 1 };
}

/** Turn zod issues into Strata issues, one per problem, each placed at its key or value. */
export function fromZodIssues(issues: readonly Issue[], ctx: IssueContext): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'invalid_union') {
      const branch = unionBranch(issue);
      if (branch) {
        out.push(...fromZodIssues(branch, ctx));
        continue;
      }
    }
    if (issue.code === 'unrecognized_keys') {
      const valid = ctx.keysAt(issue.path);
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        const guess = didYouMean(key, valid);
        const hint = guess ? `did you mean "${guess}"?` : undefined;
        const detail = `${hint ? `${hint} ` : ''}(valid: ${valid.join(', ')})`;
        out.push({
          file: ctx.file,
          ...locate(ctx, path, 'key'),
          path: dotted(path),
          value: key,
          expected: `one of ${valid.join(', ')}`,
          message: `unknown key — ${detail}`,
          hint,
        });
      }
      continue;
    }
    const value = issue.input;
    const expected = issue.message;
    // Scalars are quoted back; a mapping or list where a scalar belongs reads "found a mapping".
    const is = (tail: string) =>
      typeof value === 'object' && value !== null
        ? `found ${show(value)}`
        : `${show(value)} ${tail}`;
    let problem = is('is not valid');
    let hint: string | undefined;
    if (issue.code === 'invalid_type')
      problem =
        value === undefined
          ? 'missing'
          : value === null
            ? 'empty'
            : is(`is ${TYPE_NAMES[typeOf(value)] ?? typeOf(value)}`);
    if (issue.code === 'too_big' || issue.code === 'too_small') problem = is('is out of range');
    if (issue.code === 'too_small' && issue.origin === 'string')
      problem = value === '' ? 'empty' : is('is too short');
    if (issue.code === 'invalid_value') {
      problem = is('is not allowed');
      const guess = didYouMean(value, issue.values.map(String));
      if (guess) hint = `did you mean "${guess}"?`;
      if (value === 'grpc') hint = 'gRPC export is not supported; use http/protobuf on port 4318';
    }
    if (issue.code === 'custom' && typeof issue.params?.problem === 'string')
      problem = issue.params.problem;
    const message = `${problem} — expected ${expected}${hint ? ` (${hint})` : ''}`;
    out.push({
      file: ctx.file,
      ...locate(ctx, issue.path, 'value'),
      path: dotted(issue.path),
      value,
      expected,
      message,
      hint,
    });
  }
  return out;
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value;
}
