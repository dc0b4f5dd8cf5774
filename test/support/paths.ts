import { createRequire } from 'node:module';
import path from 'node:path';

// vitest gives every test module `__dirname` (also under ESM), and the
// CommonJS type-check of test/ knows it; `import.meta` would fail the latter.

/** The repository root. */
export const repoRoot = path.resolve(__dirname, '..', '..');

/** Node 24 pinned by the repository (the `node` on PATH is Node 20). */
export const nodeBinary = path.join(repoRoot, 'node_modules', '.bin', 'node');

/** The small real apps under test/support/apps. */
export const appsDir = path.join(__dirname, 'apps');

/** A path to one of those apps, e.g. `appPath('express-hello.cjs')`. */
export function appPath(name: string): string {
  return path.join(appsDir, name);
}

/**
 * `require` as seen from @strata/node: loads the exact OpenTelemetry packages
 * Strata ships with, wherever npm placed them (hoisted or nested).
 */
export const requireFromStrataNode = createRequire(
  path.join(repoRoot, 'packages', 'node', 'package.json'),
);
