// loadBalancer in gateway-api mode: Istio turns an HTTPRoute backendRef into a route to the Service's host, and
// the gateway's cluster for that host takes its traffic policy from the DestinationRule for the host — so one
// DestinationRule per per-version Service carries the policy (no subsets: the Service already selects one version).
import type { IstioApiVersion, WizardConfig } from '../../config/types.js';
import { commonLabels } from '../labels.js';
import type { K8sObject } from '../types.js';
import { versionServiceName } from './names.js';

export function buildBackendDestinationRules(config: WizardConfig, apiVersion: IstioApiVersion): K8sObject[] {
  return config.versions.map((v) => {
    const name = versionServiceName(config, v.name);
    return {
      apiVersion,
      kind: 'DestinationRule',
      metadata: { name, namespace: config.namespace, labels: { ...commonLabels(config), version: v.name } },
      spec: {
        host: `${name}.${config.namespace}.svc.cluster.local`,
        trafficPolicy: { loadBalancer: { simple: config.loadBalancer } },
      },
    };
  });
}
