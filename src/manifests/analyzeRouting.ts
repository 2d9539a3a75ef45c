// Routing cross-checks: VirtualService → Gateway → host, route → Service/port, route subset → DestinationRule,
// subset labels → pods, Service port naming.
import { asArray, type Finding, finding, type Json, type ObjectSet } from './analyzeContext.js';
import { gatewayHostServes, parseServiceFqdn, resolveServiceHost } from './hostMatch.js';
import type { K8sObject } from './types.js';

/** Istio's protocol prefixes for Service port names (`http`, `http-web`, `grpc-api`, …). */
const PORT_PROTOCOLS = [
  'http',
  'http2',
  'https',
  'grpc',
  'grpc-web',
  'tcp',
  'tls',
  'udp',
  'mongo',
  'mysql',
  'redis',
];

function gatewayRef(entry: string, vsNamespace: string): { namespace: string; name: string } {
  const slash = entry.indexOf('/');
  return slash < 0
    ? { namespace: vsNamespace, name: entry }
    : { namespace: entry.slice(0, slash), name: entry.slice(slash + 1) };
}

/** Every route destination of a VirtualService (http, tls and tcp routes). */
function destinations(vs: K8sObject): Json[] {
  const spec = vs.spec ?? {};
  return [...asArray(spec.http), ...asArray(spec.tls), ...asArray(spec.tcp)].flatMap((r: Json) =>
    asArray(r?.route).map((d: Json) => d?.destination ?? {}),
  );
}

export function checkVirtualServiceGateways(set: ObjectSet): Finding[] {
  const out: Finding[] = [];
  const servedHosts = new Map<K8sObject, { all: string[]; exact: Set<string> }>();
  for (const vs of set.ofKind('VirtualService')) {
    const vsNs = set.ns(vs);
    for (const entry of asArray(vs.spec?.gateways) as string[]) {
      if (entry === 'mesh') continue;
      const ref = gatewayRef(entry, vsNs);
      const gw = set.find('Gateway', ref.namespace, ref.name);
      if (!gw) {
        out.push(
          finding(
            'error',
            'vs-gateway-not-found',
            set.ref(vs),
            `gateway ${ref.namespace}/${ref.name} does not exist`,
          ),
        );
        continue;
      }
      let served = servedHosts.get(gw);
      if (!served) {
        const all = asArray(gw.spec?.servers).flatMap((s: Json) => asArray(s?.hosts)) as string[];
        served = { all, exact: new Set(all) };
        servedHosts.set(gw, served);
      }
      for (const host of asArray(vs.spec?.hosts) as string[]) {
        const { all, exact } = served;
        // Fast path for the common exact, un-prefixed host; the full rules (wildcards, ns/) otherwise.
        if (!exact.has(host) && !all.some((g) => gatewayHostServes(g, set.ns(gw), host, vsNs))) {
          out.push(
            finding(
              'error',
              'vs-host-not-in-gateway',
              set.ref(vs),
              `host ${host} is not served by any server of gateway ${ref.namespace}/${ref.name}`,
            ),
          );
        }
      }
    }
  }
  return out;
}

export function checkDestinations(set: ObjectSet): Finding[] {
  const out: Finding[] = [];
  const rules = set.ofKind('DestinationRule').map((dr) => ({
    host: resolveServiceHost(String(dr.spec?.host ?? ''), set.ns(dr)),
    subsets: new Set(asArray(dr.spec?.subsets).map((s: Json) => s?.name)),
  }));
  for (const vs of set.ofKind('VirtualService')) {
    for (const dest of destinations(vs)) {
      const host = resolveServiceHost(String(dest.host ?? ''), set.ns(vs));
      const svcRef = parseServiceFqdn(host);
      if (svcRef) {
        const svc = set.find('Service', svcRef.namespace, svcRef.name);
        const port = dest.port?.number;
        if (!svc) {
          out.push(
            finding('error', 'destination-service-not-found', set.ref(vs), `no Service for host ${host}`),
          );
        } else if (port !== undefined && !asArray(svc.spec?.ports).some((p: Json) => p?.port === port)) {
          out.push(
            finding(
              'error',
              'destination-port-not-found',
              set.ref(vs),
              `Service ${host} has no port ${port}`,
            ),
          );
        }
      }
      if (dest.subset === undefined) continue;
      const forHost = rules.filter((r) => r.host === host);
      if (!forHost.some((r) => r.subsets.has(dest.subset))) {
        const why = forHost.length
          ? 'its DestinationRule does not define it'
          : 'no DestinationRule for that host';
        out.push(
          finding(
            'error',
            'subset-not-defined',
            set.ref(vs),
            `route to ${host} subset ${dest.subset}: ${why}`,
          ),
        );
      }
    }
  }
  return out;
}

function selects(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export function checkSubsetPods(set: ObjectSet): Finding[] {
  const out: Finding[] = [];
  for (const dr of set.ofKind('DestinationRule')) {
    const host = resolveServiceHost(String(dr.spec?.host ?? ''), set.ns(dr));
    const svcRef = parseServiceFqdn(host);
    if (!svcRef) continue;
    const svcSelector = set.find('Service', svcRef.namespace, svcRef.name)?.spec?.selector ?? {};
    const pods = set
      .ofKind('Deployment')
      .filter((d) => set.ns(d) === svcRef.namespace)
      .map((d) => d.spec?.template?.metadata?.labels as Record<string, string> | undefined);
    for (const subset of asArray(dr.spec?.subsets)) {
      const want = { ...svcSelector, ...(subset?.labels ?? {}) };
      if (!pods.some((labels) => selects(want, labels))) {
        out.push(
          finding(
            'error',
            'subset-selects-no-pods',
            set.ref(dr),
            `subset ${subset?.name}: no Deployment in ${svcRef.namespace} has pods labelled ${JSON.stringify(want)}`,
          ),
        );
      }
    }
  }
  return out;
}

export function checkServicePortNames(set: ObjectSet): Finding[] {
  const out: Finding[] = [];
  for (const svc of set.ofKind('Service')) {
    for (const p of asArray(svc.spec?.ports)) {
      if (p?.appProtocol) continue;
      const name = String(p?.name ?? '');
      if (!PORT_PROTOCOLS.some((proto) => name === proto || name.startsWith(`${proto}-`))) {
        out.push(
          finding(
            'warning',
            'service-port-name-protocol',
            set.ref(svc),
            `port ${p?.port} is named "${name}": Istio needs a protocol prefix (${PORT_PROTOCOLS.join(', ')}) or appProtocol`,
          ),
        );
      }
    }
  }
  return out;
}
