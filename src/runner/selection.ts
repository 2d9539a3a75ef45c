// Step ids on the command line, and the slice of the step order a run covers (--from, --to, --skip). Whether it may
// start there is src/runner/plan.ts.
import { UsageError } from '../errors.js';
import { STEP_IDS } from '../steps/index.js';
import type { AnyStep, StepId } from '../steps/types.js';
import { didYouMean } from '../suggest.js';

export function parseStepId(value: string, flag: string): StepId {
  if ((STEP_IDS as readonly string[]).includes(value)) return value as StepId;
  throw new UsageError(
    `${flag}: unknown step "${value}"${didYouMean(value, STEP_IDS)} (valid: ${STEP_IDS.join(', ')})`,
  );
}

export function parseStepList(value: string, flag: string): StepId[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => parseStepId(s, flag));
}

export interface Selection {
  /** Steps to run, in order. */
  run: AnyStep[];
  /** Steps before the start that are reused from the state as they are. */
  before: AnyStep[];
}

export function selectSteps(
  steps: readonly AnyStep[],
  opts: { from?: StepId; to?: StepId; skip?: StepId[] },
): Selection {
  const ids = steps.map((s) => s.id);
  const start = opts.from ? ids.indexOf(opts.from) : 0;
  const end = opts.to ? ids.indexOf(opts.to) : ids.length - 1;
  if (end < start) {
    throw new UsageError(`--to ${opts.to} comes before --from ${opts.from} (order: ${ids.join(', ')})`);
  }
  const skip = new Set(opts.skip ?? []);
  return {
    run: steps.slice(start, end + 1).filter((s) => !skip.has(s.id)),
    before: steps.slice(0, start),
  };
}
