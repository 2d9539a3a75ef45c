// The one Gateway: an HTTP server for the HTTP hosts, an HTTP server answering 301 for the HTTPS hosts when
// httpsRedirect is on (its own server, because `tls.httpsRedirect` applies to a whole server), and one HTTPS
// server per HTTPS host, each with its own certificate (SNI picks the server) and a unique port name.

import { httpsHosts } from '../config/hosts.js';
import type { HostConfig, IstioApiVersion, WizardConfig } from '../config/types.js';
import { commonLabels } from './labels.js';
import { mustGet } from './names.js';
import { HTTP_PORT_NAME, HTTP_REDIRECT_PORT_NAME, httpsPortNames } from './portNames.js';
import {
  FILE_MOUNT_CA_DIR,
  FILE_MOUNT_CA_KEY,
  FILE_MOUNT_CERTS_DIR,
  fileMountKeys,
  tlsSecretNames,
} from './secrets.js';
import type { K8sObject } from './types.js';

export const HTTP_PORT = 80;
export const HTTPS_PORT = 443;

type Server = Record<string, unknown>;

function tlsSettings(config: WizardConfig, host: HostConfig, secretNames: Map<string, string>) {
  const mode = host.tls?.mode ?? 'SIMPLE';
  if (config.certs.storage === 'credentialName') {
    return { mode, credentialName: mustGet(secretNames, host.name, 'secret name') };
  }
  const keys = fileMountKeys(host.name);
  return {
    mode,
    serverCertificate: `${FILE_MOUNT_CERTS_DIR}/${keys.cert}`,
    privateKey: `${FILE_MOUNT_CERTS_DIR}/${keys.key}`,
    ...(mode === 'MUTUAL' ? { caCertificates: `${FILE_MOUNT_CA_DIR}/${FILE_MOUNT_CA_KEY}` } : {}),
  };
}

export function buildGatewayServers(config: WizardConfig): Server[] {
  const servers: Server[] = [];
  const httpHosts = config.hosts.filter((h) => h.protocol === 'HTTP').map((h) => h.name);
  const tlsHosts = httpsHosts(config.hosts);
  if (httpHosts.length > 0) {
    servers.push({ port: { number: HTTP_PORT, name: HTTP_PORT_NAME, protocol: 'HTTP' }, hosts: httpHosts });
  }
  if (config.gateway.httpsRedirect && tlsHosts.length > 0) {
    servers.push({
      port: { number: HTTP_PORT, name: HTTP_REDIRECT_PORT_NAME, protocol: 'HTTP' },
      hosts: tlsHosts.map((h) => h.name),
      tls: { httpsRedirect: true },
    });
  }
  const portNames = httpsPortNames(config.hosts);
  const secretNames = tlsSecretNames(config.hosts);
  for (const h of tlsHosts) {
    servers.push({
      port: { number: HTTPS_PORT, name: mustGet(portNames, h.name, 'port name'), protocol: 'HTTPS' },
      hosts: [h.name],
      tls: tlsSettings(config, h, secretNames),
    });
  }
  return servers;
}

export function buildGateway(config: WizardConfig, apiVersion: IstioApiVersion): K8sObject {
  return {
    apiVersion,
    kind: 'Gateway',
    metadata: { name: config.gateway.name, namespace: config.namespace, labels: commonLabels(config) },
    spec: { selector: { ...config.gateway.selector }, servers: buildGatewayServers(config) },
  };
}
