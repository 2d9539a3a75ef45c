// gateway-api mode: the same intent as Gateway + HTTPRoute. Per step, what it applies (apply order overall:
// Deployments, per-version Services + the app Service, backend DestinationRules, TLS Secrets + client-CA ConfigMap,
// any ReferenceGrants, the Gateway, the HTTPRoutes). Routes go with the Gateway (apply-gateway), after it, so that a
// route never waits on a parent that does not exist yet; add-hosts applies nothing in this mode.
import type { IstioApiVersion, WizardConfig } from '../../config/types.js';
import { buildDeployments } from '../deployments.js';
import { buildTlsSecrets } from '../secrets.js';
import { buildService } from '../service.js';
import type { CertBundle, K8sObject } from '../types.js';
import { buildClientCaConfigMap } from './clientCa.js';
import { buildBackendDestinationRules } from './destinationRules.js';
import { buildKubernetesGateway } from './gateway.js';
import { GATEWAY_API_GROUP, type ReferenceGrantVersion } from './names.js';
import { buildReferenceGrants } from './referenceGrants.js';
import { buildHttpRoutes } from './routes.js';
import { buildVersionServices } from './services.js';

export const DEFAULT_REFERENCE_GRANT_VERSION: ReferenceGrantVersion = `${GATEWAY_API_GROUP}/v1beta1`;

export const gatewayApiManifestsFor = {
  deployVersions: (config: WizardConfig): K8sObject[] => [
    ...buildDeployments(config),
    ...buildVersionServices(config),
    buildService(config),
  ],
  defineSubsets: (config: WizardConfig, apiVersion: IstioApiVersion): K8sObject[] =>
    buildBackendDestinationRules(config, apiVersion),
  addHosts: (): K8sObject[] => [],
  loadCerts: (config: WizardConfig, certs: CertBundle): K8sObject[] => [
    ...buildTlsSecrets(config, certs),
    ...buildClientCaConfigMap(config, certs),
  ],
  applyGateway: (
    config: WizardConfig,
    referenceGrantVersion: ReferenceGrantVersion = DEFAULT_REFERENCE_GRANT_VERSION,
  ): K8sObject[] => {
    const gateway = buildKubernetesGateway(config);
    const routes = buildHttpRoutes(config);
    return [...buildReferenceGrants(config, [gateway, ...routes], referenceGrantVersion), gateway, ...routes];
  },
};
