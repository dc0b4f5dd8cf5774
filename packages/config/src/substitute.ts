/** The outcome of `${VAR}` substitution in one string. */
export type Substitution =
  | { ok: true; value: string; changed: boolean; vars: string[] }
  | { ok: false; offset: number; problem: string; expected: string; variable?: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replace `${VAR}` and `${VAR:-default}` (default when unset or empty, as in the shell);
 * `$${` is a literal `${`. A `$` not followed by `{` is kept as written.
 */
export function substitute(text: string, env: NodeJS.ProcessEnv): Substitution {
  let out = '';
  let changed = false;
  const vars: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      out += '${';
      i += 3;
      changed = true;
      continue;
    }
    if (!text.startsWith('${', i)) {
      out += text[i];
      i += 1;
      continue;
    }
    const end = text.indexOf('}', i + 2);
    if (end < 0)
      return {
        ok: false,
        offset: i,
        problem: `unterminated "\${" in ${JSON.stringify(text)}`,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the message shows the ${VAR} syntax.
        expected: '${VAR} or ${VAR:-default} (write $${ for a literal ${)',
      };
    const body = text.slice(i + 2, end);
    const sep = body.indexOf(':-');
    const name = sep < 0 ? body : body.slice(0, sep);
    if (!NAME.test(name))
      return {
        ok: false,
        offset: i,
        problem: `"\${${body}}" is not a variable reference`,
        expected: 'a variable name of letters, digits and _ (not starting with a digit)',
      };
    const value = env[name];
    if (value !== undefined && (value !== '' || sep < 0)) out += value;
    else if (sep >= 0) out += body.slice(sep + 2);
    else
      return {
        ok: false,
        offset: i,
        variable: name,
        problem: `environment variable ${name} is not set`,
        expected: `${name} set, or a default: \${${name}:-value}`,
      };
    vars.push(name);
    changed = true;
    i = end + 1;
  }
  return { ok: true, value: out, changed, vars };
}

const NUMBER = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BOOLEAN = /^(true|True|TRUE|false|False|FALSE)$/;

/**
 * Type a substituted plain scalar the way YAML 1.2 would have typed the text (numbers and
 * booleans), so `baseline: ${RATE:-0.5}` reads 0.5. Quoted scalars stay strings.
 */
export function retype(value: string): string | number | boolean {
  if (NUMBER.test(value)) return Number(value);
  if (BOOLEAN.test(value)) return value.toLowerCase() === 'true';
  return value;
}
