// What runs in each mode is one rule, because dry-run is a kind of Io (src/io/recording.ts, the server's dryRun=All):
// every step runs against the mode's Io, except that in a dry-run the steps that act outside it — container tools,
// curl against the gateway — only show their plan.
import type { RunMode, StepEffect } from '../steps/types.js';

export type Action = 'run' | 'plan';

export function actionFor(effect: StepEffect, mode: RunMode): Action {
  return mode !== 'live' && effect === 'external' ? 'plan' : 'run';
}

/** A step done in a dry-run has not changed the cluster: a live run must do it again. */
export function countsAsDone(doneIn: RunMode | undefined, now: RunMode): boolean {
  if (!doneIn) return false;
  if (doneIn === 'live') return true;
  return doneIn === now;
}
