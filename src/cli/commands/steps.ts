// `wizard steps`: the step ids in order with their saved state, judged by the same computation a run resumes by
// (src/runner/plan.ts): whether each record counts as done for this mode, and which input changed since (stdout:
// it is meant to be read by scripts too).
import { validateConfig } from '../../config/load.js';
import { UsageError } from '../../errors.js';
import { type StepState, stepStates } from '../../runner/plan.js';
import { loadState } from '../../state/index.js';
import { STEPS } from '../../steps/index.js';
import { type CliArgs, runtimeFlags } from '../args.js';
import { oneShotAnswers } from './common.js';

export async function stepsCommand(args: CliArgs): Promise<number> {
  if (args.output === 'yaml') {
    throw new UsageError(
      '--output: "yaml" is not a format of wizard steps (json: for scripts; text: the default)',
    );
  }
  const state = await loadState(args.stateDir);
  // Staleness is judged against --config when given, else against the answers the state was saved with.
  const config = !state
    ? undefined
    : args.config
      ? (await oneShotAnswers(args, state)).config
      : validateConfig(state.answers, { source: `answers saved in ${args.stateDir}/state.json` }).config;
  const flags = runtimeFlags(args);
  const states = config ? stepStates({ steps: STEPS, state, config, flags, skip: args.skip }) : undefined;
  const rows = STEPS.map(({ id }, i) => {
    const rec = state?.steps[id];
    const st = states?.get(id);
    return {
      index: i + 1,
      id,
      status: rec?.status ?? 'pending',
      mode: rec?.mode,
      finishedAt: rec?.finishedAt,
      error: rec?.error,
      ...(st && rec?.status === 'done' ? judged(st) : {}),
    };
  });
  if (args.output === 'json') {
    process.stdout.write(`${JSON.stringify({ stateDir: args.stateDir, steps: rows }, null, 2)}\n`);
    return 0;
  }
  for (const r of rows) {
    const mode = r.mode && r.mode !== 'live' ? ` (${r.mode})` : '';
    const stale = r.stale
      ? `, stale: ${r.changed?.length ? `${r.changed.join(', ')} changed` : 'inputs changed'}`
      : '';
    const notCounted = r.countsAsDone === false ? `, not done for a ${flags.mode} run` : '';
    process.stdout.write(
      `${String(r.index).padStart(2)}  ${r.id.padEnd(16)} ${r.status}${mode}${notCounted}${stale}\n`,
    );
  }
  return 0;
}

/** What the runner makes of a done record: counts for this mode or not, and which inputs changed since. */
function judged(st: StepState): { countsAsDone: boolean; stale: boolean; changed: string[] } {
  return { countsAsDone: st.done, stale: st.stale, changed: st.changed };
}
