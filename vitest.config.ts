import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'platform/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    environment: 'node',
    pool: 'threads',
    maxWorkers: 2,
    // electron-store imports electron; tests that touch it mock `electron` and need it inlined.
    server: { deps: { inline: ['electron-store'] } },
  },
});
