// Before a step acts: go ahead (default) / edit the answers / skip / quit. In the Ink UI the plan was already
// printed through PlanView; otherwise (showPlan) it is written here as text, redacted and cut to the width.
import { UsageError } from '../../errors.js';
import type { ConfirmChoice } from '../../runner/types.js';
import type { StepId, StepPlan } from '../../steps/types.js';
import { planText } from '../planText.js';
import { ask, isInteractive, type PromptIo, promptContext } from './io.js';
import { select } from './kit.js';

export interface ConfirmOptions {
  io?: PromptIo;
  /** Write the plan before asking (not needed when the Ink UI showed it). */
  showPlan?: boolean;
  width?: number;
  /** Steps that take no answers cannot offer "edit". */
  canEdit?: boolean;
  /** Steps follow this one: offer "go ahead with all remaining steps" (default true). */
  more?: boolean;
}

export async function confirmStep(
  id: StepId,
  plan: StepPlan,
  opts: ConfirmOptions = {},
): Promise<ConfirmChoice> {
  const io = opts.io ?? {};
  if (!isInteractive(io)) {
    throw new UsageError(
      `cannot ask whether to run ${id}: no terminal to ask on`,
      [],
      'pass --yes to run without asking',
    );
  }
  const ctx = promptContext(io);
  if (opts.showPlan) {
    const { lines } = planText(plan, { width: opts.width ?? columnsOf(ctx.output) });
    ctx.output?.write(`Plan for ${id}:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
  }
  if (plan.blocked) return askToFix(id, plan.blocked, ctx);
  const choices: { name: string; value: ConfirmChoice; description?: string }[] = [
    { name: 'Go ahead', value: 'go' },
  ];
  if (opts.more ?? true) {
    choices.push({
      name: 'Go ahead with all remaining steps',
      value: 'all',
      description: 'no more questions before each step (--yes does this from the start)',
    });
  }
  if (opts.canEdit ?? true) {
    choices.push({ name: 'Edit the answers for this step', value: 'edit' });
  }
  choices.push(
    { name: 'Skip this step', value: 'skip', description: 'later steps that need it will refuse to run' },
    { name: 'Quit', value: 'quit', description: `progress is saved; --from ${id} resumes here` },
  );
  return ask(() => select<ConfirmChoice>({ message: `Run ${id}?`, choices, default: 'go' }, ctx));
}

/** A plan known to fail: no "Go ahead" as if it were fine — the fix first (it edits the answers that cause it). */
function askToFix(
  id: StepId,
  blocked: NonNullable<StepPlan['blocked']>,
  ctx: ReturnType<typeof promptContext>,
): Promise<ConfirmChoice> {
  const choices: { name: string; value: ConfirmChoice; description?: string }[] = [
    // "set build.load (kind, …) or the image registry (e.g. …)" → the name without the parentheses.
    { name: `Fix it: ${blocked.fix.replace(/ \([^)]*\)/g, '')}`, value: 'edit', description: blocked.fix },
    { name: 'Skip this step', value: 'skip', description: 'later steps that need it will refuse to run' },
    { name: 'Quit', value: 'quit', description: `progress is saved; --from ${id} resumes here` },
  ];
  return ask(() =>
    select<ConfirmChoice>(
      { message: `${id} will fail as answered (see the plan):`, choices, default: 'edit' },
      ctx,
    ),
  );
}

function columnsOf(stream: NodeJS.WritableStream | undefined): number {
  const cols = (stream as { columns?: number } | undefined)?.columns;
  return typeof cols === 'number' && cols > 0 ? cols - 2 : 78;
}
