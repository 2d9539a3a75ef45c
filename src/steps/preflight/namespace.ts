// The app namespace: present (or to be created), and whether Istio injects sidecars into it.
import type { ClusterIo } from '../../io/types.js';
import { injectionEnabled } from '../../manifests/labels.js';
import { type CheckResult, pass, warn } from './result.js';

export async function checkNamespace(
  cluster: ClusterIo,
  namespace: string,
): Promise<{ results: CheckResult[]; exists: boolean; injection: boolean }> {
  const ns = await cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace });
  const fix = `kubectl label namespace ${namespace} istio-injection=enabled`;
  if (!ns) {
    return {
      results: [
        pass(`namespace ${namespace} does not exist yet: it will be created`),
        warn(
          `sidecar injection: namespace ${namespace} will be created without the istio-injection label`,
          `after it is created: ${fix}`,
        ),
      ],
      exists: false,
      injection: false,
    };
  }
  const labels = ns.metadata.labels as Record<string, string> | undefined;
  const injection = injectionEnabled(labels);
  const how = labels?.['istio.io/rev'] ? `istio.io/rev=${labels['istio.io/rev']}` : 'istio-injection=enabled';
  return {
    results: [
      pass(`namespace ${namespace} exists`),
      injection
        ? pass(`sidecar injection enabled on namespace ${namespace} (${how})`)
        : warn(
            `sidecar injection is not enabled on namespace ${namespace}: pods run without the Envoy sidecar`,
            fix,
          ),
    ],
    exists: true,
    injection,
  };
}
