import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValueSource } from './types';

/** The `name` of `<cwd>/package.json` and where it is written, or undefined. */
export function packageName(cwd: string): { name: string; source: ValueSource } | undefined {
  const file = join(cwd, 'package.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let name: unknown;
  try {
    name = (JSON.parse(text) as { name?: unknown }).name;
  } catch {
    // A broken package.json is the application's business, not a reason to fail start-up.
    return undefined;
  }
  if (typeof name !== 'string' || name === '') return undefined;
  const offset = text.search(/"name"\s*:/);
  const before = text.slice(0, Math.max(offset, 0)).split('\n');
  return {
    name,
    source: { kind: 'file', file, line: before.length, col: before[before.length - 1].length + 1 },
  };
}
