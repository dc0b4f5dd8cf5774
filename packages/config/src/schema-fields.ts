import type * as Zod from 'zod';
import { zodModule } from './lazy';
import { CUSTOM_LAYER_PATTERN, LAYER_NAMES } from './names';
import { readDuration, readRate, readSize, type UnitResult } from './units';

/** JSON Schema of the human forms, attached to field schemas for `toJsonSchema`. */
export const jsonForms = new WeakMap<object, Record<string, unknown>>();

/** A string that still holds `${VAR}`: editors must accept it anywhere a value goes. */
export const ENV_REF_JSON = {
  type: 'string',
  pattern: '\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}',
};

const number = { type: 'number', minimum: 0 };

/** Field builders over the lazily loaded zod. */
export function fieldBuilders() {
  const z: typeof Zod = zodModule();

  // A value read by a unit parser; the parser's "expected" text is the issue message.
  const human = (read: (v: unknown) => UnitResult, description: string, pattern: string) => {
    const input = z.unknown().describe(description);
    jsonForms.set(input, { anyOf: [number, { type: 'string', pattern }, ENV_REF_JSON] });
    return input.transform((value, ctx) => {
      const result = read(value);
      if (result.ok) return result.value;
      ctx.addIssue({
        code: 'custom',
        message: result.expected,
        input: value,
        params: { problem: result.problem },
      });
      return z.NEVER;
    });
  };

  const num = (
    description: string,
    expected: string,
    min: number,
    max = Number.MAX_SAFE_INTEGER,
    int = false,
  ) => {
    const base = z.number({ error: expected });
    return (int ? base.int({ error: expected }) : base)
      .min(min, { error: expected })
      .max(max, { error: expected })
      .describe(description);
  };

  return {
    z,
    // `true` means "on, with the defaults": `on` normalises it to an empty mapping the defaults fill.
    onOff: <T extends Zod.core.$ZodLooseShape>(shape: T) =>
      z.union([z.boolean(), z.strictObject(shape)], { error: 'false, true or a mapping' }),
    on: <T>(value: T) => (value === true ? {} : value) as Exclude<T, true>,
    str: (description: string, expected = 'a non-empty string') =>
      z.string({ error: expected }).min(1, { error: expected }).describe(description),
    bool: (description: string) => z.boolean({ error: 'true or false' }).describe(description),
    num,
    count: (description: string) =>
      num(description, 'a positive integer', 1, Number.MAX_SAFE_INTEGER, true),
    port: (description: string) =>
      num(description, 'a port number between 0 and 65535 (0 picks a free port)', 0, 65535, true),
    duration: (description: string) =>
      human(
        readDuration,
        `${description} A duration: 250ms, 1.5s, 1m, 1m30s; a plain number is milliseconds.`,
        '^([0-9]+(\\.[0-9]+)?(ms|s|min|m|h))+$|^[0-9]+(\\.[0-9]+)?$',
      ),
    size: (description: string) =>
      human(
        readSize,
        `${description} A size: 512KiB, 64MB (MB = 10^6 bytes, MiB = 2^20), a plain number is bytes.`,
        '^[0-9]+(\\.[0-9]+)?\\s*([kKmMgG][iI]?)?[bB]$|^[0-9]+$',
      ),
    rate: (description: string) =>
      human(
        readRate,
        `${description} A rate: 50/s, 3000/min, 100/h; a plain number is per second.`,
        '^[0-9]+(\\.[0-9]+)?\\s*/\\s*(s|sec|m|min|h)$|^[0-9]+(\\.[0-9]+)?$',
      ),
    url: (description: string) =>
      z
        .string({ error: 'an http:// or https:// URL' })
        .refine((v) => /^https?:$/.test(URL.parse(v)?.protocol ?? ''), {
          error: 'an http:// or https:// URL',
        })
        .describe(description),
    layerName: (description: string) =>
      z
        .string({ error: LAYER_EXPECTED })
        .refine(
          (v) => (LAYER_NAMES as readonly string[]).includes(v) || CUSTOM_LAYER_PATTERN.test(v),
          { error: LAYER_EXPECTED },
        )
        .describe(description),
    attributes: (description: string) =>
      z
        .record(
          z.string(),
          z.union([z.string(), z.number(), z.boolean()], { error: 'a string, number or boolean' }),
        )
        .describe(description),
  };
}

/** The field builders. */
export type Fields = ReturnType<typeof fieldBuilders>;

/** What a layer name may be. */
export const LAYER_EXPECTED = `a layer name (${LAYER_NAMES.join(', ')}) or a custom name matching /^[a-z][a-z0-9_]*$/`;
