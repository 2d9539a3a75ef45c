// The objects a plan will write, computed without certificates: secret names depend only on the hosts, so
// placeholder PEM yields the same object list (names, kinds, namespaces) the real run applies.
import type { IstioApiVersion, WizardConfig } from '../config/types.js';
import type { ObjectRef } from '../io/types.js';
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
