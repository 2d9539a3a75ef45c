import { manifestsFor } from '../manifests/index.js';
import { type ApplyStep, applyStep } from './applyStep.js';
import { afterApplyGateway } from './gatewayApi/afterApply.js';
import { beforeApplyGateway } from './gatewayApi/handOver.js';
import { ISTIO_VERSION_FROM_PREFLIGHT } from './needs.js';

/**
 * One Gateway: an HTTP server, and one HTTPS server per host with its own certificate and port name. In gateway-api
 * mode the Kubernetes Gateway and the HTTPRoutes, then a wait on their status. Either way, a mode switch's old
 * objects are removed last.
 */
export const applyGatewayStep: ApplyStep<'apply-gateway', 'config' | 'facts' | 'outputs' | 'progress'> =
  applyStep({
    id: 'apply-gateway',
    title: 'Apply the Gateway (HTTP + one HTTPS server per host)',
    needs: [ISTIO_VERSION_FROM_PREFLIGHT],
    answers: [
      'api',
      'gateway.name',
      'gateway.selector',
      'gateway.workloadNamespace',
      'gateway.httpsRedirect',
    ],
    inputs: ({ config, facts }) => ({
      ns: config.namespace,
      gateway: config.gateway,
      hosts: config.hosts.map((h) => [h.name, h.protocol, h.tls?.mode]),
      storage: config.certs.storage,
      api: facts.istioApiVersion,
      mode: config.api,
      ...(config.api === 'gateway-api'
        ? { gatewayApi: config.gatewayApi, routes: config.hosts.map((h) => h.routes) }
        : {}),
    }),
    manifests: ({ config, facts, outputs }) =>
      manifestsFor.applyGateway(
        config,
        facts.istioApiVersion,
        outputs.preflight?.gatewayApi?.referenceGrantVersion,
      ),
    // A mode switch first hands each HTTPS host over through a warm route (gatewayApi/handOver.ts says why).
    before: (ctx) => beforeApplyGateway(ctx, ctx.facts.istioApiVersion),
    after: (ctx, objects) => afterApplyGateway(ctx, objects, ctx.facts.istioApiVersion),
  });
