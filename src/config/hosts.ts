import type { HostConfig } from './types.js';

/** The HTTPS hosts: the only ones that get certificates, secrets and an HTTPS server. */
export function httpsHosts(hosts: readonly HostConfig[]): HostConfig[] {
  return hosts.filter((h) => h.protocol === 'HTTPS');
}
