import { loadCertBundle } from '../certs/ensure.js';
import { httpsHosts } from '../certs/store.js';
import { UsageError } from '../errors.js';
import { manifestsFor } from '../manifests/index.js';
import { type ApplyStep, applyStep } from './applyStep.js';
import { CERTS_FROM_GENERATE_CERTS } from './needs.js';

/** TLS secrets where the ingress gateway reads them (credentialName), or the tutorial's file-mount secret. */
export const loadCertsStep: ApplyStep<'load-certs', 'config' | 'outputs'> = applyStep({
  id: 'load-certs',
  title: 'Load the certificates as TLS secrets',
  needs: [CERTS_FROM_GENERATE_CERTS],
  answers: ['certs.storage', 'gateway.workloadNamespace'],
  inputs: ({ config, outputs }) => ({
    storage: config.certs.storage,
    gatewayNs: config.gateway.workloadNamespace,
    hosts: httpsHosts(config.hosts).map((h) => [h.name, h.tls?.mode]),
    // generate-certs fingerprints the (public) certificates, so a renewal that keeps a path re-loads them.
    certs: outputs['generate-certs']?.fingerprints,
  }),
  async manifests({ config, outputs }) {
    if (httpsHosts(config.hosts).length === 0) return [];
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
