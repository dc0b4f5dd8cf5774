/** The outcome of reading a human value: the number, or why it is not one. */
export type UnitResult =
  | { ok: true; value: number }
  | { ok: false; problem: string; expected: string };

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
};
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
};
const RATE_UNITS: Record<string, number> = { s: 1, sec: 1, m: 1 / 60, min: 1 / 60, h: 1 / 3600 };

/** What a duration looks like, for messages and the JSON Schema. */
export const DURATION_EXPECTED =
  'a duration such as 250ms, 1.5s, 1m or 1m30s (a plain number is milliseconds)';
/** What a size looks like. */
export const SIZE_EXPECTED =
  'a size such as 512KiB, 64MB or 1GiB (KB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024, a plain number is bytes)';
/** What a rate looks like. */
export const RATE_EXPECTED =
  'a rate such as 50/s, 3000/min or 100000/h (a plain number is per second)';

// A run of <number><unit> pairs (Go-style `1m30s`); the unit part is validated against a table.
const DURATION_RE = /^(?:\d+(?:\.\d+)?(?:ms|s|min|m|h))+$/;
const PART_RE = /(\d+(?:\.\d+)?)(ms|s|min|m|h)/g;
const SIZE_RE = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i;
const RATE_RE = /^(\d+(?:\.\d+)?)\s*\/\s*([a-z]+)$/i;

const show = (input: unknown): string => JSON.stringify(input) ?? String(input);

/** Read a duration (`250ms`, `2s`, `1m30s`, or a number of milliseconds) into milliseconds. */
export function readDuration(input: unknown): UnitResult {
  const expected = DURATION_EXPECTED;
  if (typeof input === 'number') {
    if (Number.isFinite(input) && input >= 0) return { ok: true, value: input };
    return { ok: false, problem: `${show(input)} is not a duration`, expected };
  }
  if (typeof input !== 'string')
    return { ok: false, problem: `${show(input)} is not a duration`, expected };
  const text = input.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return { ok: true, value: Number(text) };
  if (!DURATION_RE.test(text))
    return { ok: false, problem: `${show(input)} is not a duration`, expected };
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART_RE))
    total += Number(amount) * DURATION_UNITS[unit];
  return { ok: true, value: total };
}

/** Read a size (`64MB`, `512KiB`, or a number of bytes) into bytes. */
export function readSize(input: unknown): UnitResult {
  const expected = SIZE_EXPECTED;
  if (typeof input === 'number') {
    if (Number.isInteger(input) && input >= 0) return { ok: true, value: input };
    return { ok: false, problem: `${show(input)} is not a size`, expected };
  }
  const match = typeof input === 'string' ? SIZE_RE.exec(input.trim()) : null;
  const factor = match ? SIZE_UNITS[match[2].toLowerCase()] : undefined;
  if (typeof input === 'string' && /^\d+$/.test(input.trim()))
    return { ok: true, value: Number(input) };
  if (!match || factor === undefined)
    return { ok: false, problem: `${show(input)} is not a size`, expected };
  return { ok: true, value: Math.round(Number(match[1]) * factor) };
}

/** Read a rate (`50/s`, `3000/min`, or a number per second) into events per second. */
export function readRate(input: unknown): UnitResult {
  const expected = RATE_EXPECTED;
  if (typeof input === 'number') {
    if (Number.isFinite(input) && input >= 0) return { ok: true, value: input };
    return { ok: false, problem: `${show(input)} is not a rate`, expected };
  }
  const match = typeof input === 'string' ? RATE_RE.exec(input.trim()) : null;
  const factor = match ? RATE_UNITS[match[2].toLowerCase()] : undefined;
  if (typeof input === 'string' && /^\d+(\.\d+)?$/.test(input.trim()))
    return { ok: true, value: Number(input) };
  if (!match || factor === undefined)
    return { ok: false, problem: `${show(input)} is not a rate`, expected };
  return { ok: true, value: Number(match[1]) * factor };
}

function orThrow(result: UnitResult): number {
  if (result.ok) return result.value;
  throw new TypeError(`${result.problem} — expected ${result.expected}`);
}

/** Parse a duration into milliseconds; throws a TypeError saying what was expected. */
export const parseDuration = (input: string | number): number => orThrow(readDuration(input));
/** Parse a size into bytes (MB = 10^6, MiB = 2^20); throws a TypeError saying what was expected. */
export const parseSize = (input: string | number): number => orThrow(readSize(input));
/** Parse a rate into events per second; throws a TypeError saying what was expected. */
export const parseRate = (input: string | number): number => orThrow(readRate(input));
