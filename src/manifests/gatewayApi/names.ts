// Names and places in gateway-api mode, one place per fact: where the Gateway lives, what it attaches to, what each
// per-version Service, route and listener is called.
import type { HostConfig, WizardConfig } from '../../config/types.js';
import { deploymentName } from '../deployments.js';
import { hostSlug, uniqueNames } from '../names.js';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
export const GATEWAY_API_V1 = `${GATEWAY_API_GROUP}/v1`;
/** ReferenceGrant is v1 from Gateway API v1.5 on, v1beta1 before: preflight says which the cluster serves. */
export type ReferenceGrantVersion = `${typeof GATEWAY_API_GROUP}/v1` | `${typeof GATEWAY_API_GROUP}/v1beta1`;

/** Istio's own gateway Services, by the selector their pods carry (istioctl's profile, the Helm gateway chart). */
const WELL_KNOWN_SERVICES: { selector: Record<string, string>; service: string }[] = [
  { selector: { istio: 'ingressgateway' }, service: 'istio-ingressgateway' },
  { selector: { istio: 'ingress' }, service: 'istio-ingress' },
];

/** The existing gateway Service an attached Gateway points at, or undefined when it cannot be derived. */
export function attachedServiceName(config: WizardConfig): string | undefined {
  if (config.gatewayApi.service) return config.gatewayApi.service;
  const sel = config.gateway.selector;
  const keys = Object.keys(sel);
  return WELL_KNOWN_SERVICES.find(
    (w) => keys.length === Object.keys(w.selector).length && keys.every((k) => w.selector[k] === sel[k]),
  )?.service;
}

/**
 * Where the Gateway (and so its Secrets and CA ConfigMap) lives: the gateway workload's namespace. Attached, it
 * must be the gateway Service's namespace (elsewhere istiod reports Programmed=False AddressNotUsable); automated,
 * istiod deploys `<name>-istio` there.
 */
export function gatewayNamespace(config: WizardConfig): string {
  return config.gateway.workloadNamespace;
}

/** The Service istiod creates for an automated deployment. */
export function automatedServiceName(config: WizardConfig): string {
  return `${config.gateway.name}-istio`;
}

/** The gateway Service traffic arrives at: the attached one, or the one istiod creates. */
export function gatewayServiceName(config: WizardConfig): string | undefined {
  return config.gatewayApi.deployment === 'attach'
    ? attachedServiceName(config)
    : automatedServiceName(config);
}

/** One Service per version, selecting app and version: the only way a route can split by version. */
export function versionServiceName(config: Pick<WizardConfig, 'app'>, version: string): string {
  return deploymentName(config, version);
}

/** An HTTPRoute lists at most 16 hostnames (CRD maxItems), so the redirect is one route per 16 HTTPS hosts. */
export const MAX_ROUTE_HOSTNAMES = 16;
/** A Gateway has at most 64 listeners (CRD maxItems): one is `http`, one per HTTPS host. */
export const MAX_LISTENERS = 64;

export function redirectHostChunks(config: WizardConfig): string[][] {
  if (!config.gateway.httpsRedirect) return [];
  const hosts = config.hosts.filter((h) => h.protocol === 'HTTPS').map((h) => h.name);
  const chunks: string[][] = [];
  for (let i = 0; i < hosts.length; i += MAX_ROUTE_HOSTNAMES)
    chunks.push(hosts.slice(i, i + MAX_ROUTE_HOSTNAMES));
  return chunks;
}

/** `<app>-https-redirect`, then `-2`, `-3`, … for each further chunk of 16 hosts. */
export function redirectRouteNames(config: WizardConfig): string[] {
  return redirectHostChunks(config).map(
    (_, i) => `${config.app}-https-redirect${i === 0 ? '' : `-${i + 1}`}`,
  );
}

export function caConfigMapName(config: WizardConfig): string {
  return `${config.gateway.name}-client-ca`;
}

/** One HTTPRoute name per host (like the VirtualService names), never the redirect route's. */
export function routeNames(config: WizardConfig): Map<string, string> {
  return uniqueNames(
    config.hosts.map((h: HostConfig) => h.name),
    hostSlug,
    undefined,
    redirectRouteNames(config),
  );
}
