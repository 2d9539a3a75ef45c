// Builds the Io a run hands its steps. The mode decides the cluster: none (client dry-run), or the kube context with
// or without the API server's dryRun=All. @kubernetes/client-node is loaded only here, and only when needed.
import { createExec } from '../io/exec.js';
import { createOfflineCluster } from '../io/offline.js';
import type { Io } from '../io/types.js';
import type { RunMode } from '../steps/types.js';
import type { CliArgs } from './args.js';

export async function createIo(args: Pick<CliArgs, 'kubeconfig' | 'context'>, mode: RunMode): Promise<Io> {
  const exec = createExec();
  if (mode === 'client-dry-run') return { cluster: createOfflineCluster(), exec };
  const { connectCluster } = await import('../io/kube/connect.js');
  const cluster = await connectCluster({
    kubeconfig: args.kubeconfig,
    context: args.context,
    dryRunServer: mode === 'server-dry-run',
  });
  return { cluster, exec };
}
