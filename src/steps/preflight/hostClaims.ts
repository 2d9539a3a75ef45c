// Hosts another wizard setup's Gateway already serves. Two Gateways listing the same host break each other on a
// real gateway: istiod keeps one of the servers ("skipping server … duplicate host names") and routes by the other
// setup's VirtualService, and the TLS Secret's name depends only on the host, so this setup's load-certs would
// overwrite the other's certificate. Preflight stops the second setup before it writes anything.
import { MANAGED_BY_LABEL, MANAGER, type WizardConfig } from '../../config/types.js';
import type { ClusterIo } from '../../io/types.js';
import { tlsSecretNames } from '../../manifests/secrets.js';
import { type CheckResult, fail, pass } from './result.js';

/** A Gateway server host is `host` or `namespace/host` (the namespaces whose VirtualServices may bind). */
const bareHost = (h: string): string => (h.includes('/') ? h.slice(h.indexOf('/') + 1) : h);

/** Host → the other wizard Gateways (`namespace/name`) whose servers list it. */
export async function hostClaims(
  cluster: ClusterIo,
  apiVersion: string,
  self: { namespace: string; name: string },
): Promise<Map<string, string[]>> {
  const gateways = await cluster.list({
    apiVersion,
    kind: 'Gateway',
    labelSelector: `${MANAGED_BY_LABEL}=${MANAGER}`,
  });
  const claims = new Map<string, string[]>();
  for (const gw of gateways) {
    const owner = `${gw.metadata.namespace ?? ''}/${gw.metadata.name}`;
    if (owner === `${self.namespace}/${self.name}`) continue;
    for (const server of (gw.spec?.servers ?? []) as { hosts?: string[] }[]) {
      for (const h of server.hosts ?? []) {
        const host = bareHost(h);
        const by = claims.get(host) ?? [];
        if (!by.includes(owner)) claims.set(host, [...by, owner]);
      }
    }
  }
  return claims;
}

export async function checkHostClaims(
  cluster: ClusterIo,
  config: WizardConfig,
  apiVersion: string,
): Promise<CheckResult[]> {
  const self = { namespace: config.namespace, name: config.gateway.name };
  let claims: Map<string, string[]>;
  try {
    claims = await hostClaims(cluster, apiVersion, self);
  } catch {
    // Without the right to list Gateways in every namespace nothing can be told; permissions reports what it can.
    return [];
  }
  const secrets = config.certs.storage === 'credentialName' ? tlsSecretNames(config.hosts) : new Map();
  const results: CheckResult[] = [];
  for (const h of config.hosts) {
    const owners = claims.get(h.name);
    if (!owners) continue;
    const secret = secrets.get(h.name);
    results.push(
      fail(
        `host ${h.name} is already served by the wizard's Gateway ${owners.join(', ')}; this config's Gateway ${self.namespace}/${self.name} claims it too: istiod would serve only one of them (duplicate host names)${secret ? ` and Secret ${config.gateway.workloadNamespace}/${secret} (that Gateway's certificate) would be overwritten` : ''}`,
        `tear the other setup down first (wizard teardown with its config), or use another host name in this config`,
      ),
    );
  }
  if (results.length === 0) {
    results.push(pass(`hosts: none is served by another wizard Gateway`));
  }
  return results;
}
