import { manifestsFor } from '../manifests/index.js';
import { resolveApiVersion } from './apiVersion.js';
import { applyStep } from './applyStep.js';

/** One Gateway: an HTTP server, and one HTTPS server per host with its own certificate and port name. */
export const applyGatewayStep = applyStep({
  id: 'apply-gateway',
  title: 'Apply the Gateway (HTTP + one HTTPS server per host)',
  inputs: ({ config, outputs, flags }) => ({
    ns: config.namespace,
    gateway: config.gateway,
    hosts: config.hosts.map((h) => [h.name, h.protocol, h.tls?.mode]),
    storage: config.certs.storage,
    api: resolveApiVersion(config, outputs, flags.mode),
  }),
  manifests: ({ config, outputs, flags }) =>
    manifestsFor.applyGateway(config, resolveApiVersion(config, outputs, flags.mode)),
});
