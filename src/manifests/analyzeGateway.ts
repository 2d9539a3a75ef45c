// Gateway cross-checks: unique port names, no two TLS servers claiming one host:port, no port with two protocols
// on the same workload, and every certificate reference backed by a Secret in the gateway WORKLOAD's namespace.
import { asArray, type Finding, finding, type Json, type ObjectSet } from './analyzeContext.js';
import {
  FILE_MOUNT_CA_DIR,
  FILE_MOUNT_CA_SECRET,
  FILE_MOUNT_CERTS_DIR,
  FILE_MOUNT_CERTS_SECRET,
} from './secrets.js';
import type { K8sObject } from './types.js';

const TLS_PROTOCOLS = new Set(['HTTPS', 'TLS']);
/** Where the legacy file-mount gateway mounts its two Secrets, and which Secret backs each directory. */
const MOUNTS: Record<string, string> = {
  [FILE_MOUNT_CERTS_DIR]: FILE_MOUNT_CERTS_SECRET,
  [FILE_MOUNT_CA_DIR]: FILE_MOUNT_CA_SECRET,
};

function selectorKey(gw: K8sObject): string {
  const sel = (gw.spec?.selector ?? {}) as Record<string, string>;
  return JSON.stringify(Object.entries(sel).sort(([a], [b]) => a.localeCompare(b)));
}

function bareHost(host: string): string {
  const slash = host.indexOf('/');
  return slash < 0 ? host : host.slice(slash + 1);
}

export function checkGatewayPortNames(set: ObjectSet): Finding[] {
  const out: Finding[] = [];
  for (const gw of set.ofKind('Gateway')) {
    const seen = new Set<string>();
    for (const s of asArray(gw.spec?.servers)) {
      const name = s?.port?.name;
      if (name === undefined) continue;
      if (seen.has(name)) {
        out.push(
          finding('error', 'gateway-port-name-duplicate', set.ref(gw), `port name ${name} is used twice`),
        );
      }
      seen.add(name);
    }
  }
  return out;
}

/** Servers of all Gateways that select the same workload are merged by Istio, so conflicts span Gateways. */
export function checkGatewayConflicts(set: ObjectSet): Finding[] {
  const out: Finding[] = [];
  const tlsClaims = new Map<string, string>();
  const protocols = new Map<string, { protocol: string; owner: string }>();
  for (const gw of set.ofKind('Gateway')) {
    const sel = selectorKey(gw);
    for (const s of asArray(gw.spec?.servers)) {
      const number = s?.port?.number;
      const protocol = String(s?.port?.protocol ?? '').toUpperCase();
      const portKey = `${sel}|${number}`;
      const prev = protocols.get(portKey);
      if (prev && prev.protocol !== protocol) {
        out.push(
          finding(
            'error',
            'gateway-port-protocol-conflict',
            set.ref(gw),
            `port ${number} is ${protocol} here but ${prev.protocol} in ${prev.owner}`,
          ),
        );
      } else if (!prev) protocols.set(portKey, { protocol, owner: set.ref(gw) });
      if (!TLS_PROTOCOLS.has(protocol)) continue;
      for (const host of asArray(s?.hosts) as string[]) {
        const key = `${portKey}|${bareHost(host)}`;
        const owner = tlsClaims.get(key);
        if (owner) {
          out.push(
            finding(
              'error',
              'gateway-tls-host-conflict',
              set.ref(gw),
              `host ${bareHost(host)} on port ${number} is already served with TLS by ${owner}`,
            ),
          );
        } else tlsClaims.set(key, `${set.ref(gw)} port ${s?.port?.name}`);
      }
    }
  }
  return out;
}

function hasKeys(secret: K8sObject, ...alternatives: string[][]): boolean {
  const data = { ...(secret.data ?? {}), ...(secret.stringData ?? {}) };
  return alternatives.some((keys) => keys.every((k) => k in data));
}

function checkCredential(set: ObjectSet, gw: K8sObject, tls: Json, ns: string): Finding[] {
  const name = String(tls.credentialName);
  const secret = set.find('Secret', ns, name);
  if (!secret) {
    return [
      finding(
        'error',
        'credential-secret-not-found',
        set.ref(gw),
        `credentialName ${name}: no Secret ${ns}/${name} (it must be in the gateway workload's namespace)`,
      ),
    ];
  }
  const out: Finding[] = [];
  if (!hasKeys(secret, ['tls.crt', 'tls.key'], ['cert', 'key'])) {
    out.push(
      finding(
        'error',
        'credential-secret-incomplete',
        set.ref(gw),
        `Secret ${ns}/${name} lacks tls.crt/tls.key`,
      ),
    );
  }
  const mutual = tls.mode === 'MUTUAL' || tls.mode === 'OPTIONAL_MUTUAL';
  if (mutual && !hasKeys(secret, ['ca.crt'], ['cacert']) && !set.find('Secret', ns, `${name}-cacert`)) {
    out.push(
      finding(
        'error',
        'credential-secret-incomplete',
        set.ref(gw),
        `${tls.mode} needs a client CA: Secret ${ns}/${name} has no ca.crt and there is no ${name}-cacert`,
      ),
    );
  }
  return out;
}

function checkMountedFile(set: ObjectSet, gw: K8sObject, path: string, ns: string): Finding[] {
  const dir = path.slice(0, path.lastIndexOf('/'));
  const secretName = MOUNTS[dir];
  if (!secretName) return [];
  const key = path.slice(dir.length + 1);
  const secret = set.find('Secret', ns, secretName);
  if (secret && hasKeys(secret, [key])) return [];
  const why = secret ? `has no key ${key}` : 'does not exist';
  return [
    finding('error', 'mounted-cert-not-found', set.ref(gw), `${path}: Secret ${ns}/${secretName} ${why}`),
  ];
}

export function checkGatewayCertificates(set: ObjectSet): Finding[] {
  const ns = set.opts.gatewayWorkloadNamespace;
  const out: Finding[] = [];
  for (const gw of set.ofKind('Gateway')) {
    for (const s of asArray(gw.spec?.servers)) {
      const tls = s?.tls;
      if (!tls) continue;
      if (tls.credentialName !== undefined) out.push(...checkCredential(set, gw, tls, ns));
      for (const field of ['serverCertificate', 'privateKey', 'caCertificates']) {
        if (typeof tls[field] === 'string') out.push(...checkMountedFile(set, gw, tls[field], ns));
      }
    }
  }
  return out;
}
