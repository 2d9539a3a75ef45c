// One Service per version (`<app>-<version>`, selecting app AND version): an HTTPRoute cannot pick a subset, so
// its weighted backendRefs split traffic between these. The app Service stays for callers inside the mesh.
import type { WizardConfig } from '../../config/types.js';
import { CONTAINER_PORT, commonLabels, SERVICE_PORT, versionLabels } from '../labels.js';
import type { K8sObject } from '../types.js';
import { versionServiceName } from './names.js';

export function buildVersionServices(config: WizardConfig): K8sObject[] {
  return config.versions.map((v) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: versionServiceName(config, v.name),
      namespace: config.namespace,
      labels: { ...commonLabels(config), version: v.name },
    },
    spec: {
      selector: versionLabels(config, v.name),
      ports: [{ name: 'http', port: SERVICE_PORT, targetPort: CONTAINER_PORT, protocol: 'TCP' }],
    },
  }));
}
