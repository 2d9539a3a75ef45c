// Gateway port names. Istio requires them unique within a Gateway; it does not otherwise constrain them, but we
// keep them DNS-label-like (`https-flask-example1-com`), the tutorial's `https-rocks` / `https-xyz` idea.
import type { HostConfig } from '../config/types.js';
import { hostSlug, uniqueNames } from './names.js';

export const HTTP_PORT_NAME = 'http';
export const HTTP_REDIRECT_PORT_NAME = 'http-redirect';

/** One unique `https-<host>` name per HTTPS host, in config order; `a-b.com` / `a.b.com` → `…-com`, `…-com-2`. */
export function httpsPortNames(hosts: readonly HostConfig[]): Map<string, string> {
  const https = hosts.filter((h) => h.protocol === 'HTTPS').map((h) => h.name);
  return uniqueNames(https, (host) => `https-${hostSlug(host)}`, undefined, [
    HTTP_PORT_NAME,
    HTTP_REDIRECT_PORT_NAME,
  ]);
}
