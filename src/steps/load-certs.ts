import { loadCertBundle } from '../certs/ensure.js';
import { UsageError } from '../errors.js';
import { manifestsFor } from '../manifests/index.js';
import { applyStep } from './applyStep.js';

/** TLS secrets where the ingress gateway reads them (credentialName), or the tutorial's file-mount secret. */
export const loadCertsStep = applyStep({
  id: 'load-certs',
  title: 'Load the certificates as TLS secrets',
  needs: ['generate-certs'],
  inputs: ({ config, outputs }) => ({
    storage: config.certs.storage,
    gatewayNs: config.gateway.workloadNamespace,
    hosts: config.hosts.filter((h) => h.protocol === 'HTTPS').map((h) => [h.name, h.tls?.mode]),
    certs: outputs['generate-certs'],
  }),
  async manifests({ config, outputs }) {
    if (!config.hosts.some((h) => h.protocol === 'HTTPS')) return [];
    const paths = outputs['generate-certs'];
    if (!paths) {
      throw new UsageError('load-certs needs the certificates from generate-certs', [], 'run `wizard --from generate-certs`');
    }
    return manifestsFor.loadCerts(config, await loadCertBundle(config, paths));
  },
});
