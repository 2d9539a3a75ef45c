// The workflow runner: walks the selected steps in order, re-checks each step's needs (a skip at the prompt stops
// the steps that need the skipped one), resolves the run's facts, shows each plan, asks (interactive only), runs or
// only plans it by the mode's one rule, and records each outcome before moving on, so a failed or interrupted run
// can be resumed where it stopped.
import type { WizardConfig } from '../config/types.js';
import { EXIT, InterruptedError, QuitError, WizardError } from '../errors.js';
import type { StepRecord } from '../state/types.js';
import type { AnyStep, StepContext, StepId, StepOutputs, StepPlan, StepStatus } from '../steps/types.js';
import { resolveFacts } from './facts.js';
import { hashStepInputs, needApplies, unmetNeed } from './plan.js';
import { type Action, actionFor } from './policy.js';
import type { ProgressStore } from './stateStore.js';
import type { RunnerHooks } from './types.js';

export interface RunInput {
  steps: readonly AnyStep[];
  ctx: Omit<StepContext, 'log' | 'progress' | 'facts'>;
  hooks: RunnerHooks;
  store: ProgressStore;
  /** Steps done (inputs unchanged) before this run: what the steps to run may need besides each other. */
  doneBefore?: readonly StepId[];
  /** Re-validate answers changed through hooks.edit (the config loader's validateConfig). */
  revalidate?: (config: WizardConfig) => WizardConfig;
  /** Steps before the start to run again quietly (RunPlan.replay: a resumed client dry-run's whole stream). */
  replay?: readonly AnyStep[];
}

export interface RunResult {
  config: WizardConfig;
  outputs: StepOutputs;
  /** Every plan, in step order. */
  plans: { id: StepId; plan: StepPlan; action: Action | 'skipped' }[];
}

export async function runSteps(input: RunInput): Promise<RunResult> {
  const { hooks, store } = input;
  let config = input.ctx.config;
  const outputs: StepOutputs = { ...input.ctx.outputs };
  const plans: RunResult['plans'] = [];
  const mode = input.ctx.flags.mode;
  const done = new Set<StepId>(input.doneBefore ?? []);

  const contextFor = (id: StepId): StepContext => ({
    ...input.ctx,
    config,
    outputs,
    facts: resolveFacts(config, outputs),
    log: (line) => hooks.emit({ type: 'step-log', id, line }),
    progress: (progress) => hooks.emit({ type: 'step-progress', id, progress }),
    ask:
      hooks.ask && !input.ctx.flags.yes
        ? (message, def) => (hooks.ask as NonNullable<RunnerHooks['ask']>)(id, message, def)
        : undefined,
  });

  for (const step of input.replay ?? []) {
    await step.run({ ...contextFor(step.id), log: () => {}, progress: () => {}, ask: undefined });
  }

  // "Go ahead with all remaining steps" turns the question off for the rest of the run.
  let askEach = !input.ctx.flags.yes && !!hooks.confirm;
  // A plan known to fail is put to the person even then: going ahead would only fail (the fix is an edit away).
  const confirm = async (id: StepId, plan: StepPlan) =>
    (askEach || (plan.blocked && !input.ctx.flags.yes)) && hooks.confirm
      ? await hooks.confirm(id, plan)
      : 'go';

  for (const step of input.steps) {
    checkAborted(input.ctx.signal);
    // kubeadm's RunIf, re-checked here: a need skipped at the prompt (or one an edit made apply) stops this step.
    const unmet = step.needs.find((n) => needApplies(n, config) && !done.has(n.step));
    if (unmet) {
      const skipped = plans.some((p) => p.id === unmet.step && p.action === 'skipped');
      throw unmetNeed(step, unmet, skipped ? 'which was skipped in this run' : 'which has not been done yet');
    }
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
        done.delete(step.id);
        await store.record(step.id, { status: 'skipped', inputsHash: '', mode }, config);
        hooks.emit({ type: 'step-end', id: step.id, status: 'skipped', durationMs: workMs });
        continue;
      }

      const action = actionFor(step.effect, mode);
      plans.push({ id: step.id, plan, action });
      // A step that returns finished its work, even if Ctrl-C came meanwhile: it is recorded done, and the run
      // stops before the next step (a step that cannot finish throws InterruptedError instead).
      if (action === 'run') merge(outputs, await timed(() => step.run(contextFor(step.id))));

      const hashes = hashStepInputs(step, contextFor(step.id));
      const rec: StepRecord = {
        status: 'done',
        mode,
        inputsHash: hashes.hash,
        inputHashes: hashes.parts,
        outputs: pick(outputs, step.id),
        finishedAt: new Date().toISOString(),
      };
      done.add(step.id);
      await store.record(step.id, rec, config);
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
      const failure =
        err instanceof WizardError ? err : new WizardError(`step ${step.id} failed: ${message}`, EXIT.failed);
      // The step-end event carried the message: the UI showed it under the step.
      failure.shown = true;
      throw failure;
    }
  }
  return { config, outputs, plans };
}

function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new InterruptedError();
}

/** A step's outputs join the run's; `applied` is one list per cluster-writing step, kept side by side. */
function merge(outputs: StepOutputs, add: Partial<StepOutputs>): void {
  const { applied, ...rest } = add;
  Object.assign(outputs, rest);
  if (applied) outputs.applied = { ...(outputs.applied ?? {}), ...applied };
}

/** The outputs a step wrote are keyed by its id. */
function pick(outputs: StepOutputs, id: StepId): Partial<StepOutputs> {
  const key = id as keyof StepOutputs;
  return key in outputs ? { [key]: outputs[key] } : {};
}
