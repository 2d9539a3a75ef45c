// Labels every emitted object carries: `managed-by` lets teardown and `kubectl get -l` find exactly what the
// wizard created; `app` groups the objects of one application.
import { MANAGED_BY_LABEL, MANAGER, type WizardConfig } from '../config/types.js';

export function commonLabels(config: Pick<WizardConfig, 'app'>): Record<string, string> {
  return { app: config.app, [MANAGED_BY_LABEL]: MANAGER };
}

/** Labels of one version's pods: what the Deployment selects and what the DestinationRule subset matches. */
export function versionLabels(config: Pick<WizardConfig, 'app'>, version: string): Record<string, string> {
  return { app: config.app, version };
}

/** The in-mesh FQDN of the application's Service: the host DestinationRule and VirtualService routes use. */
export function serviceFqdn(config: Pick<WizardConfig, 'app' | 'namespace'>): string {
  return `${config.app}.${config.namespace}.svc.cluster.local`;
}

export const SERVICE_PORT = 80;
export const CONTAINER_PORT = 8080;

/**
 * Whether Istio injects sidecars into a namespace with these labels: `istio-injection=enabled`, or a revision
 * label naming a revision (an empty `istio.io/rev` selects none). Preflight and the rollout diagnosis both ask this.
 */
export function injectionEnabled(labels: Record<string, string> | undefined): boolean {
  return labels?.['istio-injection'] === 'enabled' || !!labels?.['istio.io/rev'];
}
