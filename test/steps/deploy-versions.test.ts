// deploy-versions offers the sidecar-injection label that preflight found missing: asked, never silent.
import { beforeAll, describe, expect, it } from 'vitest';
import { createExec } from '../../src/io/exec.js';
import { deployVersionsStep } from '../../src/steps/deploy-versions.js';
import type { StepContext } from '../../src/steps/types.js';
import { skipReason, useControlPlane } from '../support/apiserver.js';
import { exampleConfig } from '../support/configs.js';
import { testContext } from '../support/context.js';

describe.skipIf(skipReason)('sidecar injection offer', () => {
  const suite = useControlPlane();
  let base: Omit<StepContext, 'config' | 'ask'>;
  beforeAll(() => {
    base = testContext({
      io: { cluster: suite().admin, exec: createExec() },
      flags: { yes: false, waitTimeoutSeconds: 5 },
      outputs: {
        preflight: {
          context: 'x',
          server: 'x',
          apiVersion: 'networking.istio.io/v1',
          sidecarInjection: false,
        },
      },
    });
  });
  const labelsOf = async (ns: string) =>
    (await suite().admin.get({ apiVersion: 'v1', kind: 'Namespace', name: ns }))?.metadata.labels ?? {};

  it('asks, and labels the namespace only when the answer is yes', async () => {
    const questions: string[] = [];
    const no = { ...exampleConfig(), namespace: 'shop-no' };
    await deployVersionsStep.run({
      ...base,
      config: no,
      ask: async (q) => {
        questions.push(q);
        return false;
      },
    });
    expect(questions).toHaveLength(1);
    expect(questions[0]).toContain('shop-no');
    expect((await labelsOf('shop-no'))['istio-injection']).toBeUndefined();

    const yes = { ...exampleConfig(), namespace: 'shop-yes' };
    await deployVersionsStep.run({ ...base, config: yes, ask: async () => true });
    expect((await labelsOf('shop-yes'))['istio-injection']).toBe('enabled');
  });

  it('without anyone to ask (--yes, no terminal) it leaves the namespace alone', async () => {
    const cfg = { ...exampleConfig(), namespace: 'shop-unattended' };
    await deployVersionsStep.run({ ...base, config: cfg, ask: undefined });
    expect((await labelsOf('shop-unattended'))['istio-injection']).toBeUndefined();
  });

  it('a namespace labelled since preflight looked (or when preflight saw the label): unchanged, not asked', async () => {
    const cfg = { ...exampleConfig(), namespace: 'shop-labelled' };
    await deployVersionsStep.run({ ...base, config: cfg, ask: async () => true });
    expect((await labelsOf('shop-labelled'))['istio-injection']).toBe('enabled');
    for (const sidecarInjection of [false, true]) {
      // false: what preflight saw before the label was set (a state from an earlier run); true: what it sees now.
      const questions: string[] = [];
      const logged: string[] = [];
      const pf = { ...base.outputs.preflight, sidecarInjection } as NonNullable<
        typeof base.outputs.preflight
      >;
      await deployVersionsStep.run({
        ...base,
        config: cfg,
        outputs: { ...base.outputs, preflight: pf },
        log: (l) => void logged.push(l),
        ask: async (q) => {
          questions.push(q);
          return true;
        },
      });
      expect(questions).toEqual([]);
      expect(logged).toContain('unchanged  Namespace/shop-labelled sidecar injection already enabled');
      expect(logged.some((l) => l.startsWith('labelled'))).toBe(false);
    }
  });
});
