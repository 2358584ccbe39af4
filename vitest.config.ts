import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/setup/global-db.ts'],
    testTimeout: 30_000,
    hookTimeout: 1_800_000, // the first run on a fresh machine builds the local database engine
    pool: 'forks',
    // Most tests wait on the database or the browser, not the CPU: three files at a time on two cores.
    maxWorkers: 3,
  },
});
