// The one Service in front of every version: it selects on `app` only, so the subsets (by `version`) decide.
// The port name `http` tells Istio the protocol (its port-naming convention).
import type { WizardConfig } from '../config/types.js';
import { CONTAINER_PORT, commonLabels, SERVICE_PORT } from './labels.js';
import type { K8sObject } from './types.js';

export function buildService(config: WizardConfig): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: config.app, namespace: config.namespace, labels: commonLabels(config) },
    spec: {
      selector: { app: config.app },
      ports: [{ name: 'http', port: SERVICE_PORT, targetPort: CONTAINER_PORT, protocol: 'TCP' }],
    },
  };
}
