// Before a step acts: go ahead (default) / edit the answers / skip / quit. In the Ink UI the plan was already
// printed through PlanView; otherwise (showPlan) it is written here as text, redacted and cut to the width.
import { select } from '@inquirer/prompts';
import { UsageError } from '../../errors.js';
import type { ConfirmChoice } from '../../runner/types.js';
import type { StepId, StepPlan } from '../../steps/types.js';
import { planText } from '../planText.js';
import { ask, isInteractive, type PromptIo, promptContext } from './io.js';

export interface ConfirmOptions {
  io?: PromptIo;
  /** Write the plan before asking (not needed when the Ink UI showed it). */
  showPlan?: boolean;
  width?: number;
  /** Steps that take no answers cannot offer "edit". */
  canEdit?: boolean;
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
  const choices: { name: string; value: ConfirmChoice; description?: string }[] = [
    { name: 'Go ahead', value: 'go' },
  ];
  if (opts.canEdit ?? true) {
    choices.push({ name: 'Edit the answers for this step', value: 'edit' });
  }
  choices.push(
    { name: 'Skip this step', value: 'skip', description: 'later steps that need it will refuse to run' },
    { name: 'Quit (progress is saved; run again to resume)', value: 'quit' },
  );
  return ask(() => select<ConfirmChoice>({ message: `Run ${id}?`, choices, default: 'go' }, ctx));
}

function columnsOf(stream: NodeJS.WritableStream | undefined): number {
  const cols = (stream as { columns?: number } | undefined)?.columns;
  return typeof cols === 'number' && cols > 0 ? cols - 2 : 78;
}
