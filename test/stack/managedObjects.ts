/**
 * The objects the wizard manages (its managed-by label) in an app namespace and the gateway's namespace, reduced to
 * what a user configured: kind, name, labels and spec (Secrets: type and key names — the certificates differ per
 * state directory). Server-assigned fields (uid, resourceVersion, clusterIP, status, managedFields…) are dropped,
 * and the app namespace's name is replaced by `<ns>`, so two runs' dumps compare equal exactly when the runs made
 * the same objects.
 */

import { MANAGED_BY_LABEL, MANAGER } from '../../src/config/types.js';
import { connectCluster } from '../../src/io/kube/connect.js';
import type { K8sObject } from '../../src/manifests/types.js';

const KINDS = [
  ['apps/v1', 'Deployment'],
  ['v1', 'Service'],
  ['networking.istio.io/v1', 'DestinationRule'],
  ['networking.istio.io/v1', 'VirtualService'],
  ['networking.istio.io/v1', 'Gateway'],
] as const;

function normalise(o: K8sObject): Record<string, unknown> {
  if (o.kind === 'Secret')
    return {
      kind: o.kind,
      name: o.metadata.name,
      labels: o.metadata.labels,
      type: (o as { type?: string }).type,
      keys: Object.keys((o as { data?: Record<string, string> }).data ?? {}).sort(),
    };
  const spec = structuredClone(o.spec ?? {});
  if (o.kind === 'Service') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  }
  return { kind: o.kind, name: o.metadata.name, labels: o.metadata.labels, spec };
}

export async function managedObjects(
  kubeconfig: string,
  namespace: string,
  gatewayNamespace = 'istio-system',
): Promise<Record<string, unknown>[]> {
  const cluster = await connectCluster({ kubeconfig });
  const labelSelector = `${MANAGED_BY_LABEL}=${MANAGER}`;
  try {
    const found: K8sObject[] = [];
    for (const [apiVersion, kind] of KINDS)
      found.push(...(await cluster.list({ apiVersion, kind, namespace, labelSelector })));
    found.push(
      ...(await cluster.list({
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: gatewayNamespace,
        labelSelector,
      })),
    );
    const text = JSON.stringify(found.map(normalise)).replaceAll(namespace, '<ns>');
    return (JSON.parse(text) as Record<string, unknown>[]).sort((a, b) =>
      `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`),
    );
  } finally {
    cluster.close();
  }
}
