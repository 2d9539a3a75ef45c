// Builds the Io a run hands its steps; the mode decides the cluster (helm's printing client, kubeadm's dry-run
// client): a recording one that reaches nothing (client dry-run), or the kube context with or without the API
// server's dryRun=All. @kubernetes/client-node is loaded only here, and only when needed.
import { createExec } from '../io/exec.js';
import { createRecordingCluster } from '../io/recording.js';
import type { Io } from '../io/types.js';
import type { K8sObject } from '../manifests/types.js';
import type { RunMode } from '../steps/types.js';
import type { CliArgs } from './args.js';

export interface RunIo extends Io {
  /** Client dry-run: every object the steps applied, in order (the manifest stream it prints). */
  recorded?: readonly K8sObject[];
}

export async function createIo(args: Pick<CliArgs, 'kubeconfig' | 'context'>, mode: RunMode): Promise<RunIo> {
  const exec = createExec();
  if (mode === 'client-dry-run') {
    const cluster = createRecordingCluster();
    return { cluster, exec, recorded: cluster.applied };
  }
  const { connectCluster } = await import('../io/kube/connect.js');
  const cluster = await connectCluster({
    kubeconfig: args.kubeconfig,
    context: args.context,
    dryRunServer: mode === 'server-dry-run',
  });
  return { cluster, exec };
}
