import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadCertBundle } from '../certs/ensure.js';
import { UsageError } from '../errors.js';
import { manifestsFor } from '../manifests/index.js';
import { applyStep } from './applyStep.js';
import type { CertPaths } from './types.js';

/** TLS secrets where the ingress gateway reads them (credentialName), or the tutorial's file-mount secret. */
export const loadCertsStep = applyStep({
  id: 'load-certs',
  title: 'Load the certificates as TLS secrets',
  needs: ['generate-certs'],
  inputs: ({ config, outputs }) => ({
    storage: config.certs.storage,
    gatewayNs: config.gateway.workloadNamespace,
    mode: config.api,
    hosts: config.hosts.filter((h) => h.protocol === 'HTTPS').map((h) => [h.name, h.tls?.mode]),
    // A renewed certificate keeps its path: fingerprint the (public) certificates so a renewal re-loads them.
    certs: fingerprints(outputs['generate-certs']),
  }),
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
