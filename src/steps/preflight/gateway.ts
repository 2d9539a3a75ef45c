// Finding the ingress gateway the Gateway resource will select: its pods (gateway.selector in
// gateway.workloadNamespace), the Service in front of them, the ports serving 80/443 and an address curl can use.
import { lookup } from 'node:dns/promises';
import type { GatewayConfig } from '../../config/types.js';
import type { ClusterIo } from '../../io/types.js';
import type { K8sObject } from '../../manifests/types.js';
import type { PreflightOutputs } from '../types.js';
import { type CheckResult, fail, pass, warn } from './result.js';

export interface GatewayFacts {
  gatewayAddress?: string;
  httpPort?: number;
  httpsPort?: number;
}

type Labels = Record<string, string>;

export const selectorString = (sel: Labels): string =>
  Object.entries(sel)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

const matches = (sel: Labels, labels: Labels | undefined): boolean =>
  Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels?.[k] === v);

const isReady = (pod: K8sObject): boolean =>
  (pod.status?.conditions ?? []).some(
    (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
  );

/** The well-known labels of Istio's ingress gateway (istioctl: istio=ingressgateway; Helm gateway chart: istio=ingress). */
const WELL_KNOWN: Labels[] = [{ istio: 'ingressgateway' }, { istio: 'ingress' }];

export function pendingHint(kind: PreflightOutputs['clusterKind']): string {
  switch (kind) {
    case 'kind':
      return 'kind has no load balancer: run cloud-provider-kind (go install sigs.k8s.io/cloud-provider-kind@latest), or pass --address with a node IP and the NodePort';
    case 'minikube':
      return 'run `minikube tunnel` in another terminal so the LoadBalancer gets an IP';
    case 'k3d':
      return "k3d's built-in load balancer (servicelb/klipper) assigns it: create the cluster with -p 80:80@loadbalancer -p 443:443@loadbalancer";
    default:
      return 'wait for the cloud load balancer, or pass --address with a node IP and the NodePort';
  }
}

export async function checkGateway(
  cluster: ClusterIo,
  gw: GatewayConfig,
  clusterKind: PreflightOutputs['clusterKind'],
): Promise<{ results: CheckResult[]; facts: GatewayFacts }> {
  const ns = gw.workloadNamespace;
  const sel = selectorString(gw.selector);
  const pods = await cluster.list({ apiVersion: 'v1', kind: 'Pod', namespace: ns, labelSelector: sel });
  if (pods.length === 0) {
    return { results: [await noGatewayPods(cluster, gw)], facts: {} };
  }
  const results: CheckResult[] = [];
  const ready = pods.filter(isReady).length;
  results.push(
    ready > 0
      ? pass(`ingress gateway: ${ready}/${pods.length} pods ready (${sel} in namespace ${ns})`)
      : warn(
          `ingress gateway: ${pods.length} pods match ${sel} in namespace ${ns}, none ready`,
          `kubectl get pods -n ${ns} -l ${sel}`,
        ),
  );

  const services = await cluster.list({ apiVersion: 'v1', kind: 'Service', namespace: ns });
  const svc = services.find((s) => pods.some((p) => matches(s.spec?.selector ?? {}, p.metadata.labels)));
  if (!svc) {
    results.push(
      warn(
        `ingress gateway: no Service in namespace ${ns} selects the gateway pods: no address to test against`,
        'expose the gateway with a LoadBalancer/NodePort Service (istioctl install creates istio-ingressgateway)',
      ),
    );
    return { results, facts: {} };
  }
  type Port = { port: number; nodePort?: number; targetPort?: number | string; name?: string };
  const ports: Port[] = svc.spec?.ports ?? [];
  const p80 = ports.find((p) => p.port === 80);
  const p443 = ports.find((p) => p.port === 443);
  const desc = (p: Port | undefined) =>
    p ? `${p.port}→${p.targetPort ?? p.port}${p.nodePort ? ` (nodePort ${p.nodePort})` : ''}` : 'none';
  const type: string = svc.spec?.type ?? 'ClusterIP';
  const name = `Service ${ns}/${svc.metadata.name}`;
  results.push(
    p80 && p443
      ? pass(`gateway ${name} (${type}) ports: http ${desc(p80)}, https ${desc(p443)}`)
      : warn(
          `gateway ${name} (${type}) ports: http ${desc(p80)}, https ${desc(p443)}: the Gateway's servers use 80 and 443`,
          `add the missing port to ${name}`,
        ),
  );

  // Address: load balancer first, then a node address with the NodePort.
  const ingress: { ip?: string; hostname?: string }[] = svc.status?.loadBalancer?.ingress ?? [];
  if (type === 'LoadBalancer' && ingress.length > 0) {
    const first = ingress[0] ?? {};
    if (first.ip) {
      results.push(pass(`gateway address: ${first.ip} (LoadBalancer)`));
      return { results, facts: { gatewayAddress: first.ip, httpPort: p80?.port, httpsPort: p443?.port } };
    }
    if (first.hostname) {
      try {
        const { address } = await lookup(first.hostname);
        results.push(pass(`gateway address: ${address} (LoadBalancer hostname ${first.hostname})`));
        return { results, facts: { gatewayAddress: address, httpPort: p80?.port, httpsPort: p443?.port } };
      } catch (e) {
        results.push(
          warn(
            `gateway address: LoadBalancer hostname ${first.hostname} does not resolve (${(e as { code?: string }).code ?? 'lookup failed'}); curl --resolve needs an IP`,
            'wait until the DNS name resolves, or pass --address IP',
          ),
        );
        return { results, facts: { httpPort: p80?.port, httpsPort: p443?.port } };
      }
    }
  }
  if ((type === 'NodePort' || type === 'LoadBalancer') && (p80?.nodePort || p443?.nodePort)) {
    const nodeAddr = await nodeAddress(cluster);
    if (nodeAddr) {
      results.push(
        type === 'LoadBalancer'
          ? warn(
              `gateway address: LoadBalancer pending; using NodePort on node ${nodeAddr.address} (${nodeAddr.type})`,
              pendingHint(clusterKind),
            )
          : pass(`gateway address: ${nodeAddr.address} (node ${nodeAddr.type}, NodePort)`),
      );
      return {
        results,
        facts: { gatewayAddress: nodeAddr.address, httpPort: p80?.nodePort, httpsPort: p443?.nodePort },
      };
    }
    results.push(
      warn(
        `gateway address: ${type === 'LoadBalancer' ? 'LoadBalancer pending and ' : ''}no node address found for the NodePort`,
        type === 'LoadBalancer' ? pendingHint(clusterKind) : 'pass --address with a node IP',
      ),
    );
    return { results, facts: {} };
  }
  results.push(
    warn(
      `gateway address: pending (${name} is ${type}${type === 'LoadBalancer' ? ' without an ingress IP yet' : ''})`,
      type === 'LoadBalancer'
        ? pendingHint(clusterKind)
        : `make it reachable (kubectl port-forward -n ${ns} svc/${svc.metadata.name} 8080:80 8443:443, then --address 127.0.0.1 --http-port 8080 --https-port 8443)`,
    ),
  );
  return { results, facts: {} };
}

async function nodeAddress(cluster: ClusterIo): Promise<{ address: string; type: string } | undefined> {
  let nodes: K8sObject[];
  try {
    nodes = await cluster.list({ apiVersion: 'v1', kind: 'Node' });
  } catch {
    return undefined; // no permission to list nodes: the caller warns
  }
  for (const type of ['ExternalIP', 'InternalIP']) {
    for (const n of nodes) {
      const a = (n.status?.addresses ?? []).find((x: { type: string }) => x.type === type);
      if (a?.address) return { address: a.address, type };
    }
  }
  return undefined;
}

/** No pods match: look for the well-known gateway labels anywhere and offer the config change. */
async function noGatewayPods(cluster: ClusterIo, gw: GatewayConfig): Promise<CheckResult> {
  const sel = selectorString(gw.selector);
  for (const labels of WELL_KNOWN) {
    let found: K8sObject[] = [];
    try {
      found = await cluster.list({ apiVersion: 'v1', kind: 'Pod', labelSelector: selectorString(labels) });
    } catch {
      break; // cannot list pods cluster-wide: give the plain failure
    }
    const pod = found[0];
    if (!pod) continue;
    const podNs = pod.metadata.namespace ?? '';
    if (podNs === gw.workloadNamespace && selectorString(labels) === sel) continue;
    const [k, v] = Object.entries(labels)[0] as [string, string];
    return fail(
      `ingress gateway: no pods match ${sel} in namespace ${gw.workloadNamespace}, but pods labelled ${k}=${v} run in namespace ${podNs}`,
      `set gateway.selector: { ${k}: ${v} } and gateway.workloadNamespace: ${podNs} in the config`,
    );
  }
  return fail(
    `ingress gateway: no pods match ${sel} in namespace ${gw.workloadNamespace}, and no istio=ingressgateway / istio=ingress pods anywhere`,
    'install the Istio ingress gateway (istioctl install --set profile=default -y), or set gateway.selector / gateway.workloadNamespace to yours',
  );
}
