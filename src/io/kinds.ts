// The one table of the kinds the wizard touches: API group, REST plural, scope. The REST paths (kube/resources.ts),
// the permission questions (preflight, teardown) and the kubectl commands the wizard prints all read it.
export interface KindInfo {
  group: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  /** Built-in kinds have one version the wizard uses; Istio's served versions are discovered. */
  version?: string;
}

export const KINDS: readonly KindInfo[] = [
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false },
  { group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
  { group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true },
  { group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true },
  { group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true },
  { group: 'events.k8s.io', version: 'v1', kind: 'Event', plural: 'events', namespaced: true },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
  },
  { group: 'networking.istio.io', kind: 'DestinationRule', plural: 'destinationrules', namespaced: true },
  { group: 'networking.istio.io', kind: 'VirtualService', plural: 'virtualservices', namespaced: true },
  { group: 'networking.istio.io', kind: 'Gateway', plural: 'gateways', namespaced: true },
  // api: gateway-api. Versions are discovered like Istio's: ReferenceGrant is served as v1 or v1beta1.
  { group: 'gateway.networking.k8s.io', kind: 'GatewayClass', plural: 'gatewayclasses', namespaced: false },
  { group: 'gateway.networking.k8s.io', kind: 'Gateway', plural: 'gateways', namespaced: true },
  { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', plural: 'httproutes', namespaced: true },
  { group: 'gateway.networking.k8s.io', kind: 'ReferenceGrant', plural: 'referencegrants', namespaced: true },
];

/** The group of an apiVersion (`apps/v1` → apps, `v1` → the core group ''). */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
}

export function kindOf(apiVersion: string, kind: string): KindInfo | undefined {
  const group = groupOf(apiVersion);
  return KINDS.find((k) => k.kind === kind && k.group === group);
}
