// `wizard teardown`: delete exactly what the wizard manages (its label AND the plan's names), after showing the list
// and asking (or --yes). Harmless to run twice. Local certificates stay unless --purge-certs.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { kubectlDelete } from '../../io/ref.js';
import { loadState, saveState } from '../../state/index.js';
import { checkDeletePermissions, refText, runTeardown, scanTeardown } from '../../teardown/index.js';
import { canPrompt } from '../../ui/env.js';
import type { CliArgs } from '../args.js';
import { createIo } from '../io.js';
import { note } from '../out.js';
import { oneShotAnswers } from './common.js';

export async function teardownCommand(args: CliArgs, env: { interactive: boolean }): Promise<number> {
  if (args.mode === 'client-dry-run') {
    throw new UsageError('teardown --dry-run needs the cluster to find what exists: use --dry-run=server');
  }
  const state = await loadState(args.stateDir);
  const { config } = await oneShotAnswers(args, state);
  const { cluster } = await createIo(args, args.mode);
  const t = cluster.target();
  // A server dry run deletes nothing: say so, and leave the local certificates and the saved progress alone.
  const dryRun = args.mode === 'server-dry-run';
  note(
    `cluster: context "${t.context}" at ${t.server}${dryRun ? ' (server dry-run: nothing is deleted)' : ''}`,
  );

  const { refs, leftovers, inUse } = await scanTeardown(cluster, config);
  for (const { ref, by } of inUse) note(`not deleted: ${refText(ref)} is still used by ${by}`);
  for (const r of leftovers) {
    note(
      `not deleted: ${refText(r)} has the wizard's label but is not in the current plan (from an earlier config?); to remove it: ${kubectlDelete(r)}`,
    );
  }
  if (!refs.length) note('nothing to delete: no object managed by istio-ingress-wizard matches the plan');
  else {
    note(`${dryRun ? 'would delete' : 'will delete'} ${refs.length} object(s):`);
    for (const r of refs) note(`  ${refText(r)}`);
  }
  await checkDeletePermissions(cluster, refs);
  // A server dry run deletes nothing: no confirmation to ask for.
  if (refs.length && !args.yes && !dryRun) {
    if (!env.interactive && !canPrompt()) {
      throw new UsageError(
        'teardown needs confirmation and there is no terminal to ask',
        [],
        'pass --yes to delete them',
      );
    }
    const { confirm } = await import('@inquirer/prompts');
    const ok = await confirm(
      { message: `Delete these ${refs.length} objects?`, default: false },
      { output: process.stderr },
    );
    if (!ok) {
      note('nothing deleted');
      return 0;
    }
  }
  if (refs.length) await runTeardown(cluster, refs, (l) => note(dryRun ? `${l} (dry run)` : l));
  if (dryRun) {
    note(
      `server dry-run: nothing was deleted; local certificates and saved progress kept${args.purgeCerts ? ' (--purge-certs ignored)' : ''}`,
    );
    return 0;
  }

  if (args.purgeCerts) {
    await rm(path.join(args.stateDir, 'certs'), { recursive: true, force: true });
    note(`removed local certificates in ${path.join(args.stateDir, 'certs')}`);
  } else if (refs.length)
    note(`local certificates kept in ${path.join(args.stateDir, 'certs')} (--purge-certs removes them)`);

  // What was applied is gone: keep the answers, forget the progress (certificates too if purged).
  const current = await loadState(args.stateDir);
  if (current) await saveState(args.stateDir, { ...current, steps: {}, updatedAt: new Date().toISOString() });
  return 0;
}
