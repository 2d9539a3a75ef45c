import { loadCertBundle } from '../certs/ensure.js';
import { httpsHosts } from '../config/hosts.js';
import { EXIT, UsageError, WizardError } from '../errors.js';
import { manifestsFor } from '../manifests/index.js';
import { tlsSecretNames } from '../manifests/secrets.js';
import { secretUsers } from '../plan/secretUsers.js';
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
    mode: config.api,
    hosts: httpsHosts(config.hosts).map((h) => [h.name, h.tls?.mode]),
    // generate-certs fingerprints the (public) certificates, so a renewal that keeps a path re-loads them.
    certs: outputs['generate-certs']?.fingerprints,
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
