// The Kubernetes Gateway: an `http` listener on 80 when there are HTTP hosts or redirects, one HTTPS listener per
// HTTPS host (its hostname, TLS terminated with the host's own Secret), client-certificate validation per port when
// the hosts are MUTUAL. The rules measured on a real istiod that shape it:
// - attach: exactly one address {type: Hostname, value: <gateway Service FQDN>} and no annotation; with no address
//   (or an IP) istiod treats the Gateway as one to deploy, looks for `<name>-istio`, and the existing gateway loses
//   its 443 listener;
// - it lives in the gateway Service's namespace (elsewhere: Programmed=False AddressNotUsable, routes Accepted,
//   traffic 404), so routes from the app namespace must be admitted by allowedRoutes — narrowly, by namespace name.

import { httpsHosts } from '../../config/hosts.js';
import type { WizardConfig } from '../../config/types.js';
import { HTTP_PORT, HTTPS_PORT } from '../gateway.js';
import { commonLabels } from '../labels.js';
import { mustGet } from '../names.js';
import { HTTP_PORT_NAME, httpsPortNames } from '../portNames.js';
import { tlsSecretNames } from '../secrets.js';
import type { K8sObject } from '../types.js';
import { mutualHosts } from './clientCa.js';
import { attachedServiceName, caConfigMapName, GATEWAY_API_V1, gatewayNamespace } from './names.js';

type Json = Record<string, unknown>;

/** Which namespaces' routes a listener admits: only the app's (by its immutable name label). */
export function allowedRoutes(config: WizardConfig): Json {
  if (config.namespace === gatewayNamespace(config)) return { namespaces: { from: 'Same' } };
  return {
    namespaces: {
      from: 'Selector',
      selector: { matchLabels: { 'kubernetes.io/metadata.name': config.namespace } },
    },
  };
}

/** Whether the Gateway needs the plain-HTTP listener: HTTP hosts, or the HTTPS hosts' redirects. */
export function needsHttpListener(config: WizardConfig): boolean {
  const http = config.hosts.some((h) => h.protocol === 'HTTP');
  return http || (config.gateway.httpsRedirect && httpsHosts(config.hosts).length > 0);
}

export function buildListeners(config: WizardConfig): Json[] {
  const listeners: Json[] = [];
  const routes = allowedRoutes(config);
  if (needsHttpListener(config)) {
    listeners.push({ name: HTTP_PORT_NAME, port: HTTP_PORT, protocol: 'HTTP', allowedRoutes: routes });
  }
  const names = httpsPortNames(config.hosts);
  const secrets = tlsSecretNames(config.hosts);
  for (const h of httpsHosts(config.hosts)) {
    listeners.push({
      name: mustGet(names, h.name, 'listener name'),
      hostname: h.name,
      port: HTTPS_PORT,
      protocol: 'HTTPS',
      tls: {
        mode: 'Terminate',
        certificateRefs: [{ group: '', kind: 'Secret', name: mustGet(secrets, h.name, 'secret name') }],
      },
      allowedRoutes: routes,
    });
  }
  return listeners;
}

export function buildKubernetesGateway(config: WizardConfig): K8sObject {
  const spec: Json = { gatewayClassName: config.gatewayApi.className };
  if (config.gatewayApi.deployment === 'attach') {
    const service = attachedServiceName(config);
    // The config check requires a derivable Service in attach mode; reaching here without one is a bug.
    if (!service) throw new Error('internal: attach mode without a gateway Service (gatewayApi.service)');
    spec.addresses = [
      { type: 'Hostname', value: `${service}.${gatewayNamespace(config)}.svc.cluster.local` },
    ];
  }
  spec.listeners = buildListeners(config);
  if (mutualHosts(config).length > 0) {
    spec.tls = {
      frontend: {
        default: {
          validation: {
            caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: caConfigMapName(config) }],
          },
        },
      },
    };
  }
  return {
    apiVersion: GATEWAY_API_V1,
    kind: 'Gateway',
    metadata: {
      name: config.gateway.name,
      namespace: gatewayNamespace(config),
      labels: commonLabels(config),
    },
    spec,
  };
}
