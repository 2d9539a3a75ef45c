// `wizard steps`: the step ids in order with their saved state (stdout: it is meant to be read by scripts too).
import { UsageError } from '../../errors.js';
import { loadState } from '../../state/index.js';
import { STEP_IDS } from '../../steps/types.js';
import type { CliArgs } from '../args.js';

export async function stepsCommand(args: CliArgs): Promise<number> {
  if (args.output === 'yaml') {
    throw new UsageError(
      '--output: "yaml" is not a format of wizard steps (json: for scripts; text: the default)',
    );
  }
  const state = await loadState(args.stateDir);
  const rows = STEP_IDS.map((id, i) => {
    const rec = state?.steps[id];
    return {
      index: i + 1,
      id,
      status: rec?.status ?? 'pending',
      mode: rec?.mode,
      finishedAt: rec?.finishedAt,
      error: rec?.error,
    };
  });
  if (args.output === 'json') {
    process.stdout.write(`${JSON.stringify({ stateDir: args.stateDir, steps: rows }, null, 2)}\n`);
    return 0;
  }
  for (const r of rows) {
    const mode = r.mode && r.mode !== 'live' ? ` (${r.mode})` : '';
    process.stdout.write(`${String(r.index).padStart(2)}  ${r.id.padEnd(16)} ${r.status}${mode}\n`);
  }
  return 0;
}
