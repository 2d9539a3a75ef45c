// Hosts a Kubernetes Gateway API Gateway or HTTPRoute already claims, the wizard's or anyone's, checked for a config
// in either api mode. istiod turns an attached Gateway API Gateway into servers on the very gateway the Istio
// Gateway uses, so the same host in both is the duplicate-host clash hostClaims.ts describes: istiod keeps one of
// the servers and the other setup's routes answer. A Gateway with its own deployment (no address of this gateway's
// Service) is another Envoy: not a clash on the gateway, but two gateways answering for one name, so a warning.
//
// This config's own Gateway API objects (this run's, or the ones a mode switch replaces) are not claims.
import { type IstioApiVersion, MANAGED_BY_LABEL, MANAGER, type WizardConfig } from '../../config/types.js';
import type { ClusterIo } from '../../io/types.js';
import { attachedServiceName, GATEWAY_API_GROUP, GATEWAY_API_V1 } from '../../manifests/gatewayApi/names.js';
import { hostsOverlap } from '../../manifests/hostMatch.js';
import { tlsSecretNames } from '../../manifests/secrets.js';
import type { K8sObject } from '../../manifests/types.js';
import { refsForMode } from '../../plan/objects.js';
import { type CheckResult, fail, pass, warn } from './result.js';

export interface GatewayApiClaim {
  /** A listener hostname or a route hostname; may be a wildcard. */
  host: string;
  /** `Gateway ns/name (listener l)` or `HTTPRoute ns/name on Gateway ns/name` */
  by: string;
  /** On this config's gateway (attached to its Service): istiod would merge the two. */
  sameGateway: boolean;
  /** The claiming Gateway is the wizard's (another config): its TLS Secret has the name this config's would have. */
  wizard: boolean;
}

type Listener = { name: string; hostname?: string };
type ParentRef = { group?: string; kind?: string; namespace?: string; name: string };

const objKey = (kind: string, namespace: string | undefined, name: string) =>
  `${kind}|${namespace ?? ''}|${name}`;

/** The Service this config's gateway is (`name.ns.svc.cluster.local`), when it can be told. */
function ownGatewayService(config: WizardConfig): string | undefined {
  if (config.api === 'gateway-api' && config.gatewayApi.deployment === 'automated') return undefined;
  const svc = attachedServiceName(config);
  return svc && `${svc}.${config.gateway.workloadNamespace}.svc.cluster.local`;
}

/** Every Gateway API claim on the cluster except this config's own objects. */
export async function gatewayApiClaims(
  cluster: Pick<ClusterIo, 'list'>,
  config: WizardConfig,
  apiVersion: IstioApiVersion,
): Promise<GatewayApiClaim[]> {
  const own = new Set(
    (['istio', 'gateway-api'] as const)
      .flatMap((api) => refsForMode(config, api, apiVersion))
      .filter((r) => r.apiVersion.startsWith(`${GATEWAY_API_GROUP}/`))
      .map((r) => objKey(r.kind, r.namespace, r.name)),
  );
  const service = ownGatewayService(config);
  const gateways = await cluster.list({ apiVersion: GATEWAY_API_V1, kind: 'Gateway' });
  const info = new Map<string, { sameGateway: boolean; wizard: boolean }>();
  const claims: GatewayApiClaim[] = [];
  for (const gw of gateways) {
    const ns = gw.metadata.namespace ?? '';
    const addresses = (gw.spec?.addresses ?? []) as { type?: string; value: string }[];
    const facts = {
      sameGateway:
        !!service && addresses.some((a) => (a.type ?? 'IPAddress') === 'Hostname' && a.value === service),
      wizard: (gw.metadata.labels as Record<string, string> | undefined)?.[MANAGED_BY_LABEL] === MANAGER,
    };
    info.set(objKey('Gateway', ns, gw.metadata.name), facts);
    if (own.has(objKey('Gateway', ns, gw.metadata.name))) continue;
    for (const l of (gw.spec?.listeners ?? []) as Listener[])
      if (l.hostname)
        claims.push({
          host: l.hostname,
          by: `Gateway ${ns}/${gw.metadata.name} (listener ${l.name})`,
          ...facts,
        });
  }
  const routes = await cluster.list({ apiVersion: GATEWAY_API_V1, kind: 'HTTPRoute' });
  for (const r of routes) claims.push(...routeClaims(r, own, info));
  return claims;
}

/** A route claims its hostnames on each Gateway it names as a parent (the listener's hostname is the Gateway's). */
function routeClaims(
  route: K8sObject,
  own: Set<string>,
  gateways: Map<string, { sameGateway: boolean; wizard: boolean }>,
): GatewayApiClaim[] {
  const ns = route.metadata.namespace ?? '';
  if (own.has(objKey('HTTPRoute', ns, route.metadata.name))) return [];
  const hostnames = (route.spec?.hostnames ?? []) as string[];
  const out: GatewayApiClaim[] = [];
  for (const p of (route.spec?.parentRefs ?? []) as ParentRef[]) {
    if ((p.kind ?? 'Gateway') !== 'Gateway' || (p.group ?? GATEWAY_API_GROUP) !== GATEWAY_API_GROUP) continue;
    const gwNs = p.namespace ?? ns;
    const facts = gateways.get(objKey('Gateway', gwNs, p.name));
    if (!facts || own.has(objKey('Gateway', gwNs, p.name))) continue;
    for (const host of hostnames)
      out.push({ host, by: `HTTPRoute ${ns}/${route.metadata.name} on Gateway ${gwNs}/${p.name}`, ...facts });
  }
  return out;
}

/** Preflight's lines: a FAIL per host another Gateway API object claims on this gateway, a WARN elsewhere. */
export async function checkGatewayApiHostClaims(
  cluster: Pick<ClusterIo, 'list' | 'servedVersions'>,
  config: WizardConfig,
  apiVersion: IstioApiVersion,
): Promise<CheckResult[]> {
  if (!(await cluster.servedVersions(GATEWAY_API_GROUP)).includes('v1')) return [];
  let claims: GatewayApiClaim[];
  try {
    claims = await gatewayApiClaims(cluster, config, apiVersion);
  } catch {
    // Without the right to list Gateways and HTTPRoutes everywhere nothing can be told; permissions says what it can.
    return [];
  }
  const mine =
    config.api === 'gateway-api'
      ? `this config's Gateway ${config.gateway.workloadNamespace}/${config.gateway.name}`
      : `this config's Istio Gateway ${config.namespace}/${config.gateway.name}`;
  const secrets = config.certs.storage === 'credentialName' ? tlsSecretNames(config.hosts) : new Map();
  const results: CheckResult[] = [];
  for (const h of config.hosts) {
    const found = claims.filter((c) => hostsOverlap(c.host, h.name));
    const clash = found.filter((c) => c.sameGateway);
    const elsewhere = found.filter((c) => !c.sameGateway);
    if (clash.length) {
      const secret = clash.some((c) => c.wizard) ? secrets.get(h.name) : undefined;
      results.push(
        fail(
          `host ${h.name} is already claimed on this gateway by ${clash.map((c) => `${c.by}${c.host === h.name ? '' : ` as ${c.host}`}`).join(', ')} (Gateway API); ${mine} claims it too: istiod would serve only one of them (duplicate host names)${secret ? ` and Secret ${config.gateway.workloadNamespace}/${secret} (that Gateway's certificate) would be overwritten` : ''}`,
          'remove the host from that Gateway or HTTPRoute (wizard teardown with its config, if it is a wizard setup), or use another host name in this config',
        ),
      );
    }
    if (elsewhere.length) {
      results.push(
        warn(
          `host ${h.name} is also claimed by ${elsewhere.map((c) => c.by).join(', ')}, served by another gateway deployment: two gateways would answer for it, and DNS decides which one a client reaches`,
          'point the host’s DNS at one gateway only, or use another host name in this config',
        ),
      );
    }
  }
  if (results.length === 0)
    results.push(pass('hosts: none is claimed by another Gateway API Gateway or HTTPRoute'));
  return results;
}
