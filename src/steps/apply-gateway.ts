import { manifestsFor } from '../manifests/index.js';
import { type ApplyStep, applyStep } from './applyStep.js';
import { ISTIO_VERSION_FROM_PREFLIGHT } from './needs.js';

/** One Gateway: an HTTP server, and one HTTPS server per host with its own certificate and port name. */
export const applyGatewayStep: ApplyStep<'apply-gateway', 'config' | 'facts'> = applyStep({
  id: 'apply-gateway',
  title: 'Apply the Gateway (HTTP + one HTTPS server per host)',
  needs: [ISTIO_VERSION_FROM_PREFLIGHT],
  answers: ['gateway.name', 'gateway.selector', 'gateway.workloadNamespace', 'gateway.httpsRedirect'],
  inputs: ({ config, facts }) => ({
    ns: config.namespace,
    gateway: config.gateway,
    hosts: config.hosts.map((h) => [h.name, h.protocol, h.tls?.mode]),
    storage: config.certs.storage,
    api: facts.istioApiVersion,
  }),
  manifests: ({ config, facts }) => manifestsFor.applyGateway(config, facts.istioApiVersion),
});
