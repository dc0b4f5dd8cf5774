import { defineConfig } from 'vitest/config';

// Tests read each workspace package's TypeScript source through the
// `strata-source` export condition, so no build is needed for unit tests.
// Real child processes (e2e) load the built `dist/` the way users do.
const conditions = ['strata-source', 'node', 'import', 'module', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['strata-source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['packages/*/test/**/*.test.ts'], testTimeout: 20_000 },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 60_000,
          // Child processes and shared services (PostgreSQL, Redis, ports): one file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
