import { defineConfig } from 'vitest/config';

// Two tiers. `unit` is everything that runs beside other tests (pure code, a real kube-apiserver + etcd per file,
// Flask, curl). `stack` runs the real node, engines, istiod and Envoy: one machine-wide bridge, cgroups and
// iptables chains, so its files run one at a time, after the unit tier has finished (groupOrder).
const shared = {
  // Real processes (API server, Flask, curl, a whole node) make some tests slow; keep them honest, not flaky.
  testTimeout: 60_000,
  hookTimeout: 180_000,
  pool: 'forks' as const,
  globalSetup: ['test/support/globalSetup.ts'],
  setupFiles: ['test/support/setupEnv.ts'],
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: ['test/stack/**', '**/node_modules/**'],
        },
      },
      {
        test: {
          ...shared,
          name: 'stack',
          include: ['test/stack/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 10 * 60_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
