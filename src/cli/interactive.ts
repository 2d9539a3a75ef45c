// The interactive side of a run, loaded only on a terminal: the questions, and the hooks that show each plan and
// ask before a step acts. Prompts render on stderr; stdout stays for machine output.
import { validateConfig } from '../config/load.js';
import type { WizardConfig } from '../config/types.js';
import type { StartChoice } from '../runner/plan.js';
import type { RunnerHooks } from '../runner/types.js';
import type { WizardState } from '../state/index.js';
import type { StepId } from '../steps/types.js';
import { askAnswers, FIRST_RUN_KEYS, type PartialConfig } from '../ui/prompts/answers.js';
import { askResume } from '../ui/prompts/resume.js';

/** Config keys findMissingAnswers names (`hosts`, `hosts[0].protocol`) → the questions that supply them. */
function keysFor(missing: readonly string[]) {
  return FIRST_RUN_KEYS.filter((k) =>
    missing.some((m) => m === k || m.startsWith(`${k}[`) || m.startsWith(`${k}.`)),
  );
}

export async function askInitialAnswers(): Promise<WizardConfig> {
  const answers = await askAnswers({}, { keys: FIRST_RUN_KEYS });
  return validateConfig(answers, { source: 'your answers' }).config;
}

export async function askMissingAnswers(
  raw: unknown,
  missing: readonly string[],
  opts: { source: string; configDir: string },
): Promise<WizardConfig> {
  const keys = keysFor(missing);
  const answers = await askAnswers((raw ?? {}) as PartialConfig, { keys: keys.length ? keys : ['hosts'] });
  return validateConfig(answers, { source: `${opts.source} and your answers`, configDir: opts.configDir })
    .config;
}

/** `next`: where a run without a choice would start (the runner's resume point: stale and dry-run steps count). */
export async function askWhereToResume(
  state: WizardState,
  next: StepId | undefined,
  done: number,
): Promise<StartChoice> {
  const choice = await askResume(state, { next, done });
  if (choice.action === 'restart') return { kind: 'start-over' };
  return { kind: 'from', step: choice.from };
}

export async function interactiveHooks(env: {
  onCleanup(fn: () => void): void;
}): Promise<RunnerHooks & { finish?(lines: string[]): Promise<void>; close?(): void }> {
  const { createInteractiveHooks } = await import('../ui/interactive.js');
  const hooks = await createInteractiveHooks({
    validate: (c) => validateConfig(c, { source: 'your answers' }).config,
    // bench/startup.mjs measures launch → first frame with this.
    onFrame: process.env.WIZARD_BENCH_FIRST_FRAME ? () => process.exit(0) : undefined,
  });
  env.onCleanup(() => hooks.close());
  return hooks;
}
