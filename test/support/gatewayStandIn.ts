// The ingress gateway as the API server sees it, without a kubelet: pods with the gateway's labels whose status
// (Running/Ready) the test writes through pods/status, a Service in front of them, and — for LoadBalancer — the
// external address written through services/status, the way a cloud controller would.
// For the API-server tier only (test/steps, test/cli, test/teardown): preflight there needs a gateway to find, in
// shapes the real stack does not have (hostname load balancers, pending ones on kind, NodePort, other labels).
// Traffic, rollouts and the real gateway pod are the stack tier's (test/stack/**); each user says why it stays in
// its opening comment.
import type { LiveCluster } from '../../src/io/kube/live.js';
import type { K8sObject } from '../../src/manifests/types.js';

export interface StandInOptions {
  namespace?: string;
  labels?: Record<string, string>;
  name?: string;
  pods?: number;
  serviceType?: 'LoadBalancer' | 'NodePort' | 'ClusterIP';
  /** status.loadBalancer.ingress[0].ip (LoadBalancer only) */
  lbIp?: string;
  /** status.loadBalancer.ingress[0].hostname (LoadBalancer only) */
  lbHostname?: string;
  /** Selector of the Service (default: the pod labels). */
  serviceSelector?: Record<string, string>;
}

export interface StandIn {
  namespace: string;
  pods: string[];
  service: string;
}

const FM = 'gateway-stand-in';

async function apply(cluster: LiveCluster, obj: K8sObject): Promise<void> {
  await cluster.request({
    method: 'PATCH',
    path: await cluster.resources.path({
      ...obj,
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
    }),
    query: { fieldManager: FM, force: 'true' },
    body: obj,
    contentType: 'application/apply-patch+yaml',
    what: `stand-in apply ${obj.kind}/${obj.metadata.name}`,
  });
}

/** Writes a status through the subresource (merge patch), as the kubelet / a controller would. */
export async function writeStatus(
  cluster: LiveCluster,
  ref: { apiVersion: string; kind: string; namespace: string; name: string },
  status: Record<string, unknown>,
): Promise<void> {
  await cluster.request({
    method: 'PATCH',
    path: `${await cluster.resources.path(ref)}/status`,
    body: { status },
    contentType: 'application/merge-patch+json',
    what: `write status of ${ref.kind}/${ref.name}`,
  });
}

export function runningPodStatus(containers: { name: string; image: string }[]): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    phase: 'Running',
    podIP: '10.244.0.10',
    hostIP: '172.18.0.2',
    startTime: now,
    conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({
      type,
      status: 'True',
      lastTransitionTime: now,
    })),
    containerStatuses: containers.map((c) => ({
      name: c.name,
      image: c.image,
      imageID: `${c.image}@sha256:${'0'.repeat(64)}`,
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: now } },
    })),
  };
}

export async function createGatewayStandIn(
  cluster: LiveCluster,
  opts: StandInOptions = {},
): Promise<StandIn> {
  const namespace = opts.namespace ?? 'istio-system';
  const labels = opts.labels ?? { istio: 'ingressgateway', app: 'istio-ingressgateway' };
  const name = opts.name ?? 'istio-ingressgateway';
  await apply(cluster, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  const pods: string[] = [];
  const containers = [{ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.30.3' }];
  for (let i = 0; i < (opts.pods ?? 1); i++) {
    const podName = `${name}-${i}`;
    await apply(cluster, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: podName, namespace, labels },
      spec: {
        nodeName: 'stand-in-node',
        containers: containers.map((c) => ({
          ...c,
          ports: [
            { containerPort: 8080, name: 'http2' },
            { containerPort: 8443, name: 'https' },
          ],
        })),
      },
    });
    await writeStatus(
      cluster,
      { apiVersion: 'v1', kind: 'Pod', namespace, name: podName },
      runningPodStatus(containers),
    );
    pods.push(podName);
  }
  const type = opts.serviceType ?? 'LoadBalancer';
  await apply(cluster, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels },
    spec: {
      type,
      selector: opts.serviceSelector ?? labels,
      ports: [
        { name: 'status-port', port: 15021, targetPort: 15021, protocol: 'TCP' },
        { name: 'http2', port: 80, targetPort: 8080, protocol: 'TCP' },
        { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' },
      ],
    },
  });
  if (type === 'LoadBalancer' && (opts.lbIp || opts.lbHostname)) {
    await writeStatus(
      cluster,
      { apiVersion: 'v1', kind: 'Service', namespace, name },
      {
        loadBalancer: { ingress: [opts.lbIp ? { ip: opts.lbIp } : { hostname: opts.lbHostname }] },
      },
    );
  }
  return { namespace, pods, service: name };
}

/** A Node object with addresses (there is no kubelet to register one): for the NodePort address check. */
export async function createNode(
  cluster: LiveCluster,
  name: string,
  addresses: { type: 'InternalIP' | 'ExternalIP' | 'Hostname'; address: string }[],
): Promise<void> {
  await apply(cluster, { apiVersion: 'v1', kind: 'Node', metadata: { name } });
  await writeStatus(cluster, { apiVersion: 'v1', kind: 'Node', namespace: '', name }, { addresses });
}
