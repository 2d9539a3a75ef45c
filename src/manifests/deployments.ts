// One Deployment per version of the app (the tutorial's flask-v1 / flask-v2). apps/v1 only: the tutorial's
// extensions/v1beta1 is long gone, and apps/v1 makes the selector mandatory.
import type { WizardConfig } from '../config/types.js';
import { CONTAINER_PORT, commonLabels, versionLabels } from './labels.js';
import type { K8sObject } from './types.js';

export function deploymentName(config: Pick<WizardConfig, 'app'>, version: string): string {
  return `${config.app}-${version}`;
}

export function buildDeployments(config: WizardConfig): K8sObject[] {
  return config.versions.map((v) => {
    const podLabels = versionLabels(config, v.name);
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: deploymentName(config, v.name),
        namespace: config.namespace,
        labels: { ...commonLabels(config), version: v.name },
      },
      spec: {
        replicas: v.replicas,
        selector: { matchLabels: { ...podLabels } },
        template: {
          metadata: { labels: { ...podLabels } },
          spec: {
            containers: [
              {
                name: config.app,
                image: config.image,
                // Images side-loaded into kind/minikube/k3d exist only on the node: never try to pull them when
                // present (a `:latest` tag would otherwise default to Always and fail).
                imagePullPolicy: 'IfNotPresent',
                env: [{ name: 'VERSION', value: v.name }],
                ports: [{ name: 'http', containerPort: CONTAINER_PORT }],
                readinessProbe: {
                  httpGet: { path: '/version', port: CONTAINER_PORT },
                  periodSeconds: 2,
                },
                resources: { requests: { cpu: '10m', memory: '32Mi' } },
              },
            ],
          },
        },
      },
    };
  });
}
