// `wizard` / `wizard run`: the answers, then the runner (what runs, resume, dependencies, the run), then the output.
import { UsageError } from '../../errors.js';
import { isCurrent, planRun } from '../../runner/plan.js';
import { runSteps } from '../../runner/run.js';
import { openStateStore } from '../../runner/stateStore.js';
import type { RunnerHooks } from '../../runner/types.js';
import { loadState, resetState } from '../../state/index.js';
import { STEPS } from '../../steps/index.js';
import { interactiveUiBlocker } from '../../ui/env.js';
import { createPlainRenderer } from '../../ui/plain.js';
import { resolveAnswers } from '../answers.js';
import { type CliArgs, runtimeFlags } from '../args.js';
import { createIo } from '../io.js';
import { note } from '../out.js';
import { checkPlan, printManifests, summaryLines } from '../runOutput.js';

export interface RunEnv {
  signal: AbortSignal;
  interactive: boolean;
  /** Set by the interactive UI so the CLI's signal handler can restore the terminal. */
  onCleanup(fn: () => void): void;
}

export async function runCommand(args: CliArgs, env: RunEnv): Promise<number> {
  // Nobody can be asked "Run <step>?": changing a cluster then takes an explicit --yes (like teardown).
  if (!env.interactive && !args.yes && args.mode === 'live') {
    throw new UsageError(
      `cannot ask before each step changes the cluster: no interactive terminal (${interactiveUiBlocker() ?? 'no terminal'})`,
      [],
      'pass --yes (with --config FILE for the answers) to go ahead everywhere, or --dry-run to only print the manifests',
    );
  }
  if (args.reset) await resetState(args.stateDir);
  const saved = await loadState(args.stateDir);
  // A client dry-run's answers (a try-out, maybe of the bundled example) never silently drive a run that changes a
  // cluster: on a terminal the resume question says where they come from; without one, --config must say it.
  if (
    saved?.answersMode === 'client-dry-run' &&
    args.mode !== 'client-dry-run' &&
    !env.interactive &&
    !args.config
  ) {
    throw new UsageError(
      `the answers saved in ${args.stateDir} come from a client dry-run (a try-out): not applied without asking`,
      [],
      'pass --config FILE with the answers to apply, or run on a terminal to confirm them',
    );
  }
  const answers = await resolveAnswers(args, saved, env);
  const flags = runtimeFlags(args);

  const plan = await planRun({
    steps: STEPS,
    state: saved,
    config: answers.config,
    flags,
    from: args.from,
    to: args.to,
    skip: args.skip,
    // With a state to resume and nothing said on the command line, a person is asked where to go on.
    chooseStart:
      env.interactive && saved
        ? async ({ next, done }) => (await import('../interactive.js')).askWhereToResume(saved, next, done)
        : undefined,
  });
  if (plan.state && !args.from && !env.interactive) {
    note(
      plan.resumedAt
        ? `resuming at ${plan.resumedAt} (state in ${args.stateDir})`
        : 'every step is done; running verify again',
    );
  }

  checkPlan(answers.config);
  const io = await createIo(args, flags.mode);
  const target = io.cluster.target();
  note(
    target.offline
      ? 'cluster: none (client dry-run: nothing is sent anywhere)'
      : `cluster: context "${target.context}" at ${target.server}${flags.mode === 'server-dry-run' ? ' (server dry-run: nothing persists)' : ''}`,
  );

  const hooks: RunnerHooks & { finish?(lines: string[]): Promise<void>; close?(): void } = env.interactive
    ? await (await import('../interactive.js')).interactiveHooks(env)
    : { emit: createPlainRenderer(process.stderr) };
  const store = openStateStore(args.stateDir, plan.state, answers.config, flags.mode);
  await store.saveAnswers(answers.config);

  const selected = new Set(plan.selection.run.map((s) => s.id));
  hooks.emit({
    type: 'run-start',
    steps: STEPS.map((s) => ({
      id: s.id,
      title: s.title,
      status: selected.has(s.id) ? 'pending' : (plan.state?.steps[s.id]?.status ?? 'skipped'),
    })),
    target: target.offline ? 'dry-run' : target.context,
  });
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
