// curl command lines and their output. curl is the check because it is what a person would run by hand: the
// report's commands can be pasted. Never -k/--insecure: HTTPS is verified against the generated CA.
import { isIP } from 'node:net';
import type { PlannedCommand } from '../steps/types.js';
import type { CheckSpec } from './checks.js';

/** Separates each transfer's write-out from the output before it; unlikely in any body. */
export const MARK = '@@wizard-curl@@';
const WRITE_OUT = `\n${MARK} %{http_code} %{time_total}\n`;

export interface Target {
  address: string;
  httpPort: number;
  httpsPort: number;
}

export function portFor(spec: Pick<CheckSpec, 'scheme'>, t: Target): number {
  return spec.scheme === 'https' ? t.httpsPort : t.httpPort;
}

/**
 * Sends `requestHost` (Host header and SNI both) to the ingress address without DNS: --resolve pins the name to
 * an IP; a DNS-named load balancer (e.g. an AWS ELB) needs --connect-to, which takes a host name.
 */
export function routeArgs(host: string, port: number, address: string): string[] {
  if (isIP(address)) return ['--resolve', `${host}:${port}:${bracketed(address)}`];
  return ['--connect-to', `${host}:${port}:${address}:${port}`];
}

/** An IPv6 address in brackets, as curl and openssl take it next to a port; anything else as it is. */
export function bracketed(address: string): string {
  return isIP(address) === 6 ? `[${address}]` : address;
}

export function urlFor(spec: Pick<CheckSpec, 'scheme' | 'requestHost' | 'path'>, t: Target): string {
  return `${spec.scheme}://${spec.requestHost}:${portFor(spec, t)}${spec.path}`;
}

export interface CurlOptions {
  maxTimeSeconds: number;
  /** Weights: this many requests in one curl run (URL globbing `?n=[1-N]`, one kept-alive connection). */
  repeat?: number;
  /** Dump response headers too (single requests: Location, x-envoy-* for the diagnosis). */
  headers?: boolean;
}

export function curlArgs(spec: CheckSpec, t: Target, o: CurlOptions): string[] {
  const port = portFor(spec, t);
  const args = [
    '--silent',
    '--show-error',
    // The ingress is addressed directly: a configured proxy would test the proxy instead.
    '--noproxy',
    '*',
    '--max-time',
    String(o.maxTimeSeconds),
    ...routeArgs(spec.requestHost, port, t.address),
  ];
  if (spec.tls.ca) args.push('--cacert', spec.tls.ca);
  if (spec.tls.clientCert && spec.tls.clientKey)
    args.push('--cert', spec.tls.clientCert, '--key', spec.tls.clientKey);
  if (o.headers) args.push('--dump-header', '-');
  args.push('--write-out', WRITE_OUT);
  const url = urlFor(spec, t);
  args.push(o.repeat && o.repeat > 1 ? `${url}?n=[1-${o.repeat}]` : url);
  return args;
}

export function plannedCurl(spec: CheckSpec, t: Target, o: CurlOptions): PlannedCommand {
  return { cmd: 'curl', args: curlArgs(spec, t, o), why: spec.title };
}

export interface Transfer {
  /** 0 when no HTTP response came back. */
  status: number;
  timeSeconds: number;
  headers: Record<string, string>;
  body: string;
}

/** Splits curl's stdout into transfers: [headers] body MARK status time, repeated. */
export function parseTransfers(stdout: string, withHeaders: boolean): Transfer[] {
  const out: Transfer[] = [];
  const re = new RegExp(`\\n?${MARK} (\\d{3}) ([0-9.]+)\\n?`, 'g');
  let from = 0;
  for (let m = re.exec(stdout); m; m = re.exec(stdout)) {
    let chunk = stdout.slice(from, m.index);
    from = m.index + m[0].length;
    const headers: Record<string, string> = {};
    if (withHeaders) {
      // Header blocks end with a blank line; a 1xx block may precede the final one.
      for (;;) {
        const end = chunk.search(/\r?\n\r?\n/);
        if (!/^HTTP\/[\d.]+ \d{3}/.test(chunk) || end < 0) break;
        const block = chunk.slice(0, end);
        chunk = chunk.slice(end).replace(/^\r?\n\r?\n/, '');
        for (const k of Object.keys(headers)) delete headers[k];
        for (const line of block.split(/\r?\n/).slice(1)) {
          const i = line.indexOf(':');
          if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
        }
        if (!/^HTTP\/[\d.]+ 1\d\d/.test(block)) break;
      }
    }
    out.push({ status: Number(m[1]), timeSeconds: Number(m[2]), headers, body: chunk });
  }
  return out;
}

/** `curl: (60) SSL certificate problem: …` → the message without the prefix. */
export function curlErrorLine(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const l = [...lines].reverse().find((x) => /^curl: \(\d+\)/.test(x)) ?? lines.at(-1);
  return l?.replace(/^curl: /, '');
}
