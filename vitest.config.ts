import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Real processes (API server, Flask, nginx, curl) make some tests slow; keep them honest, not flaky.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    globalSetup: ['test/support/globalSetup.ts'],
    setupFiles: ['test/support/setupEnv.ts'],
  },
});
