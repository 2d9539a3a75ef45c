import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import type { WizardConfig } from '../../src/config/types.js';
import { InterruptedError, QuitError, UsageError, WizardError } from '../../src/errors.js';
import { createRecordingCluster } from '../../src/io/recording.js';
import { checkDependencies } from '../../src/runner/plan.js';
import { actionFor, countsAsDone } from '../../src/runner/policy.js';
import { runSteps } from '../../src/runner/run.js';
import { parseStepList, selectSteps } from '../../src/runner/selection.js';
import type { ConfirmChoice } from '../../src/runner/types.js';
import type { StepRecord } from '../../src/state/types.js';
import { STEP_IDS } from '../../src/steps/index.js';
import { CERTS_FROM_GENERATE_CERTS } from '../../src/steps/needs.js';
import type { AnyStep, Need, RunMode, StepEvent, StepId } from '../../src/steps/types.js';
import { noExec, testContext } from '../support/context.js';

type Step = AnyStep;
const need = (step: StepId, when?: Need['when']): Need => ({ step, when, for: 'a test' });

function fakeStep(
  id: StepId,
  effect: Step['effect'],
  calls: string[],
  opts: { fail?: boolean; needs?: Need[] } = {},
): Step {
  return {
    id,
    title: id,
    effect,
    needs: opts.needs ?? [],
    answers: [],
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

function harness(
  mode: RunMode,
  steps: Step[],
  confirm?: (id: StepId) => ConfirmChoice | Promise<ConfirmChoice>,
  config: WizardConfig = defaultConfig(),
) {
  const events: StepEvent[] = [];
  const records: [StepId, StepRecord][] = [];
  const controller = new AbortController();
  const {
    log: _l,
    progress: _p,
    facts: _f,
    logged: _g,
    ...ctx
  } = testContext({
    config,
    flags: { mode, yes: !confirm },
    signal: controller.signal,
  });
  const run = () =>
    runSteps({
      steps,
      ctx,
      hooks: { emit: (ev) => events.push(ev), confirm: confirm ? async (id) => confirm(id) : undefined },
      store: { record: async (id, rec) => void records.push([id, rec]) },
    });
  return { events, records, run, controller };
}

describe('policy', () => {
  it("a dry-run only plans the external steps; every other step runs against the mode's Io", () => {
    for (const mode of ['client-dry-run', 'server-dry-run'] as const) {
      expect(actionFor('external', mode)).toBe('plan');
      for (const effect of ['read', 'local', 'cluster'] as const) expect(actionFor(effect, mode)).toBe('run');
    }
    for (const effect of ['read', 'local', 'cluster', 'external'] as const) {
      expect(actionFor(effect, 'live')).toBe('run');
    }
  });
  it('a step done in a dry-run is not done for a live run', () => {
    expect(countsAsDone('client-dry-run', 'live')).toBe(false);
    expect(countsAsDone('live', 'client-dry-run')).toBe(true);
    expect(countsAsDone('server-dry-run', 'server-dry-run')).toBe(true);
    expect(countsAsDone(undefined, 'live')).toBe(false);
  });
});

type Status = { done: boolean; stale: boolean; leftOut: boolean };

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
      fakeStep('load-certs', 'cluster', calls, { needs: [need('generate-certs')] }),
    ];
    const sel = selectSteps(s, { from: 'load-certs' });
    const config = defaultConfig();
    const check = (sel: ReturnType<typeof selectSteps>, st: (id: StepId) => Status) =>
      checkDependencies(sel, st, config);
    expect(() => check(sel, () => ({ done: false, stale: false, leftOut: false }))).toThrow(
      /needs generate-certs/,
    );
    try {
      check(sel, () => ({ done: true, stale: true, leftOut: false }));
      expect.unreachable();
    } catch (e) {
      expect((e as UsageError).exitCode).toBe(2);
      expect((e as UsageError).hint).toContain('wizard --from generate-certs');
    }
    expect(() => check(sel, () => ({ done: true, stale: false, leftOut: false }))).not.toThrow();
    // Running the dependency in the same run is fine.
    expect(() =>
      check(selectSteps(s, {}), () => ({ done: false, stale: false, leftOut: false })),
    ).not.toThrow();
  });
  it('refuses to start after an earlier step that is not done or changed, unless it is left out', () => {
    const s = ['preflight', 'deploy-versions', 'define-subsets', 'add-hosts'].map((id) =>
      fakeStep(id as (typeof STEP_IDS)[number], 'cluster', calls),
    );
    const sel = selectSteps(s, { from: 'add-hosts' });
    const config = defaultConfig();
    const stale = (id: string) => ({ done: true, stale: id === 'define-subsets', leftOut: false });
    expect(() => checkDependencies(sel, stale, config)).toThrow(
      'cannot start at add-hosts: the earlier step define-subsets has inputs that changed since it was done',
    );
    const notDone = (id: string) => ({ done: id !== 'deploy-versions', stale: false, leftOut: false });
    try {
      checkDependencies(sel, notDone, config);
      expect.unreachable();
    } catch (e) {
      expect((e as UsageError).message).toContain('the earlier step deploy-versions has not been done yet');
      expect((e as UsageError).hint).toBe(
        'run `wizard --from deploy-versions` first, or leave it out with --skip deploy-versions',
      );
    }
    const leftOut = (id: string) => ({ ...notDone(id), leftOut: id === 'deploy-versions' });
    expect(() => checkDependencies(sel, leftOut, config)).not.toThrow();
  });
});

describe('runSteps', () => {
  it('in a client dry-run, runs every step against the recording Io and only plans the external ones', async () => {
    const calls: string[] = [];
    const h = harness('client-dry-run', [
      fakeStep('preflight', 'read', calls),
      fakeStep('generate-certs', 'local', calls),
      fakeStep('load-certs', 'cluster', calls),
      fakeStep('verify', 'external', calls),
    ]);
    const res = await h.run();
    expect(calls).toEqual([
      'plan:preflight',
      'run:preflight',
      'plan:generate-certs',
      'run:generate-certs',
      'plan:load-certs',
      'run:load-certs',
      'plan:verify',
    ]);
    expect(res.plans.map((p) => [p.id, p.action])).toEqual([
      ['preflight', 'run'],
      ['generate-certs', 'run'],
      ['load-certs', 'run'],
      ['verify', 'plan'],
    ]);
    expect(h.records.every(([, r]) => r.status === 'done' && r.mode === 'client-dry-run')).toBe(true);
  });

  it('records a failed step as failed, keeps earlier ones done, and stops', async () => {
    const calls: string[] = [];
    const h = harness('live', [
      fakeStep('preflight', 'read', calls),
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

  it('skip and quit answers: skipped is recorded, quit leaves the step pending and stops with exit 0', async () => {
    const calls: string[] = [];
    const h = harness(
      'live',
      [
        fakeStep('preflight', 'read', calls),
        fakeStep('build-image', 'external', calls),
        fakeStep('deploy-versions', 'cluster', calls),
      ],
      (id) => (id === 'preflight' ? 'skip' : id === 'build-image' ? 'quit' : 'go'),
    );
    const err = await h.run().catch((e) => e);
    // A chosen quit is not a signal: exit 0, and it names the step to resume at.
    expect(err).toBeInstanceOf(QuitError);
    expect(err.exitCode).toBe(0);
    expect(err.step).toBe('build-image');
    expect(h.records.map(([id, r]) => [id, r.status])).toEqual([
      ['preflight', 'skipped'],
      ['build-image', 'pending'],
    ]);
    expect(calls.filter((c) => c.startsWith('run:'))).toEqual([]);
  });

  it('"go ahead with all remaining steps" asks no more; durations leave out the time spent at the question', async () => {
    const calls: string[] = [];
    const asked: StepId[] = [];
    const h = harness(
      'live',
      [
        fakeStep('preflight', 'read', calls),
        fakeStep('build-image', 'external', calls),
        fakeStep('deploy-versions', 'cluster', calls),
      ],
      async (id) => {
        asked.push(id);
        // A person who takes their time: none of it is the step's.
        await new Promise((r) => setTimeout(r, 400));
        return 'all' as const;
      },
    );
    await h.run();
    expect(asked).toEqual(['preflight']);
    expect(calls.filter((c) => c.startsWith('run:'))).toEqual([
      'run:preflight',
      'run:build-image',
      'run:deploy-versions',
    ]);
    const first = h.events.find((e) => e.type === 'step-end' && e.id === 'preflight');
    expect(first?.type === 'step-end' && first.durationMs).toBeLessThan(400);
  });

  it('an abort (Ctrl-C) during a step that still finishes: recorded done, the next step never starts', async () => {
    const calls: string[] = [];
    const steps = [fakeStep('preflight', 'read', calls), fakeStep('build-image', 'external', calls)];
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
    const h = harness('live', [fakeStep('preflight', 'read', calls)]);
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
    answers: [],
    inputs: () => ({}),
    manifests: () => [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'n' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'n' } },
    ],
  });
  const cluster = {
    ...createRecordingCluster(),
    apply: async (o: { metadata: { name: string } }) => {
      applied.push(o.metadata.name);
      controller.abort(); // Ctrl-C arrives while the first object is applied
      return { ref: `ConfigMap/n/${o.metadata.name}`, outcome: 'created' as const };
    },
  };
  const records: [StepId, StepRecord][] = [];
  const {
    log: _l,
    progress: _p,
    facts: _f,
    logged: _g,
    ...ctx
  } = testContext({
    io: { cluster, exec: noExec },
    signal: controller.signal,
  });
  const err = await runSteps({
    steps: [step as Step],
    ctx,
    hooks: { emit: () => {} },
    store: { record: async (id, rec) => void records.push([id, rec]) },
  }).catch((e) => e);
  expect(err).toBeInstanceOf(InterruptedError);
  expect(applied).toEqual(['a']);
  expect(records).toEqual([['deploy-versions', expect.objectContaining({ status: 'pending' })]]);
});

// One test per dependency defect of issue 10, point 3: each failed before needs were conditional and re-checked.
describe('conditional, re-checked dependencies (RunIf)', () => {
  const httpsConfig = (): WizardConfig => ({
    ...defaultConfig(),
    hosts: [
      {
        name: 'a.example.com',
        protocol: 'HTTPS',
        tls: { mode: 'SIMPLE' },
        routes: [{ subset: 'v1', weight: 100 }],
      },
    ],
  });
  const httpConfig = (): WizardConfig => ({
    ...defaultConfig(),
    hosts: [{ name: 'a.example.com', protocol: 'HTTP', routes: [{ subset: 'v1', weight: 100 }] }],
  });
  const nothingDone = () => ({ done: false, stale: false, leftOut: false });

  it('a step skipped at the prompt stops the steps that need it', async () => {
    const calls: string[] = [];
    const h = harness(
      'live',
      [
        fakeStep('generate-certs', 'local', calls),
        fakeStep('verify', 'external', calls, { needs: [CERTS_FROM_GENERATE_CERTS] }),
      ],
      (id) => (id === 'generate-certs' ? 'skip' : 'go'),
      httpsConfig(),
    );
    const err = await h.run().catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toContain('step verify needs generate-certs');
    expect(err.message).toContain('skipped in this run');
    expect(calls).not.toContain('run:verify');
    expect(calls).not.toContain('plan:verify');
  });

  it.each(['define-subsets', 'add-hosts', 'apply-gateway'] as const)(
    '%s needs preflight under istio.apiVersion: auto, so --skip preflight is refused before anything is applied',
    async (id) => {
      const { STEPS } = await import('../../src/steps/index.js');
      const sel = selectSteps(STEPS, { from: id, to: id, skip: ['preflight'] });
      const status = (s: StepId) => ({ done: s !== 'preflight', stale: false, leftOut: s === 'preflight' });
      expect(() => checkDependencies(sel, status, httpConfig())).toThrow(`step ${id} needs preflight`);
      // A configured version needs no cluster to tell it.
      const pinned: WizardConfig = { ...httpConfig(), istio: { apiVersion: 'networking.istio.io/v1beta1' } };
      expect(() => checkDependencies(sel, status, pinned)).not.toThrow();
    },
  );

  it('an HTTP-only config may skip generate-certs (load-certs and verify need no certificates)', async () => {
    const { STEPS } = await import('../../src/steps/index.js');
    const sel = selectSteps(STEPS, { skip: ['generate-certs'] });
    expect(() => checkDependencies(sel, nothingDone, httpConfig())).not.toThrow();
    expect(() => checkDependencies(sel, nothingDone, httpsConfig())).toThrow(
      'step load-certs needs generate-certs',
    );
  });
});
