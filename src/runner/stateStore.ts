// The runner's progress, kept in the state file (src/state): one record per step, saved after every step so a
// failed or interrupted run resumes where it stopped.
import type { WizardConfig } from '../config/types.js';
import { newState, type StepRecord, saveState, type WizardState, withStep } from '../state/index.js';
import type { RunMode, StepId } from '../steps/types.js';

/** Where the runner records progress (a test passes a list). */
export interface ProgressStore {
  record(id: StepId, rec: StepRecord, config: WizardConfig): Promise<void>;
}

export interface StateStore extends ProgressStore {
  /** Saves the answers before the first step: a run that stops at once still keeps them. */
  saveAnswers(config: WizardConfig): Promise<void>;
}

export function openStateStore(
  stateDir: string,
  state: WizardState | undefined,
  config: WizardConfig,
  mode: RunMode,
): StateStore {
  let current: WizardState = state ?? newState(config);
  // A client dry-run changes nothing outside this directory: no fsync is worth its ~25 ms per save there.
  const durable = mode !== 'client-dry-run';
  const withAnswers = (cfg: WizardConfig): WizardState => ({
    ...current,
    answers: cfg,
    answersMode: mode,
    updatedAt: new Date().toISOString(),
  });
  return {
    async saveAnswers(cfg) {
      current = withAnswers(cfg);
      await saveState(stateDir, current, { durable });
    },
    async record(id, rec, cfg) {
      // A dry-run changed nothing in the cluster: what a live run did there (and found: preflight's outputs) stays.
      const keep = mode !== 'live' && current.steps[id]?.mode === 'live';
      current = withAnswers(cfg);
      if (!keep) current = withStep(current, id, rec);
      await saveState(stateDir, current, { durable });
    },
  };
}
