// The objects a plan will write, computed without certificates: secret names depend only on the hosts, so
// placeholder PEM yields the same object list (names, kinds, namespaces) the real run applies.
import type { IstioApiVersion, RoutingApi, WizardConfig } from '../config/types.js';
import type { ObjectRef } from '../io/types.js';
import { attachedServiceName } from '../manifests/gatewayApi/names.js';
import { buildManifests } from '../manifests/index.js';
import type { CertBundle, K8sObject } from '../manifests/types.js';

export function placeholderCerts(config: WizardConfig): CertBundle {
  const hosts: CertBundle['hosts'] = {};
  for (const h of config.hosts) {
    if (h.protocol === 'HTTPS') hosts[h.name] = { certPem: '', keyPem: '', caPem: '' };
  }
  return { caPem: '', hosts };
}

/** Every object of the plan, in apply order, with placeholder secret data (never applied). */
export function plannedObjects(config: WizardConfig, apiVersion: IstioApiVersion): K8sObject[] {
  return buildManifests(config, { apiVersion, certs: placeholderCerts(config) });
}

export function toRef(o: K8sObject): ObjectRef {
  return { apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name };
}

export function plannedRefs(config: WizardConfig, apiVersion: IstioApiVersion): ObjectRef[] {
  return plannedObjects(config, apiVersion).map(toRef);
}

/**
 * The object refs a config plans in `api` mode. Names do not depend on what the mode cannot express, so a config
 * written for the other mode is planned with what would make it valid there (an automated deployment when no
 * gateway Service can be derived, credentialName storage).
 */
export function refsForMode(config: WizardConfig, api: RoutingApi, apiVersion: IstioApiVersion): ObjectRef[] {
  let c: WizardConfig = { ...config, api };
  if (api === 'gateway-api' && c.gatewayApi.deployment === 'attach' && !attachedServiceName(c)) {
    c = { ...c, gatewayApi: { ...c.gatewayApi, deployment: 'automated' } };
  }
  return plannedRefs(c, apiVersion);
}
