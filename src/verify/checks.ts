// Which checks prove the ingress works, derived from the config alone (pure): for every host the positive check
// (right version, or weighted split), and the negatives the tutorial points out (MUTUAL needs a client
// certificate; an HTTPS-only host is not served over HTTP; an HTTP-only host has no HTTPS server; an unlisted
// host gets 404).
import { randomBytes } from 'node:crypto';
import type { HostConfig, WizardConfig } from '../config/types.js';
import type { CertPaths } from '../steps/types.js';
import type { CheckKind } from './types.js';

export interface TlsFiles {
  /** --cacert; absent: curl's system trust store. */
  ca?: string;
  /** What `ca` is, for the diagnosis: the generated CA, or the certificate the user provided (tls.certFile). */
  trust?: 'generated-ca' | 'provided-cert' | 'system';
  clientCert?: string;
  clientKey?: string;
}

/**
 * Whom to trust for a host's server certificate. Generated certificates chain to the generated CA. A provided
 * one (tls.certFile, copied by generate-certs to the host's cert path) is trusted as itself: curl accepts a
 * partial chain, so the gateway must present exactly that certificate (or one its chain file vouches for), still
 * valid for the host name. Without generated certs: the system trust store.
 */
export function serverTrust(host: HostConfig, certs: CertPaths | undefined): TlsFiles {
  const own = certs?.hosts[host.name]?.cert;
  if (host.tls?.certFile && own) return { ca: own, trust: 'provided-cert' };
  if (certs) return { ca: certs.caCert, trust: 'generated-ca' };
  return { trust: 'system' };
}

export type Expectation =
  /** 200 with exactly this body from /version. */
  | { type: 'version'; version: string }
  /** Observed shares of /version bodies match these (0..1, summing to 1) within tolerance. */
  | { type: 'weights'; shares: Record<string, number>; samples: number }
  /** No response from the app: handshake refused/reset, or 400/403 (a proxy that rejects after the handshake). */
  | { type: 'refused' }
  /** HTTPS-only host over HTTP: 404 from the gateway, or a 301 to https when httpsRedirect is on. With no HTTP
   * server on the Gateway at all, nothing listens on the HTTP port, which is also "not served". */
  | { type: 'not-served'; redirect: boolean; noHttpServer: boolean }
  /** HTTP-only host over HTTPS (or an unknown SNI): no server takes the handshake. With no HTTPS server on the
   * Gateway at all, nothing listens on the HTTPS port; with one, "connection refused" means the port is wrong. */
  | { type: 'no-tls-server'; noHttpsServer: boolean }
  /** Unlisted host over HTTP: 404 from the gateway itself. */
  | { type: 'not-found' };

export interface CheckSpec {
  host: string;
  requestHost: string;
  kind: CheckKind;
  title: string;
  scheme: 'http' | 'https';
  path: string;
  tls: TlsFiles;
  expect: Expectation;
  /** Negative checks run after the positive ones have had their chance to pass: before the gateway serves the
   * host, "not served" would pass for the wrong reason. */
  phase: 1 | 2;
}

/** A concrete name for a (possibly wildcard) host: `*.example.com` → `wizard-check.example.com`. */
export function requestHostFor(host: string): string {
  if (host === '*') return 'wizard-check.invalid';
  return host.startsWith('*.') ? `wizard-check${host.slice(1)}` : host;
}

function covers(pattern: string, name: string): boolean {
  return pattern === '*' || pattern === name || (pattern.startsWith('*.') && name.endsWith(pattern.slice(1)));
}

/** Expected share per version, from the relative weights (zero-weight routes stay in with share 0). */
export function expectedShares(host: HostConfig): Record<string, number> {
  const total = host.routes.reduce((a, r) => a + r.weight, 0);
  const shares: Record<string, number> = {};
  for (const r of host.routes)
    shares[r.subset] = (shares[r.subset] ?? 0) + (total > 0 ? r.weight / total : 0);
  return shares;
}

export interface ChecksInput {
  config: WizardConfig;
  certs?: CertPaths;
  /** For tests: the unknown host's random label. */
  unknownLabel?: string;
}

export function buildChecks({ config, certs, unknownLabel }: ChecksInput): CheckSpec[] {
  const httpHosts = config.hosts.filter((h) => h.protocol === 'HTTP');
  const tlsHosts = config.hosts.filter((h) => h.protocol === 'HTTPS');
  const gatewayHasHttpServer = httpHosts.length > 0 || (config.gateway.httpsRedirect && tlsHosts.length > 0);
  const samples = Math.max(1, config.verify.samples);
  const checks: CheckSpec[] = [];

  for (const h of config.hosts) {
    const requestHost = requestHostFor(h.name);
    const https = h.protocol === 'HTTPS';
    const hostCerts = certs?.hosts[h.name];
    const tls: TlsFiles = https ? serverTrust(h, certs) : {};
    if (https && h.tls?.mode === 'MUTUAL') {
      tls.clientCert = hostCerts?.clientCert;
      tls.clientKey = hostCerts?.clientKey;
    }
    const shares = expectedShares(h);
    const live = Object.entries(shares).filter(([, s]) => s > 0);
    const base = { host: h.name, requestHost, path: '/version' };
    if (live.length === 1) {
      const version = live[0]?.[0] ?? '';
      checks.push({
        ...base,
        kind: 'version',
        title: `${h.protocol} ${requestHost} answers ${version}`,
        scheme: https ? 'https' : 'http',
        tls,
        expect: { type: 'version', version },
        phase: 1,
      });
    } else {
      checks.push({
        ...base,
        kind: 'weights',
        title: `${h.protocol} ${requestHost} splits ${live.map(([v, s]) => `${v} ${Math.round(s * 100)}%`).join(' / ')}`,
        scheme: https ? 'https' : 'http',
        tls,
        expect: { type: 'weights', shares, samples },
        phase: 1,
      });
    }
    if (https && h.tls?.mode === 'MUTUAL') {
      checks.push({
        ...base,
        kind: 'mtls-required',
        title: `HTTPS ${requestHost} refuses a client without a certificate`,
        scheme: 'https',
        tls: serverTrust(h, certs),
        expect: { type: 'refused' },
        phase: 2,
      });
    }
    // The negative over the other scheme only means something when no other host of that scheme covers it.
    const otherCovers = config.hosts.some(
      (o) => o !== h && o.protocol !== h.protocol && covers(o.name, requestHost),
    );
    if (!otherCovers) {
      checks.push(
        https
          ? {
              ...base,
              kind: 'wrong-scheme',
              title: config.gateway.httpsRedirect
                ? `HTTP ${requestHost} redirects to https`
                : `HTTP ${requestHost} is not served (HTTPS only)`,
              scheme: 'http',
              tls: {},
              expect: {
                type: 'not-served',
                redirect: config.gateway.httpsRedirect,
                noHttpServer: !gatewayHasHttpServer,
              },
              phase: 2,
            }
          : {
              ...base,
              kind: 'wrong-scheme',
              title: `HTTPS ${requestHost} has no TLS server (HTTP only)`,
              scheme: 'https',
              tls: { ca: certs?.caCert },
              expect: { type: 'no-tls-server', noHttpsServer: tlsHosts.length === 0 },
              phase: 2,
            },
      );
    }
  }

  if (config.hosts.length > 0 && !config.hosts.some((h) => h.name === '*')) {
    const unknown = `wizard-unknown-${unknownLabel ?? randomBytes(4).toString('hex')}.invalid`;
    const base = {
      host: unknown,
      requestHost: unknown,
      kind: 'unknown-host' as const,
      path: '/version',
      phase: 2 as const,
    };
    checks.push(
      gatewayHasHttpServer
        ? {
            ...base,
            title: `HTTP ${unknown} (not on the Gateway) gets 404`,
            scheme: 'http',
            tls: {},
            expect: { type: 'not-found' },
          }
        : {
            ...base,
            title: `HTTPS ${unknown} (not on the Gateway) gets no TLS server`,
            scheme: 'https',
            tls: { ca: certs?.caCert },
            expect: { type: 'no-tls-server', noHttpsServer: tlsHosts.length === 0 },
          },
    );
  }
  return checks;
}
