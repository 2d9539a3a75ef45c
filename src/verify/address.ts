// Where the ingress is: flags (--address, --http-port, --https-port) > config.verify > what preflight found.
import type { WizardConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { PreflightOutputs, RuntimeFlags } from '../steps/types.js';

export interface VerifyTarget {
  address: string;
  httpPort: number;
  httpsPort: number;
}

export function resolveTarget(
  config: WizardConfig,
  flags: Pick<RuntimeFlags, 'address' | 'httpPort' | 'httpsPort'>,
  preflight: PreflightOutputs | undefined,
): VerifyTarget {
  const address = flags.address ?? config.verify.address ?? preflight?.gatewayAddress;
  if (!address) {
    throw new UsageError(
      'no ingress address to verify against: preflight found none',
      [
        '--address: pass the ingress gateway address (IP or DNS name)',
        'verify.address: or set it in the config file',
      ],
      'find it with: kubectl -n istio-system get svc istio-ingressgateway (EXTERNAL-IP, or a node IP with the NodePorts)',
    );
  }
  const httpPort = flags.httpPort ?? config.verify.httpPort ?? preflight?.httpPort ?? 80;
  const httpsPort = flags.httpsPort ?? config.verify.httpsPort ?? preflight?.httpsPort ?? 443;
  for (const [name, v] of [
    ['--http-port / verify.httpPort', httpPort],
    ['--https-port / verify.httpsPort', httpsPort],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 65535)
      throw new UsageError(`${name}: ${v} is not a port (1-65535)`);
  }
  return { address: stripBrackets(address), httpPort, httpsPort };
}

/** `[::1]` → `::1`: the curl arguments add brackets where curl needs them. */
export function stripBrackets(address: string): string {
  return address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
}
