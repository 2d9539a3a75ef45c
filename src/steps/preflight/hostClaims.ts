// Hosts another Gateway already serves, found before anything is written.
//
// Two kinds of clash break a real gateway:
//   - another wizard setup's Gateway lists the host (whatever its selector): istiod keeps one of the servers
//     ("skipping server … duplicate host names") and routes by the other setup's VirtualService, and the TLS
//     Secret's name depends only on the host, so this setup's load-certs would overwrite the other's certificate;
//   - any other Gateway (made by hand, a chart, another tool) on the same workload selector with a server on the same
//     port for an overlapping host: istioctl analyze's IST0145 ConflictingGateways — istiod serves only one of them.
// Preflight names the other Gateway and stops this setup before it writes anything.
import { MANAGED_BY_LABEL, MANAGER, type WizardConfig } from '../../config/types.js';
import type { ClusterIo } from '../../io/types.js';
import { buildGatewayServers } from '../../manifests/gateway.js';
import { hostsOverlap } from '../../manifests/hostMatch.js';
import { tlsSecretNames } from '../../manifests/secrets.js';
import type { K8sObject } from '../../manifests/types.js';
import { type CheckResult, fail, pass } from './result.js';

/** A Gateway server host is `host` or `namespace/host` (the namespaces whose VirtualServices may bind). */
const bareHost = (h: string): string => (h.includes('/') ? h.slice(h.indexOf('/') + 1) : h);

interface ServerLike {
  port?: { number?: number };
  hosts?: string[];
}

export interface HostClaim {
  /** the host in this config */
  host: string;
  /** the other Gateway, `namespace/name` */
  owner: string;
  /** whether the other Gateway is another wizard setup's */
  wizard: boolean;
  /** the other Gateway's host that overlaps (may be a wildcard), and the port both serve it on (foreign only) */
  theirHost: string;
  port?: number;
}

function sameSelector(a: Record<string, string> = {}, b: Record<string, string> = {}): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/**
 * The clashes between this config's planned Gateway and the Gateways listed (pure: the listing is the caller's).
 * A wizard Gateway clashes on any host it lists; another Gateway only on the same selector, port and an
 * overlapping host (IST0145).
 */
export function findHostClaims(gateways: K8sObject[], config: WizardConfig): HostClaim[] {
  const self = `${config.namespace}/${config.gateway.name}`;
  const planned = buildGatewayServers(config) as ServerLike[];
  const claims: HostClaim[] = [];
  const add = (c: HostClaim) => {
    if (!claims.some((x) => x.host === c.host && x.owner === c.owner)) claims.push(c);
  };
  for (const gw of gateways) {
    const owner = `${gw.metadata.namespace ?? ''}/${gw.metadata.name}`;
    if (owner === self) continue;
    const wizard = gw.metadata.labels?.[MANAGED_BY_LABEL] === MANAGER;
    const servers = (gw.spec?.servers ?? []) as ServerLike[];
    if (wizard) {
      const listed = new Set(servers.flatMap((s) => (s.hosts ?? []).map(bareHost)));
      for (const h of config.hosts)
        if (listed.has(h.name)) add({ host: h.name, owner, wizard, theirHost: h.name });
      continue;
    }
    if (!sameSelector(gw.spec?.selector, config.gateway.selector)) continue;
    for (const mine of planned) {
      for (const theirs of servers) {
        if (theirs.port?.number !== mine.port?.number) continue;
        for (const host of mine.hosts ?? []) {
          const overlap = (theirs.hosts ?? []).map(bareHost).find((t) => hostsOverlap(t, host));
          if (overlap) add({ host, owner, wizard, theirHost: overlap, port: mine.port?.number });
        }
      }
    }
  }
  return claims;
}

function selectorText(selector: Record<string, string>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export async function checkHostClaims(
  cluster: ClusterIo,
  config: WizardConfig,
  apiVersion: string,
): Promise<CheckResult[]> {
  const self = `${config.namespace}/${config.gateway.name}`;
  let gateways: K8sObject[];
  try {
    gateways = await cluster.list({ apiVersion, kind: 'Gateway' });
  } catch {
    // Without the right to list Gateways in every namespace nothing can be told; permissions reports what it can.
    return [];
  }
  const secrets = config.certs.storage === 'credentialName' ? tlsSecretNames(config.hosts) : new Map();
  const results: CheckResult[] = [];
  const claims = findHostClaims(gateways, config);
  const wizardOwners = new Map<string, string[]>();
  for (const c of claims.filter((c) => c.wizard))
    wizardOwners.set(c.host, [...(wizardOwners.get(c.host) ?? []), c.owner]);
  for (const [host, owners] of wizardOwners) {
    const secret = secrets.get(host);
    results.push(
      fail(
        `host ${host} is already served by the wizard's Gateway ${owners.join(', ')}; this config's Gateway ${self} claims it too: istiod would serve only one of them (duplicate host names)${secret ? ` and Secret ${config.gateway.workloadNamespace}/${secret} (that Gateway's certificate) would be overwritten` : ''}`,
        `tear the other setup down first (wizard teardown with its config), or use another host name in this config`,
      ),
    );
  }
  for (const c of claims.filter((c) => !c.wizard)) {
    results.push(
      fail(
        `host ${c.host}: Gateway ${c.owner} (not the wizard's) already has a server on port ${c.port} for ${c.theirHost === c.host ? 'it' : c.theirHost} on the same workload (selector ${selectorText(config.gateway.selector)}); this config's Gateway ${self} would conflict with it (istioctl analyze: IST0145 ConflictingGateways) and istiod would serve only one of them`,
        `remove the host from Gateway ${c.owner} (kubectl -n ${c.owner.split('/')[0]} edit gateway ${c.owner.split('/')[1]}), or use another host name in this config`,
      ),
    );
  }
  if (results.length === 0) {
    results.push(pass(`hosts: none is served by another Gateway on this workload or another wizard setup`));
  }
  return results;
}
