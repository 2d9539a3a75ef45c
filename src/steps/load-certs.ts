import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadCertBundle } from '../certs/ensure.js';
import { EXIT, UsageError, WizardError } from '../errors.js';
import { manifestsFor } from '../manifests/index.js';
import { tlsSecretNames } from '../manifests/secrets.js';
import { applyStep } from './applyStep.js';
import { secretUsers } from './preflight/ownership.js';
import type { CertPaths } from './types.js';

/** TLS secrets where the ingress gateway reads them (credentialName), or the tutorial's file-mount secret. */
export const loadCertsStep = applyStep({
  id: 'load-certs',
  title: 'Load the certificates as TLS secrets',
  needs: ['generate-certs'],
  inputs: ({ config, outputs }) => ({
    storage: config.certs.storage,
    gatewayNs: config.gateway.workloadNamespace,
    hosts: config.hosts.filter((h) => h.protocol === 'HTTPS').map((h) => [h.name, h.tls?.mode]),
    // A renewed certificate keeps its path: fingerprint the (public) certificates so a renewal re-loads them.
    certs: fingerprints(outputs['generate-certs']),
  }),
  // Preflight stops a config whose host another wizard Gateway serves; this holds when preflight was skipped or
  // the other setup came since: a Secret another setup's Gateway uses is never overwritten (its name depends only
  // on the host).
  async before({ config, outputs, io }) {
    if (config.certs.storage !== 'credentialName') return;
    const apiVersion = outputs.preflight?.apiVersion ?? 'networking.istio.io/v1';
    const self = { namespace: config.namespace, name: config.gateway.name };
    const users = await secretUsers(io.cluster, apiVersion, self);
    const taken = [...tlsSecretNames(config.hosts).values()].filter((n) => users.has(n));
    if (taken.length === 0) return;
    const wns = config.gateway.workloadNamespace;
    throw new WizardError(
      `load-certs: ${taken.map((n) => `Secret ${wns}/${n} is the certificate of ${users.get(n)}`).join('; ')} (another wizard setup); nothing was overwritten`,
      EXIT.failed,
      'tear the other setup down first (wizard teardown with its config), or use another host name in this config',
    );
  },
  async manifests({ config, outputs }) {
    if (!config.hosts.some((h) => h.protocol === 'HTTPS')) return [];
    const paths = outputs['generate-certs'];
    if (!paths) {
      throw new UsageError(
        'load-certs needs the certificates from generate-certs',
        [],
        'run `wizard --from generate-certs`',
      );
    }
    return manifestsFor.loadCerts(config, await loadCertBundle(config, paths));
  },
});

function fingerprints(paths: CertPaths | undefined): Record<string, string> | undefined {
  if (!paths) return undefined;
  const files = [paths.caCert, ...Object.values(paths.hosts).flatMap((h) => [h.cert, h.clientCert ?? ''])];
  const out: Record<string, string> = {};
  for (const f of files.filter(Boolean)) {
    try {
      out[f] = createHash('sha256').update(readFileSync(f)).digest('hex');
    } catch {
      out[f] = 'missing';
    }
  }
  return out;
}
