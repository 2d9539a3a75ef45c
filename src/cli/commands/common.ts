// Answers for the one-shot commands (verify, teardown): --config, else the saved state, else the example (--yes).
import type { WizardState } from '../../state/index.js';
import { type Answers, resolveAnswers } from '../answers.js';
import type { CliArgs } from '../args.js';

export async function oneShotAnswers(args: CliArgs, state: WizardState | undefined): Promise<Answers> {
  // These commands never prompt for answers: they act on what was set up.
  return resolveAnswers(args, state, { interactive: false });
}
