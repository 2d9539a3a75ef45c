import { manifestsFor } from '../manifests/index.js';
import { resolveApiVersion } from './apiVersion.js';
import { applyStep } from './applyStep.js';
import { afterApplyGateway } from './gatewayApi/afterApply.js';

/**
 * One Gateway: an HTTP server, and one HTTPS server per host with its own certificate and port name. In gateway-api
 * mode the Kubernetes Gateway and the HTTPRoutes, then a wait on their status. Either way, a mode switch's old
 * objects are removed last.
 */
export const applyGatewayStep = applyStep({
  id: 'apply-gateway',
  title: 'Apply the Gateway (HTTP + one HTTPS server per host)',
  inputs: ({ config, outputs, flags }) => ({
    ns: config.namespace,
    gateway: config.gateway,
    hosts: config.hosts.map((h) => [h.name, h.protocol, h.tls?.mode]),
    storage: config.certs.storage,
    api: resolveApiVersion(config, outputs, flags.mode),
    mode: config.api,
    ...(config.api === 'gateway-api'
      ? { gatewayApi: config.gatewayApi, routes: config.hosts.map((h) => h.routes) }
      : {}),
  }),
  manifests: ({ config, outputs, flags }) =>
    manifestsFor.applyGateway(
      config,
      resolveApiVersion(config, outputs, flags.mode),
      outputs.preflight?.gatewayApi?.referenceGrantVersion,
    ),
  after: (ctx, objects) =>
    afterApplyGateway(ctx, objects, resolveApiVersion(ctx.config, ctx.outputs, ctx.flags.mode)),
});
