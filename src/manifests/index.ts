// Every manifest the wizard emits, in apply order, and the slice each cluster-writing step applies.
import type { IstioApiVersion, WizardConfig } from '../config/types.js';
import { buildDeployments } from './deployments.js';
import { buildDestinationRule } from './destinationRule.js';
import { buildGateway } from './gateway.js';
import { gatewayApiManifestsFor } from './gatewayApi/index.js';
import type { ReferenceGrantVersion } from './gatewayApi/names.js';
import { buildTlsSecrets } from './secrets.js';
import { buildService } from './service.js';
import type { CertBundle, K8sObject } from './types.js';
import { buildVirtualServices } from './virtualServices.js';

export interface BuildOptions {
  apiVersion: IstioApiVersion;
  /** Needed only when some host is HTTPS; without it no Secrets are emitted. */
  certs?: CertBundle;
  /** gateway-api mode: the ReferenceGrant version the cluster serves (preflight), if one is needed at all. */
  referenceGrantVersion?: ReferenceGrantVersion;
}

const gatewayApi = (config: WizardConfig) => config.api === 'gateway-api';

/** Per step: what deploy-versions, define-subsets, add-hosts, load-certs and apply-gateway each apply. */
export const manifestsFor = {
  /** Deployments (one per version) and the Service in front of them. */
  deployVersions: (config: WizardConfig): K8sObject[] =>
    gatewayApi(config)
      ? gatewayApiManifestsFor.deployVersions(config)
      : [...buildDeployments(config), buildService(config)],
  defineSubsets: (config: WizardConfig, apiVersion: IstioApiVersion): K8sObject[] =>
    gatewayApi(config)
      ? gatewayApiManifestsFor.defineSubsets(config, apiVersion)
      : [buildDestinationRule(config, apiVersion)],
  addHosts: (config: WizardConfig, apiVersion: IstioApiVersion): K8sObject[] =>
    gatewayApi(config) ? gatewayApiManifestsFor.addHosts() : buildVirtualServices(config, apiVersion),
  loadCerts: (config: WizardConfig, certs: CertBundle): K8sObject[] =>
    gatewayApi(config) ? gatewayApiManifestsFor.loadCerts(config, certs) : buildTlsSecrets(config, certs),
  applyGateway: (
    config: WizardConfig,
    apiVersion: IstioApiVersion,
    referenceGrantVersion?: ReferenceGrantVersion,
  ): K8sObject[] =>
    gatewayApi(config)
      ? gatewayApiManifestsFor.applyGateway(config, referenceGrantVersion)
      : [buildGateway(config, apiVersion)],
};

/** All objects in apply order: Deployments, Service, DestinationRule, VirtualServices, Secrets, Gateway (istio). */
export function buildManifests(config: WizardConfig, opts: BuildOptions): K8sObject[] {
  return [
    ...manifestsFor.deployVersions(config),
    ...manifestsFor.defineSubsets(config, opts.apiVersion),
    ...manifestsFor.addHosts(config, opts.apiVersion),
    ...(opts.certs ? manifestsFor.loadCerts(config, opts.certs) : []),
    ...manifestsFor.applyGateway(config, opts.apiVersion, opts.referenceGrantVersion),
  ];
}

export {
  type AnalyzeOptions,
  analysisError,
  analyzeManifests,
  type Finding,
  formatFinding,
  hasErrors,
} from './analyze.js';
export { REDACTED_ANNOTATION, REDACTED_PLACEHOLDER, redactSecrets } from './redact.js';
export { toYamlStream } from './yaml.js';
