// What a run covers, decided before anything runs (kubeadm's Runner computes its phases' run flags the same way):
// each step's status against the saved state — done in a mode that counts, stale (and which input changed), left
// out — then where to start, the selection, and whether every need holds. `wizard steps`, the resume question and
// `--from` all read this one computation.
import type { WizardConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { ClusterTarget } from '../io/types.js';
import { hashInputs } from '../state/hash.js';
import type { StepRecord, WizardState } from '../state/types.js';
import type {
  AnyStep,
  InputsContext,
  Need,
  RuntimeFlags,
  StepEvent,
  StepId,
  StepOutputs,
} from '../steps/types.js';
import { resolveFacts } from './facts.js';
import { countsAsDone } from './policy.js';
import { type Selection, selectSteps } from './selection.js';

export interface StepState {
  id: StepId;
  /** Done in a mode that counts for this run (a dry-run's record does not count for a live run). */
  done: boolean;
  /** Done, but its inputs changed since. */
  stale: boolean;
  /** The inputs that changed (top-level keys of the step's inputs()); empty when the record cannot tell. */
  changed: string[];
  /** Left out on purpose: --skip now, or skipped in an earlier run. */
  leftOut: boolean;
  record?: StepRecord;
}

export interface StatusInput {
  steps: readonly AnyStep[];
  state: WizardState | undefined;
  config: WizardConfig;
  flags: RuntimeFlags;
  skip?: readonly StepId[];
}

/** A step's inputs hashed whole (what a record keeps) and per top-level key (to say which one changed). */
export interface InputHashes {
  hash: string;
  parts: Record<string, string>;
}

export function hashStepInputs(step: AnyStep, ctx: InputsContext): InputHashes {
  const inputs = step.inputs(ctx);
  const parts: Record<string, string> = {};
  for (const [key, value] of Object.entries(inputs)) parts[key] = hashInputs(value);
  return { hash: hashInputs(inputs), parts };
}

/** Outputs of the saved steps that count as done in this mode (a try-out's findings never feed a live run). */
export function savedOutputs(state: WizardState | undefined, flags: RuntimeFlags): StepOutputs {
  const outputs: StepOutputs = {};
  for (const rec of Object.values(state?.steps ?? {})) {
    if (rec?.status === 'done' && countsAsDone(rec.mode, flags.mode))
      Object.assign(outputs, rec.outputs ?? {});
  }
  return outputs;
}

export function stepStates(input: StatusInput): Map<StepId, StepState> {
  const outputs = savedOutputs(input.state, input.flags);
  const ctx: InputsContext = {
    config: input.config,
    outputs,
    flags: input.flags,
    facts: resolveFacts(input.config, outputs),
  };
  const states = new Map<StepId, StepState>();
  for (const step of input.steps) {
    const rec = input.state?.steps[step.id];
    const done = rec?.status === 'done' && countsAsDone(rec.mode, input.flags.mode);
    let changed: string[] = [];
    let stale = false;
    if (done && rec) {
      const now = currentHashes(step, ctx);
      stale = !now || now.hash !== rec.inputsHash;
      if (stale && now && rec.inputHashes) {
        const keys = new Set([...Object.keys(now.parts), ...Object.keys(rec.inputHashes)]);
        changed = [...keys].filter((k) => now.parts[k] !== rec.inputHashes?.[k]);
      }
    }
    const leftOut = rec?.status === 'skipped' || (input.skip ?? []).includes(step.id);
    states.set(step.id, { id: step.id, done, stale, changed, leftOut, record: rec });
  }
  return states;
}

function currentHashes(step: AnyStep, ctx: InputsContext): InputHashes | undefined {
  try {
    return hashStepInputs(step, ctx);
  } catch {
    return undefined; // inputs that cannot be computed yet (apiVersion before preflight): not the same
  }
}

/** " (lb, api changed)", or "" when the record cannot say. */
export function changedText(s: Pick<StepState, 'changed'>): string {
  return s.changed.length ? ` (${s.changed.join(', ')} changed)` : '';
}

/** Done with unchanged inputs: what a dependency and a step before the start must be. */
export const isCurrent = (s: StepState | undefined): boolean => !!s && s.done && !s.stale;

/** Where a run goes on: the first step neither done (in a mode that counts, inputs unchanged) nor left out. */
export function resumeAt(steps: readonly AnyStep[], states: Map<StepId, StepState>): StepId | undefined {
  return steps.find((s) => {
    const st = states.get(s.id);
    return !st?.leftOut && !isCurrent(st);
  })?.id;
}

export function needApplies(need: Need, config: WizardConfig): boolean {
  return need.when ? need.when(config) : true;
}

/** The refusal for a need that does not hold (before the run, or at the step after a skip at the prompt). */
export function unmetNeed(step: AnyStep, need: Need, why: string, hint?: string): UsageError {
  return new UsageError(
    `step ${step.id} needs ${need.step} (${need.for}), ${why}`,
    [],
    hint ?? `run \`wizard --from ${need.step}\` first (or leave ${need.step} out of --skip)`,
  );
}

/**
 * Every need of a selected step that applies to this config must run earlier in this run or be done (unchanged)
 * from an earlier one; and every step before the start must be done (unchanged) or left out on purpose. Otherwise
 * say which step to run first instead of failing halfway.
 */
export function checkDependencies(
  sel: Selection,
  status: (id: StepId) => Pick<StepState, 'done' | 'stale' | 'leftOut'> & { changed?: string[] },
  config: WizardConfig,
): void {
  const runsEarlier = new Set<StepId>();
  for (const step of sel.run) {
    for (const need of step.needs) {
      if (!needApplies(need, config) || runsEarlier.has(need.step)) continue;
      const s = status(need.step);
      if (!s.done) throw unmetNeed(step, need, 'which has not been done yet');
      if (s.stale) {
        throw unmetNeed(
          step,
          need,
          `whose inputs changed since it was done${changedText(withChanged(s))}`,
          `run \`wizard --from ${need.step}\` first`,
        );
      }
    }
    runsEarlier.add(step.id);
  }
  const start = sel.run[0]?.id;
  if (!start) return;
  for (const step of sel.before) {
    const s = status(step.id);
    if (s.leftOut || (s.done && !s.stale)) continue;
    throw new UsageError(
      `cannot start at ${start}: the earlier step ${step.id} ${s.done ? `has inputs that changed since it was done${changedText(withChanged(s))}` : 'has not been done yet'}`,
      [],
      `run \`wizard --from ${step.id}\` first, or leave it out with --skip ${step.id}`,
    );
  }
}

const withChanged = (s: Partial<Pick<StepState, 'changed'>>) => ({ changed: s.changed ?? [] });

export interface RunPlan {
  selection: Selection;
  states: Map<StepId, StepState>;
  /** Saved outputs this run starts from (empty after "start over"). */
  outputs: StepOutputs;
  /** The state the run goes on from (undefined: a fresh start). */
  state: WizardState | undefined;
  /** Where the run resumes when nobody named a step (undefined with a state: every step is done). */
  resumedAt?: StepId;
  /**
   * A client dry-run prints what its Io recorded, and a resumed one must still print the whole stream: the cluster
   * steps before the start apply again to the recording Io, quietly (nothing is asked, logged or saved for them).
   */
  replay: AnyStep[];
}

export type StartChoice = { kind: 'from'; step: StepId } | { kind: 'start-over' };

export interface PlanInput extends StatusInput {
  from?: StepId;
  to?: StepId;
  /** Asked only when there is a state and no --from: where to go on ("continue" offers `next`). */
  chooseStart?: (ask: {
    next: StepId | undefined;
    done: number;
    /** The same judgement `wizard steps` prints, per step, for the menu's listing. */
    states: ReadonlyMap<StepId, StepState>;
  }) => Promise<StartChoice>;
}

export async function planRun(input: PlanInput): Promise<RunPlan> {
  let state = input.state;
  let states = stepStates(input);
  let from = input.from;
  if (state && !from && input.chooseStart) {
    const done = [...states.values()].filter(isCurrent).length;
    const choice = await input.chooseStart({ next: resumeAt(input.steps, states), done, states });
    if (choice.kind === 'from') from = choice.step;
    else {
      state = undefined;
      states = stepStates({ ...input, state });
    }
  }
  const resumedAt = state && !from ? resumeAt(input.steps, states) : undefined;
  // Every step done: verify runs again (it proves the routing still works).
  const start = from ?? resumedAt ?? (state ? 'verify' : undefined);
  const selection = selectSteps(input.steps, { from: start, to: input.to, skip: [...(input.skip ?? [])] });
  const status = (id: StepId) => states.get(id) as StepState;
  checkDependencies(selection, status, input.config);
  const replay =
    input.flags.mode === 'client-dry-run' ? selection.before.filter((s) => s.effect === 'cluster') : [];
  return { selection, states, outputs: savedOutputs(state, input.flags), state, resumedAt, replay };
}

/** The UI's first event: every step, pending when this run covers it, else as the state left it. */
export function runStartEvent(steps: readonly AnyStep[], plan: RunPlan, target: ClusterTarget): StepEvent {
  const selected = new Set(plan.selection.run.map((s) => s.id));
  return {
    type: 'run-start',
    steps: steps.map((s) => ({
      id: s.id,
      title: s.title,
      status: selected.has(s.id) ? 'pending' : (plan.state?.steps[s.id]?.status ?? 'skipped'),
    })),
    target: target.offline ? 'dry-run' : target.context,
  };
}
