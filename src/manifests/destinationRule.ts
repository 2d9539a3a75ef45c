// One subset per version, named after it and matching the pods' `version` label.
import type { IstioApiVersion, WizardConfig } from '../config/types.js';
import { commonLabels, serviceFqdn } from './labels.js';
import type { K8sObject } from './types.js';

export function buildDestinationRule(config: WizardConfig, apiVersion: IstioApiVersion): K8sObject {
  return {
    apiVersion,
    kind: 'DestinationRule',
    metadata: { name: config.app, namespace: config.namespace, labels: commonLabels(config) },
    spec: {
      host: serviceFqdn(config),
      trafficPolicy: { loadBalancer: { simple: config.loadBalancer } },
      subsets: config.versions.map((v) => ({ name: v.name, labels: { version: v.name } })),
    },
  };
}
