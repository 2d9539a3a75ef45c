// Which steps a run covers (--from, --to, --skip, resume) and whether it may start there (kubeadm-style
// dependency checks), decided before anything runs.
import { UsageError } from '../errors.js';
import { STEP_IDS, type Step, type StepId } from '../steps/types.js';
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
  run: Step[];
  /** Steps before the start that are reused from the state as they are. */
  before: Step[];
}

export function selectSteps(
  steps: readonly Step[],
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

export interface DoneInfo {
  done: boolean;
  /** The step's inputs changed since it was done. */
  stale: boolean;
  /** Left out on purpose: --skip now, or skipped in an earlier run. */
  leftOut?: boolean;
}

/**
 * Every step a selected step needs must either run earlier in this run, or be done (with unchanged inputs) from an
 * earlier one; and every step before the start must be done (unchanged) or left out on purpose. Otherwise say which
 * step to run first instead of failing halfway.
 */
export function checkDependencies(sel: Selection, status: (id: StepId) => DoneInfo): void {
  const runsEarlier = new Set<StepId>();
  for (const step of sel.run) {
    for (const need of step.needs) {
      if (runsEarlier.has(need)) continue;
      const s = status(need);
      if (!s.done) {
        throw new UsageError(
          `step ${step.id} needs ${need}, which has not been done yet`,
          [],
          `run \`wizard --from ${need}\` first (or leave ${need} out of --skip)`,
        );
      }
      if (s.stale) {
        throw new UsageError(
          `step ${step.id} needs ${need}, whose inputs changed since it was done`,
          [],
          `run \`wizard --from ${need}\` first`,
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
      `cannot start at ${start}: the earlier step ${step.id} ${s.done ? 'has inputs that changed since it was done' : 'has not been done yet'}`,
      [],
      `run \`wizard --from ${step.id}\` first, or leave it out with --skip ${step.id}`,
    );
  }
}
