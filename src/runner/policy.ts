// One table decides what each kind of step does in each mode, so steps never ask "is this a dry-run?".
import type { RunMode, StepEffect } from '../steps/types.js';

export type Action = 'run' | 'plan';

export const POLICY: Record<RunMode, Record<StepEffect, Action>> = {
  live: { none: 'run', local: 'run', cluster: 'run', external: 'run' },
  // The API server validates and admits every object with dryRun=All; nothing persists, no image is built.
  'server-dry-run': { none: 'run', local: 'run', cluster: 'run', external: 'plan' },
  // No cluster at all: only the state directory is written (certificates), everything else is planned.
  'client-dry-run': { none: 'plan', local: 'run', cluster: 'plan', external: 'plan' },
};

/** A step done in a dry-run has not changed the cluster: a live run must do it again. */
export function countsAsDone(doneIn: RunMode | undefined, now: RunMode): boolean {
  if (!doneIn) return false;
  if (doneIn === 'live') return true;
  return doneIn === now;
}
