// Entry point of the live cluster: reads kubeconfig like kubectl and returns a LiveCluster. Sends no request —
// the CLI shows target() before anything talks to the server; the first request (preflight's serverVersion)
// surfaces unreachable servers, bad credentials and TLS problems with their own messages.
// Import this module dynamically: it pulls in @kubernetes/client-node (heavy), which the dry-run never needs.

import { DEFAULT_FIELD_MANAGER } from './apply.js';
import { loadKubeconfig } from './kubeconfig.js';
import { LiveCluster } from './live.js';
import { Transport } from './transport.js';

export interface ConnectOptions {
  /** --kubeconfig FILE: only this file. Else KUBECONFIG (merged), else ~/.kube/config. */
  kubeconfig?: string;
  /** --context NAME */
  context?: string;
  /** --dry-run=server: every write is sent with dryRun=All. */
  dryRunServer?: boolean;
  /** Default istio-ingress-wizard. */
  fieldManager?: string;
}

export async function connectCluster(opts: ConnectOptions): Promise<LiveCluster> {
  const loaded = await loadKubeconfig({ kubeconfig: opts.kubeconfig, context: opts.context });
  return new LiveCluster({
    transport: new Transport(loaded.kc, loaded.target),
    context: loaded.context,
    server: loaded.server,
    namespace: loaded.namespace,
    dryRunServer: opts.dryRunServer ?? false,
    fieldManager: opts.fieldManager ?? DEFAULT_FIELD_MANAGER,
  });
}

export { LiveCluster } from './live.js';
