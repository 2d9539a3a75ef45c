// `wizard` / `wizard run`: the answers, then the runner (what runs, resume, dependencies, the run), then the output.
import type { WizardConfig } from '../../config/types.js';
import { isCurrent, planRun, runStartEvent } from '../../runner/plan.js';
import { runSteps } from '../../runner/run.js';
import { openStateStore } from '../../runner/stateStore.js';
import type { RunnerHooks } from '../../runner/types.js';
import { loadState, resetState } from '../../state/index.js';
import { STEPS } from '../../steps/index.js';
import { createPlainRenderer } from '../../ui/plain.js';
import { refuseUnattended, resolveAnswers } from '../answers.js';
import { type CliArgs, runtimeFlags } from '../args.js';
import { createIo } from '../io.js';
import { note } from '../out.js';
import { eventWithModeFlags } from '../rerun.js';
import { checkPlan, noteTarget, printManifests, summaryLines } from '../runOutput.js';

export interface RunEnv {
  signal: AbortSignal;
  interactive: boolean;
  /** Set by the interactive UI so the CLI's signal handler can restore the terminal. */
  onCleanup(fn: () => void): void;
}

export async function runCommand(args: CliArgs, env: RunEnv): Promise<number> {
  const saved = args.reset ? undefined : await loadState(args.stateDir);
  refuseUnattended(args, env, saved);
  if (args.reset) await resetState(args.stateDir);
  let answers = await resolveAnswers(args, saved, env);
  const flags = runtimeFlags(args);
  const planFor = (config: WizardConfig, state: typeof saved, ask: boolean) =>
    planRun({
      steps: STEPS,
      state,
      config,
      flags,
      from: args.from,
      to: args.to,
      skip: args.skip,
      // With a state to resume and nothing said on the command line, a person is asked where to go on.
      chooseStart:
        ask && state
          ? async (at) => (await import('../interactive.js')).askWhereToResume(state, at)
          : undefined,
    });
  let plan = await (env.interactive && saved && !args.from
    ? (await import('../interactive.js')).untilStartable(() => planFor(answers.config, saved, true))
    : planFor(answers.config, saved, env.interactive));
  if (saved && !plan.state && !args.config) {
    // "Start over" forgets the saved answers too, as it says: they are asked again like on a first run.
    answers = await resolveAnswers(args, undefined, env);
    plan = await planFor(answers.config, undefined, false);
  }
  if (plan.state && !args.from && !env.interactive) {
    note(
      plan.resumedAt
        ? `resuming at ${plan.resumedAt} (state in ${args.stateDir})`
        : 'every step is done; running verify again',
    );
  }

  checkPlan(answers.config);
  // Loading the client and reaching the API server can take seconds: say so instead of going quiet.
  if (flags.mode !== 'client-dry-run')
    note(`connecting to ${args.context ? `context "${args.context}"` : 'the current kube context'}…`);
  const io = await createIo(args, flags.mode);
  noteTarget(io.cluster.target(), flags.mode);

  const ui: RunnerHooks & { finish?(lines: string[]): Promise<void>; close?(): void } = env.interactive
    ? await (await import('../interactive.js')).interactiveHooks(args, env)
    : { emit: createPlainRenderer(process.stderr) };
  // A step's hints (`wizard --from load-certs`) are shown under it: with this run's flags, like the CLI's own.
  const hooks: typeof ui = { ...ui, emit: (ev) => ui.emit(eventWithModeFlags(ev, args)) };
  const store = openStateStore(args.stateDir, plan.state, answers.config, flags.mode);
  await store.saveAnswers(answers.config);

  hooks.emit(runStartEvent(STEPS, plan, io.cluster.target()));
  try {
    const result = await runSteps({
      steps: plan.selection.run,
      ctx: {
        config: answers.config,
        configDir: answers.configDir,
        stateDir: args.stateDir,
        io,
        flags,
        outputs: plan.outputs,
        signal: env.signal,
      },
      hooks,
      store,
      doneBefore: [...plan.states.values()].filter(isCurrent).map((s) => s.id),
      revalidate: answers.revalidate,
      replay: plan.replay,
    });
    const summary = summaryLines(result.config, result.outputs, flags, args);
    hooks.emit({ type: 'run-end', ok: true, summary });
    await hooks.finish?.(summary);
    if (io.recorded) printManifests([...io.recorded], args);
    return 0;
  } finally {
    hooks.close?.();
  }
}
