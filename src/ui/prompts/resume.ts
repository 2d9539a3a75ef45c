// A state file from an earlier run exists: continue where it stopped (default), start at a chosen step, or start
// over (answers and progress forgotten; certificates are kept).
import { UsageError } from '../../errors.js';
import type { WizardState } from '../../state/types.js';
import { STEP_IDS } from '../../steps/index.js';
import type { StepId } from '../../steps/types.js';
import { ask, isInteractive, type PromptIo, promptContext } from './io.js';
import { select } from './kit.js';

export type ResumeChoice =
  | { action: 'continue'; from: StepId }
  | { action: 'from'; from: StepId }
  | { action: 'restart' };

/**
 * `next` is where the run would continue: the first step neither done (in a mode that counts) nor skipped, or whose
 * inputs changed since — decided by the caller, which knows the current answers; undefined when everything is done.
 */
export async function askResume(
  state: WizardState,
  opts: {
    io?: PromptIo;
    next?: StepId;
    done?: number;
    /** Each step as the runner judges it now (the header's count and `wizard steps` agree with it). */
    labels?: Partial<Record<StepId, string>>;
    /** Where the saved answers came from, when that is worth saying (the bundled example of a try-out). */
    origin?: string;
  } = {},
): Promise<ResumeChoice> {
  const io = opts.io ?? {};
  if (!isInteractive(io)) {
    throw new UsageError(
      'an earlier run saved its progress, and there is no terminal to ask whether to resume',
      [],
      'pass --from <step> to continue, or --reset to start over',
    );
  }
  const ctx = promptContext(io);
  const next = opts.next;
  // The caller's count (done in a mode that counts now, inputs unchanged), else what the file says.
  const done = opts.done ?? STEP_IDS.filter((id) => state.steps[id]?.status === 'done').length;
  type Pick = 'continue' | 'from' | 'restart';
  const choices: { name: string; value: Pick; description?: string }[] = [];
  if (next)
    choices.push({
      name: `Continue at ${next} (the first step not done, or changed since)`,
      value: 'continue',
    });
  choices.push(
    { name: 'Start at a step I choose', value: 'from' },
    {
      name: 'Start over',
      value: 'restart',
      description: 'forget the answers and progress; certificates are kept',
    },
  );
  const pick = await ask(() =>
    select<Pick>(
      {
        message: `An earlier run saved its answers (${done} of ${STEP_IDS.length} steps done, last ${state.updatedAt}${state.answersMode === 'client-dry-run' ? '; a client dry-run: nothing was applied' : ''})${opts.origin ? `: they are ${opts.origin}` : ''}. What now?`,
        choices,
        default: next ? 'continue' : 'from',
      },
      ctx,
    ),
  );
  if (pick === 'restart') return { action: 'restart' };
  if (pick === 'continue' && next) return { action: 'continue', from: next };
  const from = await ask(() =>
    select<StepId>(
      {
        message: 'Start at which step?',
        choices: STEP_IDS.map((id, i) => ({
          name: `${i + 1}. ${id.padEnd(16)} ${opts.labels?.[id] ?? state.steps[id]?.status ?? 'pending'}`,
          value: id,
        })),
        default: next ?? 'verify',
        pageSize: STEP_IDS.length,
      },
      ctx,
    ),
  );
  return { action: 'from', from };
}
