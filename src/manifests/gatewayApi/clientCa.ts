// MUTUAL in gateway-api mode: the Gateway validates client certificates per port (spec.tls.frontend) against CA
// bundles referenced as ConfigMaps (key ca.crt), in the Gateway's namespace. One ConfigMap holds each distinct CA
// of the MUTUAL hosts, in host order.
import type { WizardConfig } from '../../config/types.js';
import { WizardError } from '../../errors.js';
import { commonLabels } from '../labels.js';
import type { CertBundle, K8sObject } from '../types.js';
import { caConfigMapName, gatewayNamespace } from './names.js';

export const CA_KEY = 'ca.crt';

export function mutualHosts(config: WizardConfig) {
  return config.hosts.filter((h) => h.protocol === 'HTTPS' && h.tls?.mode === 'MUTUAL');
}

export function buildClientCaConfigMap(config: WizardConfig, certs: CertBundle): K8sObject[] {
  const hosts = mutualHosts(config);
  if (hosts.length === 0) return [];
  const cas = hosts.map((h) => {
    const m = certs.hosts[h.name];
    if (!m)
      throw new WizardError(`no certificate for HTTPS host ${h.name}`, undefined, 'run generate-certs first');
    return m.caPem.trim();
  });
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: caConfigMapName(config),
        namespace: gatewayNamespace(config),
        labels: commonLabels(config),
      },
      data: { [CA_KEY]: `${[...new Set(cas)].join('\n')}\n` },
    },
  ];
}
