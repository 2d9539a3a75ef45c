// Where the ingress is: flags (--address, --http-port, --https-port) > config.verify > what preflight found.
import { isIP } from 'node:net';
import type { WizardConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { PreflightOutputs, RuntimeFlags } from '../steps/types.js';

export interface VerifyTarget {
  address: string;
  httpPort: number;
  httpsPort: number;
}

/** A DNS name as a load balancer gets one (e.g. an AWS ELB): dot-separated labels of letters, digits and '-'. */
const DNS_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

export function resolveTarget(
  config: WizardConfig,
  flags: Pick<RuntimeFlags, 'address' | 'httpPort' | 'httpsPort'>,
  preflight: PreflightOutputs | undefined,
): VerifyTarget {
  const address = flags.address ?? config.verify.address ?? preflight?.gatewayAddress;
  if (!address) {
    const sel = Object.entries(config.gateway.selector)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    throw new UsageError(
      `no ingress address to verify against: ${preflight ? 'preflight found none' : 'preflight has not run (no saved address)'}`,
      [
        '--address: pass the ingress gateway address (IP or DNS name)',
        'verify.address: or set it in the config file',
      ],
      `find it with: kubectl -n ${config.gateway.workloadNamespace} get svc -l ${sel} (EXTERNAL-IP, or a node IP with the NodePorts)`,
    );
  }
  // verify.address is checked by the config schema, preflight's address comes from the Service status.
  const bare = stripBrackets(address);
  if (flags.address !== undefined && !isIP(bare) && !DNS_NAME.test(bare)) {
    throw new UsageError(
      `--address: "${flags.address}" is not an IP address or DNS name (e.g. 203.0.113.10, 2001:db8::1 or lb.example.com; no scheme, port or path: the ports are --http-port and --https-port)`,
    );
  }
  return { address: bare, ...resolvePorts(config, flags, preflight) };
}

/** The ingress ports: flags > config.verify > preflight > 80/443. */
export function resolvePorts(
  config: WizardConfig,
  flags: Pick<RuntimeFlags, 'httpPort' | 'httpsPort'>,
  preflight: PreflightOutputs | undefined,
): Omit<VerifyTarget, 'address'> {
  const httpPort = flags.httpPort ?? config.verify.httpPort ?? preflight?.httpPort ?? 80;
  const httpsPort = flags.httpsPort ?? config.verify.httpsPort ?? preflight?.httpsPort ?? 443;
  for (const [name, v] of [
    ['--http-port / verify.httpPort', httpPort],
    ['--https-port / verify.httpsPort', httpsPort],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 65535)
      throw new UsageError(`${name}: ${v} is not a port (1-65535)`);
  }
  return { httpPort, httpsPort };
}

/** `[::1]` → `::1`: the curl arguments add brackets where curl needs them. */
export function stripBrackets(address: string): string {
  return address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
}
