// The workflow runner: walks the selected steps in order, shows each plan, asks (interactive only), runs or only
// plans it according to the mode's policy, and records each outcome before moving on, so a failed or interrupted run
// can be resumed where it stopped.
import type { WizardConfig } from '../config/types.js';
import { EXIT, InterruptedError, QuitError, WizardError } from '../errors.js';
import type { StepRecord } from '../state/types.js';
import type { Step, StepContext, StepId, StepOutputs, StepPlan, StepStatus } from '../steps/types.js';
import { type Action, POLICY } from './policy.js';
import type { RunnerHooks } from './types.js';

/** Where the runner records progress; saved after every step (atomically, by the state module). */
export interface ProgressStore {
  record(id: StepId, rec: StepRecord, config: WizardConfig, outputs: StepOutputs): Promise<void>;
}

export interface RunInput {
  steps: Step[];
  ctx: Omit<StepContext, 'log' | 'progress'>;
  hooks: RunnerHooks;
  store: ProgressStore;
  hashInputs: (value: unknown) => string;
  /** Re-validate answers changed through hooks.edit (the config loader's validateConfig). */
  revalidate?: (config: WizardConfig) => WizardConfig;
  /** Plan-only steps before the start (client dry-run prints the whole stream even when resumed). */
  replan?: Step[];
}

export interface RunResult {
  config: WizardConfig;
  outputs: StepOutputs;
  /** Every plan, in step order (the dry-run prints their manifests). */
  plans: { id: StepId; plan: StepPlan; action: Action | 'skipped' }[];
}

export async function runSteps(input: RunInput): Promise<RunResult> {
  const { hooks, store } = input;
  let config = input.ctx.config;
  const outputs: StepOutputs = { ...input.ctx.outputs };
  const plans: RunResult['plans'] = [];
  const mode = input.ctx.flags.mode;

  const contextFor = (id: StepId): StepContext => ({
    ...input.ctx,
    config,
    outputs,
    log: (line) => hooks.emit({ type: 'step-log', id, line }),
    progress: (progress) => hooks.emit({ type: 'step-progress', id, progress }),
    ask:
      hooks.ask && !input.ctx.flags.yes
        ? (message, def) => (hooks.ask as NonNullable<RunnerHooks['ask']>)(id, message, def)
        : undefined,
  });

  for (const step of input.replan ?? []) {
    if (POLICY[mode][step.effect] !== 'plan') continue;
    plans.push({ id: step.id, plan: await step.plan(contextFor(step.id)), action: 'plan' });
  }

  // "Go ahead with all remaining steps" turns the question off for the rest of the run.
  let askEach = !input.ctx.flags.yes && !!hooks.confirm;
  const confirm = async (id: StepId, plan: StepPlan) =>
    askEach && hooks.confirm ? await hooks.confirm(id, plan) : 'go';

  for (const step of input.steps) {
    checkAborted(input.ctx.signal);
    // A step's duration is its work (planning and running), never the time its question waited for a person.
    let workMs = 0;
    const timed = async <T>(work: () => Promise<T>): Promise<T> => {
      const t = Date.now();
      try {
        return await work();
      } finally {
        workMs += Date.now() - t;
      }
    };
    hooks.emit({ type: 'step-start', id: step.id, at: Date.now() });
    try {
      let plan = await timed(() => step.plan(contextFor(step.id)));
      hooks.emit({ type: 'step-plan', id: step.id, plan });

      let choice = await confirm(step.id, plan);
      while (choice === 'edit' && hooks.edit) {
        const edited = await hooks.edit(step.id, config, outputs);
        config = input.revalidate ? input.revalidate(edited) : edited;
        plan = await timed(() => step.plan(contextFor(step.id)));
        hooks.emit({ type: 'step-plan', id: step.id, plan });
        choice = await confirm(step.id, plan);
      }
      if (choice === 'all') askEach = false;
      if (choice === 'quit') throw new QuitError(step.id);
      if (choice === 'skip') {
        plans.push({ id: step.id, plan, action: 'skipped' });
        await store.record(step.id, { status: 'skipped', inputsHash: '', mode }, config, outputs);
        hooks.emit({ type: 'step-end', id: step.id, status: 'skipped', durationMs: workMs });
        continue;
      }

      const action = POLICY[mode][step.effect];
      plans.push({ id: step.id, plan, action });
      // A step that returns finished its work, even if Ctrl-C came meanwhile: it is recorded done, and the run
      // stops before the next step (a step that cannot finish throws InterruptedError instead).
      if (action === 'run') Object.assign(outputs, await timed(() => step.run(contextFor(step.id))));

      const rec: StepRecord = {
        status: 'done',
        mode,
        inputsHash: input.hashInputs(step.inputs({ config, outputs, flags: input.ctx.flags })),
        outputs: pick(outputs, step.id),
        finishedAt: new Date().toISOString(),
      };
      await store.record(step.id, rec, config, outputs);
      hooks.emit({
        type: 'step-end',
        id: step.id,
        status: 'done',
        durationMs: workMs,
        summary: action === 'plan' ? 'planned only' : undefined,
      });
    } catch (err) {
      const quit = err instanceof QuitError;
      const interrupted = quit || err instanceof InterruptedError || input.ctx.signal.aborted;
      // Interrupted or quit: the step did not finish, so it stays pending and the next run starts here.
      const status: StepStatus = interrupted ? 'pending' : 'failed';
      const message = err instanceof Error ? err.message : String(err);
      await store.record(
        step.id,
        { status, inputsHash: '', error: interrupted ? undefined : message },
        config,
        outputs,
      );
      hooks.emit({
        type: 'step-end',
        id: step.id,
        status,
        durationMs: workMs,
        error: interrupted ? undefined : message,
      });
      if (quit) throw err;
      if (interrupted) throw err instanceof InterruptedError ? err : new InterruptedError();
      if (err instanceof WizardError) throw err;
      throw new WizardError(`step ${step.id} failed: ${message}`, EXIT.failed);
    }
  }
  return { config, outputs, plans };
}

function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new InterruptedError();
}

/** The outputs a step wrote are keyed by its id (plus `applied`, shared by the cluster-writing steps). */
function pick(outputs: StepOutputs, id: StepId): Partial<StepOutputs> {
  const key = id as keyof StepOutputs;
  return key in outputs ? { [key]: outputs[key] } : {};
}
