import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { InterruptedError, UsageError, WizardError } from '../../src/errors.js';
import { createOfflineCluster } from '../../src/io/offline.js';
import { countsAsDone, POLICY } from '../../src/runner/policy.js';
import { runSteps } from '../../src/runner/run.js';
import { checkDependencies, parseStepList, selectSteps } from '../../src/runner/selection.js';
import type { StepRecord } from '../../src/state/types.js';
import { STEPS } from '../../src/steps/index.js';
import { type RunMode, STEP_IDS, type Step, type StepEvent, type StepId } from '../../src/steps/types.js';

function fakeStep(
  id: StepId,
  effect: Step['effect'],
  calls: string[],
  opts: { fail?: boolean; needs?: StepId[] } = {},
): Step {
  return {
    id,
    title: id,
    effect,
    needs: opts.needs ?? [],
    inputs: ({ config }) => ({ ns: config.namespace }),
    async plan() {
      calls.push(`plan:${id}`);
      return { notes: [id] };
    },
    async run(ctx) {
      calls.push(`run:${id}`);
      ctx.log(`hello from ${id}`);
      if (opts.fail) throw new WizardError(`${id} broke`);
      return {};
    },
  };
}

function harness(mode: RunMode, steps: Step[], confirm?: (id: StepId) => 'go' | 'skip' | 'quit') {
  const events: StepEvent[] = [];
  const records: [StepId, StepRecord][] = [];
  const controller = new AbortController();
  const run = () =>
    runSteps({
      steps,
      ctx: {
        config: defaultConfig(),
        configDir: '.',
        stateDir: '/nonexistent',
        io: {
          cluster: createOfflineCluster(),
          exec: { run: async () => ({ exitCode: 0, stdout: '', stderr: '' }), which: async () => undefined },
        },
        flags: {
          mode,
          yes: !confirm,
          includeSecrets: false,
          forceConflicts: false,
          wait: false,
          waitTimeoutSeconds: 1,
        },
        outputs: {},
        signal: controller.signal,
      },
      hooks: { emit: (ev) => events.push(ev), confirm: confirm ? async (id) => confirm(id) : undefined },
      store: { record: async (id, rec) => void records.push([id, rec]) },
      hashInputs: (v) => JSON.stringify(v),
    });
  return { events, records, run, controller };
}

describe('policy', () => {
  it('client dry-run only runs local steps; server dry-run runs cluster steps but not external ones', () => {
    expect(POLICY['client-dry-run']).toEqual({
      none: 'plan',
      local: 'run',
      cluster: 'plan',
      external: 'plan',
    });
    expect(POLICY['server-dry-run'].cluster).toBe('run');
    expect(POLICY['server-dry-run'].external).toBe('plan');
    expect(Object.values(POLICY.live).every((a) => a === 'run')).toBe(true);
  });
  it('a step done in a dry-run is not done for a live run', () => {
    expect(countsAsDone('client-dry-run', 'live')).toBe(false);
    expect(countsAsDone('live', 'client-dry-run')).toBe(true);
    expect(countsAsDone('server-dry-run', 'server-dry-run')).toBe(true);
    expect(countsAsDone(undefined, 'live')).toBe(false);
  });
});

describe('the step order', () => {
  it('lives in one array, in the documented order', () => {
    expect(STEPS.map((s) => s.id)).toEqual([...STEP_IDS]);
  });
});

describe('selection', () => {
  const calls: string[] = [];
  const steps = STEP_IDS.map((id) => fakeStep(id, 'cluster', calls));
  it('--from, --to and --skip pick the steps in order', () => {
    const sel = selectSteps(steps, { from: 'define-subsets', to: 'load-certs', skip: ['generate-certs'] });
    expect(sel.run.map((s) => s.id)).toEqual(['define-subsets', 'add-hosts', 'load-certs']);
    expect(sel.before.map((s) => s.id)).toEqual(['preflight', 'build-image', 'deploy-versions']);
  });
  it('--to before --from is a usage error', () => {
    expect(() => selectSteps(steps, { from: 'verify', to: 'preflight' })).toThrow(UsageError);
  });
  it('unknown step ids list the valid ones', () => {
    expect(() => parseStepList('preflight,deploy', '--skip')).toThrow(
      /--skip: unknown step "deploy" \(valid: preflight, build-image, deploy-versions/,
    );
  });
  it('refuses to start where a dependency is not done, naming the step to run first', () => {
    const s = [
      fakeStep('generate-certs', 'local', calls),
      fakeStep('load-certs', 'cluster', calls, { needs: ['generate-certs'] }),
    ];
    const sel = selectSteps(s, { from: 'load-certs' });
    expect(() => checkDependencies(sel, () => ({ done: false, stale: false }))).toThrow(
      /needs generate-certs/,
    );
    try {
      checkDependencies(sel, () => ({ done: true, stale: true }));
      expect.unreachable();
    } catch (e) {
      expect((e as UsageError).exitCode).toBe(2);
      expect((e as UsageError).hint).toContain('wizard --from generate-certs');
    }
    expect(() => checkDependencies(sel, () => ({ done: true, stale: false }))).not.toThrow();
    // Running the dependency in the same run is fine.
    expect(() => checkDependencies(selectSteps(s, {}), () => ({ done: false, stale: false }))).not.toThrow();
  });
  it('refuses to start after an earlier step that is not done or changed, unless it is left out', () => {
    const s = ['preflight', 'deploy-versions', 'define-subsets', 'add-hosts'].map((id) =>
      fakeStep(id as (typeof STEP_IDS)[number], 'cluster', calls),
    );
    const sel = selectSteps(s, { from: 'add-hosts' });
    const stale = (id: string) => ({ done: true, stale: id === 'define-subsets' });
    expect(() => checkDependencies(sel, stale)).toThrow(
      'cannot start at add-hosts: the earlier step define-subsets has inputs that changed since it was done',
    );
    const notDone = (id: string) => ({ done: id !== 'deploy-versions', stale: false });
    try {
      checkDependencies(sel, notDone);
      expect.unreachable();
    } catch (e) {
      expect((e as UsageError).message).toContain('the earlier step deploy-versions has not been done yet');
      expect((e as UsageError).hint).toBe(
        'run `wizard --from deploy-versions` first, or leave it out with --skip deploy-versions',
      );
    }
    const leftOut = (id: string) => ({ ...notDone(id), leftOut: id === 'deploy-versions' });
    expect(() => checkDependencies(sel, leftOut)).not.toThrow();
  });
});

describe('runSteps', () => {
  it('in a client dry-run, plans every step and runs only the local ones', async () => {
    const calls: string[] = [];
    const h = harness('client-dry-run', [
      fakeStep('preflight', 'none', calls),
      fakeStep('generate-certs', 'local', calls),
      fakeStep('load-certs', 'cluster', calls),
      fakeStep('verify', 'external', calls),
    ]);
    const res = await h.run();
    expect(calls).toEqual([
      'plan:preflight',
      'plan:generate-certs',
      'run:generate-certs',
      'plan:load-certs',
      'plan:verify',
    ]);
    expect(res.plans.map((p) => [p.id, p.action])).toEqual([
      ['preflight', 'plan'],
      ['generate-certs', 'run'],
      ['load-certs', 'plan'],
      ['verify', 'plan'],
    ]);
    expect(h.records.every(([, r]) => r.status === 'done' && r.mode === 'client-dry-run')).toBe(true);
  });

  it('records a failed step as failed, keeps earlier ones done, and stops', async () => {
    const calls: string[] = [];
    const h = harness('live', [
      fakeStep('preflight', 'none', calls),
      fakeStep('build-image', 'external', calls, { fail: true }),
      fakeStep('deploy-versions', 'cluster', calls),
    ]);
    await expect(h.run()).rejects.toThrow('build-image broke');
    expect(h.records.map(([id, r]) => [id, r.status])).toEqual([
      ['preflight', 'done'],
      ['build-image', 'failed'],
    ]);
    expect(calls).not.toContain('run:deploy-versions');
    const end = h.events.find((e) => e.type === 'step-end' && e.id === 'build-image');
    expect(end).toMatchObject({ status: 'failed', error: 'build-image broke' });
  });

  it('skip and quit answers: skipped is recorded, quit leaves the step pending and stops with exit 130', async () => {
    const calls: string[] = [];
    const h = harness(
      'live',
      [
        fakeStep('preflight', 'none', calls),
        fakeStep('build-image', 'external', calls),
        fakeStep('deploy-versions', 'cluster', calls),
      ],
      (id) => (id === 'preflight' ? 'skip' : id === 'build-image' ? 'quit' : 'go'),
    );
    const err = await h.run().catch((e) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    expect(err.exitCode).toBe(130);
    expect(h.records.map(([id, r]) => [id, r.status])).toEqual([
      ['preflight', 'skipped'],
      ['build-image', 'pending'],
    ]);
    expect(calls.filter((c) => c.startsWith('run:'))).toEqual([]);
  });

  it('an abort (Ctrl-C) during a step that still finishes: recorded done, the next step never starts', async () => {
    const calls: string[] = [];
    const steps = [fakeStep('preflight', 'none', calls), fakeStep('build-image', 'external', calls)];
    const h = harness('live', steps);
    const abortingRun = async () => {
      h.controller.abort();
      return {};
    };
    steps[0] = { ...(steps[0] as Step), run: abortingRun };
    await expect(h.run()).rejects.toBeInstanceOf(InterruptedError);
    expect(calls).not.toContain('run:build-image');
    // The step that was running finished its work: it is recorded done, and nothing after it runs.
    expect(h.records).toEqual([['preflight', expect.objectContaining({ status: 'done' })]]);
  });

  it('streams step logs as events', async () => {
    const calls: string[] = [];
    const h = harness('live', [fakeStep('preflight', 'none', calls)]);
    await h.run();
    expect(h.events.map((e) => e.type)).toEqual(['step-start', 'step-plan', 'step-log', 'step-end']);
  });
});

it('an apply step interrupted halfway is not recorded done', async () => {
  const { applyStep } = await import('../../src/steps/applyStep.js');
  const controller = new AbortController();
  const applied: string[] = [];
  const step = applyStep({
    id: 'deploy-versions',
    title: 't',
    inputs: () => ({}),
    manifests: () => [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'n' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'n' } },
    ],
  });
  const cluster = {
    ...createOfflineCluster(),
    apply: async (o: { metadata: { name: string } }) => {
      applied.push(o.metadata.name);
      controller.abort(); // Ctrl-C arrives while the first object is applied
      return { ref: `ConfigMap/n/${o.metadata.name}`, outcome: 'created' as const };
    },
  };
  const records: [StepId, StepRecord][] = [];
  const err = await runSteps({
    steps: [step as Step],
    ctx: {
      config: defaultConfig(),
      configDir: '.',
      stateDir: '/nonexistent',
      io: {
        cluster,
        exec: { run: async () => ({ exitCode: 0, stdout: '', stderr: '' }), which: async () => undefined },
      },
      flags: {
        mode: 'live',
        yes: true,
        includeSecrets: false,
        forceConflicts: false,
        wait: false,
        waitTimeoutSeconds: 1,
      },
      outputs: {},
      signal: controller.signal,
    },
    hooks: { emit: () => {} },
    store: { record: async (id, rec) => void records.push([id, rec]) },
    hashInputs: (v) => JSON.stringify(v),
  }).catch((e) => e);
  expect(err).toBeInstanceOf(InterruptedError);
  expect(applied).toEqual(['a']);
  expect(records).toEqual([['deploy-versions', expect.objectContaining({ status: 'pending' })]]);
});
