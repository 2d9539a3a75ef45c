// One HTTPRoute per host, attached to its own listener by sectionName — always: a route without it also attaches
// to the hostname-less `http` listener, and a host meant for HTTPS only was then served over plain HTTP (measured).
// Weighted backendRefs go to the per-version Services, with the same whole percentages the VirtualService uses.
// httpsRedirect is one more route on the `http` listener for the HTTPS hosts, answering 301 to https.
import type { HostConfig, WizardConfig } from '../../config/types.js';
import { commonLabels, SERVICE_PORT } from '../labels.js';
import { mustGet } from '../names.js';
import { HTTP_PORT_NAME, httpsPortNames } from '../portNames.js';
import type { K8sObject } from '../types.js';
import { normaliseRoutes } from '../virtualServices.js';
import {
  GATEWAY_API_GROUP,
  GATEWAY_API_V1,
  gatewayNamespace,
  redirectHostChunks,
  redirectRouteNames,
  routeNames,
  versionServiceName,
} from './names.js';

function parentRef(config: WizardConfig, sectionName: string) {
  return {
    group: GATEWAY_API_GROUP,
    kind: 'Gateway',
    name: config.gateway.name,
    namespace: gatewayNamespace(config),
    sectionName,
  };
}

/** The listener a host's route attaches to. */
export function listenerFor(host: HostConfig, listeners: Map<string, string>): string {
  return host.protocol === 'HTTPS' ? mustGet(listeners, host.name, 'listener name') : HTTP_PORT_NAME;
}

export function buildHttpRoutes(config: WizardConfig): K8sObject[] {
  const names = routeNames(config);
  const listeners = httpsPortNames(config.hosts);
  const meta = (name: string) => ({ name, namespace: config.namespace, labels: commonLabels(config) });
  const routes: K8sObject[] = config.hosts.map((host, i) => ({
    apiVersion: GATEWAY_API_V1,
    kind: 'HTTPRoute',
    metadata: meta(mustGet(names, host.name, 'route name')),
    spec: {
      parentRefs: [parentRef(config, listenerFor(host, listeners))],
      hostnames: [host.name],
      rules: [
        {
          backendRefs: normaliseRoutes(host, i).map((d) => ({
            group: '',
            kind: 'Service',
            name: versionServiceName(config, d.subset),
            port: SERVICE_PORT,
            ...(d.weight === undefined ? {} : { weight: d.weight }),
          })),
        },
      ],
    },
  }));
  const redirectNames = redirectRouteNames(config);
  redirectHostChunks(config).forEach((hostnames, i) => {
    routes.push({
      apiVersion: GATEWAY_API_V1,
      kind: 'HTTPRoute',
      metadata: meta(redirectNames[i] as string),
      spec: {
        parentRefs: [parentRef(config, HTTP_PORT_NAME)],
        hostnames,
        rules: [
          {
            filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }],
          },
        ],
      },
    });
  });
  return routes;
}
