// TLS material for the ingress gateway, in one of two storages:
// - credentialName (SDS): one `kubernetes.io/tls` Secret per HTTPS host, in the gateway WORKLOAD's namespace —
//   Istio resolves `credentialName` in the namespace of the gateway pods, not of the Gateway resource.
//   MUTUAL hosts also carry `ca.crt` (the CA that client certificates must chain to) in the same Secret.
// - file-mount (the original tutorial): one generic Secret `istio-ingressgateway-certs` holding
//   `<host>-crt.pem` / `<host>-key.pem` for every host, mounted by the gateway at /etc/istio/ingressgateway-certs,
//   plus `istio-ingressgateway-ca-certs` holding `ca-chain.cert.pem` when any host is MUTUAL.
//   Caution: current Istio installs no longer mount these Secrets into the gateway pods (SDS replaced them);
//   file-mount works only where the gateway Deployment still mounts them (legacy installs, or a patched one).

import { httpsHosts } from '../config/hosts.js';
import type { HostConfig, WizardConfig } from '../config/types.js';
import { WizardError } from '../errors.js';
import { commonLabels } from './labels.js';
import { fitName, hostSlug, MAX_LABEL, mustGet, uniqueNames } from './names.js';
import type { CertBundle, HostCertMaterial, K8sObject } from './types.js';

export const FILE_MOUNT_CERTS_SECRET = 'istio-ingressgateway-certs';
export const FILE_MOUNT_CA_SECRET = 'istio-ingressgateway-ca-certs';
export const FILE_MOUNT_CERTS_DIR = '/etc/istio/ingressgateway-certs';
export const FILE_MOUNT_CA_DIR = '/etc/istio/ingressgateway-ca-certs';
export const FILE_MOUNT_CA_KEY = 'ca-chain.cert.pem';

/** The Secret name a host's certificate is stored under (before de-duplication): `flask-example1-com-tls`. */
export function tlsSecretName(host: string): string {
  return fitName(hostSlug(host), '-tls', MAX_LABEL);
}

/** Unique credentialName per HTTPS host, in config order: what the Secrets and the Gateway both use. */
export function tlsSecretNames(hosts: readonly HostConfig[]): Map<string, string> {
  const https = hosts.filter((h) => h.protocol === 'HTTPS').map((h) => h.name);
  // De-duplicate on the slug, then append -tls, so collisions read `a-b-com-2-tls`.
  const slugs = uniqueNames(https, hostSlug, MAX_LABEL - '-tls'.length);
  return new Map(https.map((h) => [h, `${mustGet(slugs, h, 'secret name')}-tls`]));
}

/**
 * Secret data keys for a host under file-mount. Data keys allow `[-._a-zA-Z0-9]`; `*` is the only host character
 * outside that, and `_` never occurs in a DNS host, so `*` → `_wildcard` keeps the mapping collision-free.
 */
export function fileMountKeys(host: string): { cert: string; key: string } {
  const base = host.replace(/\*/g, '_wildcard');
  return { cert: `${base}-crt.pem`, key: `${base}-key.pem` };
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function materialFor(certs: CertBundle, host: string): HostCertMaterial {
  const m = certs.hosts[host];
  if (!m) {
    throw new WizardError(
      `no certificate for HTTPS host ${host}`,
      undefined,
      'run the generate-certs step first',
    );
  }
  return m;
}

export function buildTlsSecrets(config: WizardConfig, certs: CertBundle): K8sObject[] {
  const hosts = httpsHosts(config.hosts);
  if (hosts.length === 0) return [];
  const meta = (name: string) => ({
    name,
    namespace: config.gateway.workloadNamespace,
    labels: commonLabels(config),
  });

  if (config.certs.storage === 'credentialName') {
    const names = tlsSecretNames(config.hosts);
    return hosts.map((h) => {
      const m = materialFor(certs, h.name);
      const data: Record<string, string> = { 'tls.crt': b64(m.certPem), 'tls.key': b64(m.keyPem) };
      if (h.tls?.mode === 'MUTUAL') data['ca.crt'] = b64(m.caPem);
      return {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: meta(mustGet(names, h.name, 'secret name')),
        type: 'kubernetes.io/tls',
        data,
      };
    });
  }

  const data: Record<string, string> = {};
  for (const h of hosts) {
    const m = materialFor(certs, h.name);
    const keys = fileMountKeys(h.name);
    data[keys.cert] = b64(m.certPem);
    data[keys.key] = b64(m.keyPem);
  }
  const out: K8sObject[] = [
    { apiVersion: 'v1', kind: 'Secret', metadata: meta(FILE_MOUNT_CERTS_SECRET), type: 'Opaque', data },
  ];
  const mutual = hosts.filter((h) => h.tls?.mode === 'MUTUAL');
  if (mutual.length > 0) {
    // One file serves every MUTUAL host: a bundle of each distinct client CA, in host order.
    const cas = [...new Set(mutual.map((h) => materialFor(certs, h.name).caPem.trim()))];
    out.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta(FILE_MOUNT_CA_SECRET),
      type: 'Opaque',
      data: { [FILE_MOUNT_CA_KEY]: b64(`${cas.join('\n')}\n`) },
    });
  }
  return out;
}
