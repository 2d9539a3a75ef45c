// The interactive side of a run, loaded only on a terminal: the questions, and the hooks that show each plan and
// ask before a step acts. Prompts render on stderr; stdout stays for machine output.
import { validateConfig } from '../config/load.js';
import type { WizardConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { StartChoice, StepState } from '../runner/plan.js';
import type { RunnerHooks } from '../runner/types.js';
import type { WizardState } from '../state/index.js';
import type { StepId } from '../steps/types.js';
import { canUseInteractiveUi } from '../ui/env.js';
import { askAnswers, FIRST_RUN_KEYS, type PartialConfig } from '../ui/prompts/answers.js';
import { askResume } from '../ui/prompts/resume.js';
import type { CliArgs } from './args.js';

/** Config keys findMissingAnswers names (`hosts`, `hosts[0].protocol`) → the questions that supply them. */
function keysFor(missing: readonly string[]) {
  return FIRST_RUN_KEYS.filter((k) =>
    missing.some((m) => m === k || m.startsWith(`${k}[`) || m.startsWith(`${k}.`)),
  );
}

/** A first run: the recommended setup (`recommended`, the bundled example) in one keystroke, or the questions. */
export async function askInitialAnswers(recommended: {
  config: WizardConfig;
  file: string;
}): Promise<{ config: WizardConfig; recommended: boolean }> {
  const { askSetup } = await import('../ui/prompts/setup.js');
  if ((await askSetup(recommended.config, { file: recommended.file })) === 'recommended') {
    return { config: recommended.config, recommended: true };
  }
  const answers = await askAnswers({}, { keys: FIRST_RUN_KEYS });
  return { config: validateConfig(answers, { source: 'your answers' }).config, recommended: false };
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
  at: { next: StepId | undefined; done: number; states: ReadonlyMap<StepId, StepState> },
): Promise<StartChoice> {
  // The listing says what `wizard steps` says: done only when it counts now, stale naming what changed.
  const labels: Partial<Record<StepId, string>> = {};
  for (const [id, st] of at.states) {
    labels[id] = st.stale
      ? `stale: ${st.changed.length ? `${st.changed.join(', ')} changed` : 'inputs changed'}`
      : st.done
        ? 'done'
        : st.leftOut
          ? 'skipped'
          : st.record?.status === 'done'
            ? `done (${st.record.mode ?? 'dry-run'}): not counted now`
            : (st.record?.status ?? 'pending');
  }
  const choice = await askResume(state, {
    next: at.next,
    done: at.done,
    labels,
    origin: (await isBundledExample(state.answers))
      ? 'the bundled example (assets/wizard.example.yaml)'
      : undefined,
  });
  if (choice.action === 'restart') return { kind: 'start-over' };
  return { kind: 'from', step: choice.from };
}

/** Whether saved answers are the bundled example's (a `--dry-run --yes` try-out saves those): the question says so. */
async function isBundledExample(answers: unknown): Promise<boolean> {
  const { exampleConfigPath } = await import('./answers.js');
  const { loadConfig } = await import('../config/load.js');
  try {
    return canonical(answers) === canonical((await loadConfig(exampleConfigPath())).config);
  } catch {
    return false;
  }
}

/** JSON with sorted keys, so two configs compare by content, not by key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );
}

/**
 * "Start at a step I choose" never dead-ends: a step that cannot start yet (an earlier step not done, or changed
 * since) is explained — naming the step that must come first and the input that changed — and the question is
 * asked again, where "Continue" offers the step that must come first.
 */
export async function untilStartable<T>(plan: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await plan();
    } catch (err) {
      if (!(err instanceof UsageError) || !/^(cannot start at|step \S+ needs)/.test(err.message)) throw err;
      process.stderr.write(
        `${err.message}\n${err.hint ? `${err.hint.replace(/^run `wizard[^`]*--from (\S+)` first/, 'start at $1 first')}\n` : ''}Choose again:\n`,
      );
    }
  }
}

export async function interactiveHooks(
  args: CliArgs,
  env: { onCleanup(fn: () => void): void },
): Promise<RunnerHooks & { finish?(lines: string[]): Promise<void>; close?(): void }> {
  const { createInteractiveHooks, createLineHooks } = await import('../ui/interactive.js');
  const validate = (c: WizardConfig) => validateConfig(c, { source: 'your answers' }).config;
  const hooks = canUseInteractiveUi()
    ? await createInteractiveHooks({
        validate,
        // bench/startup.mjs measures launch → first frame with this.
        onFrame: process.env.WIZARD_BENCH_FIRST_FRAME ? () => process.exit(0) : undefined,
      })
    : await createLineHooks({ validate });
  env.onCleanup(() => hooks.close());
  if ('note' in hooks && typeof hooks.note === 'function') {
    const { setNoteSink } = await import('./out.js');
    setNoteSink(hooks.note as (line: string) => void);
    env.onCleanup(() => setNoteSink(undefined));
  }
  // A client dry-run changes nothing outside the state directory: no question before each step unless --step
  // asks for a review. A live or server dry-run keeps asking (it talks to a cluster).
  if (args.mode === 'client-dry-run' && !args.step) return { ...hooks, confirm: undefined };
  return hooks;
}
