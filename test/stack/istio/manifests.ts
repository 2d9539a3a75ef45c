/**
 * The Kubernetes objects of the real istiod + Envoy gateway, as pure builders: what `istioctl install` (the istiod
 * and ingress-gateway charts) would create, minus the Deployments — here istiod and Envoy run as processes.
 */
import type { K8sObject } from '../../../src/manifests/types.js';

export interface GatewayIdentity {
  namespace: string;
  serviceAccount: string;
  labels: Record<string, string>;
  serviceName: string;
  podName: string;
}

/**
 * Mesh config (the `istio` ConfigMap istiod reads). enableAutoMtls off: with auto mTLS every cluster would wait
 * for a workload certificate from pilot-agent's SDS socket, and there is no pilot-agent (without sidecars auto
 * mTLS picks plaintext anyway).
 */
export const MESH_CONFIG = `enableAutoMtls: false
rootNamespace: istio-system
trustDomain: cluster.local
accessLogFile: /dev/stdout
defaultConfig:
  discoveryAddress: istiod.istio-system.svc:15012
`;

export function meshConfigMap(namespace: string): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'istio', namespace, labels: { 'istio.io/rev': 'default' } },
    data: { mesh: MESH_CONFIG, meshNetworks: 'networks: {}\n' },
  };
}

export function namespace(name: string): K8sObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

export function serviceAccount(id: GatewayIdentity): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: id.serviceAccount, namespace: id.namespace, labels: id.labels },
  };
}

/** What Istio's gateway chart grants: istiod serves a credentialName secret only to a proxy whose service account
 * may read it (a SubjectAccessReview per secret). */
export function secretReaderRbac(id: GatewayIdentity): K8sObject[] {
  const name = `${id.serviceAccount}-sds`;
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name, namespace: id.namespace },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, namespace: id.namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name: id.serviceAccount, namespace: id.namespace }],
    },
  ];
}

export const GATEWAY_PORTS = { status: 15021, http: 8080, https: 8443 } as const;

/** The gateway Service as Istio's chart makes it: 80→8080, 443→8443, plus the status port. */
export function gatewayService(id: GatewayIdentity): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: id.serviceName, namespace: id.namespace, labels: id.labels },
    spec: {
      type: 'LoadBalancer',
      selector: id.labels,
      ports: [
        { name: 'status-port', port: 15021, targetPort: GATEWAY_PORTS.status, protocol: 'TCP' },
        { name: 'http2', port: 80, targetPort: GATEWAY_PORTS.http, protocol: 'TCP' },
        { name: 'https', port: 443, targetPort: GATEWAY_PORTS.https, protocol: 'TCP' },
      ],
    },
  };
}

/**
 * The gateway pod. istiod finds the proxy's Service (and the 80→8080 mapping) by the pod's IP and labels.
 * - `kubelet: false`: Envoy runs as a host process in the tier's network namespace and no kubelet runs this pod
 *   (`nodeName` names no node): its status is written through pods/status with the namespace's address.
 * - `kubelet: true`: a real pod on the real node; its container (`image`, already on the node) only holds the
 *   network namespace Envoy joins, and the kubelet's readiness probe asks Envoy's status port.
 */
export function gatewayPod(id: GatewayIdentity, image: string, nodeName: string, kubelet = false): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: id.podName, namespace: id.namespace, labels: id.labels },
    spec: {
      nodeName,
      serviceAccountName: id.serviceAccount,
      containers: [
        {
          name: 'istio-proxy',
          image,
          ...(kubelet
            ? {
                imagePullPolicy: 'Never',
                readinessProbe: {
                  httpGet: { path: '/healthz/ready', port: GATEWAY_PORTS.status },
                  periodSeconds: 1,
                },
              }
            : {}),
          ports: [
            { containerPort: GATEWAY_PORTS.status, name: 'status-port' },
            { containerPort: GATEWAY_PORTS.http, name: 'http2' },
            { containerPort: GATEWAY_PORTS.https, name: 'https' },
          ],
        },
      ],
    },
  };
}

export function readyPodStatus(
  podIP: string,
  hostIP: string,
  image: string,
  container = 'istio-proxy',
): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    phase: 'Running',
    podIP,
    podIPs: [{ ip: podIP }],
    hostIP,
    startTime: now,
    conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({
      type,
      status: 'True',
      lastTransitionTime: now,
    })),
    containerStatuses: [
      {
        name: container,
        image,
        imageID: image,
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: now } },
      },
    ],
  };
}
