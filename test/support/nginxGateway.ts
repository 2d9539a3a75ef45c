/**
 * A real TLS-terminating gateway stand-in for the Istio ingress gateway, built by nginx from a WizardConfig (the
 * plan): the way the wizard's Gateway + VirtualServices + DestinationRule would make Envoy behave.
 * - HTTP port: one server per HTTP host routing to its subsets; HTTPS hosts get a 301 to https when
 *   gateway.httpsRedirect is on and nothing otherwise; anything else gets a 404 from the gateway itself.
 *   No HTTP host and no redirect → no HTTP listener at all (Envoy has no listener without a Gateway server).
 * - HTTPS port: one server per HTTPS host with its own certificate, picked by SNI; MUTUAL hosts require a client
 *   certificate from the CA; an unknown SNI has its handshake rejected (Envoy: no matching filter chain).
 * - Weighted routes via split_clients on $request_id (a random split per request, as Envoy's weighted clusters).
 * - Proxied responses carry x-envoy-upstream-service-time like Envoy's; the gateway's own 404 does not.
 * A break (omitted hosts) makes the one deliberately wrong gateway test/verify/standInGateway.test.ts needs.
 * Kept only for what the real stack tier cannot show (IPv6, a listener that starts late): see that test's comment.
 * Everything (conf, pid, logs, temp paths) lives in a temp dir; listens on loopback only.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { RouteConfig, WizardConfig } from '../../src/config/types.js';
import type { CertPaths } from '../../src/steps/types.js';
import { freePort, repoRoot } from './flaskApp.js';

const execFileP = promisify(execFile);

export interface GatewayBreaks {
  /** Hosts the gateway does not serve at all (no server for the host). */
  omitHosts?: string[];
}

export interface GatewaySpec {
  config: WizardConfig;
  certs?: CertPaths;
  /** Base URL per version (subset name), e.g. { v1: 'http://127.0.0.1:5001' }. */
  upstreams: Record<string, string>;
  breaks?: GatewayBreaks;
}

export interface NginxGateway {
  address: string;
  httpPort: number;
  httpsPort: number;
  dir: string;
  /** Resolves once nginx accepts connections (later when started with startDelayMs). */
  ready: Promise<void>;
  stop(): Promise<void>;
  errorLog(): string;
}

let nginxPath: Promise<string> | undefined;
export function ensureNginx(): Promise<string> {
  nginxPath ??= execFileP('bash', [path.join(repoRoot, 'test/setup/nginx.sh')], { maxBuffer: 16 << 20 }).then(
    (r) => r.stdout.trim().split('\n').pop() ?? 'nginx',
  );
  return nginxPath;
}

const upstreamName = (version: string) => `wz_${version.replace(/[^A-Za-z0-9_]/g, '_')}`;

function hostPort(url: string): string {
  const u = new URL(url);
  return `${u.hostname.includes(':') ? `[${u.hostname}]` : u.hostname}:${u.port || 80}`;
}

/** split_clients takes percentages with up to two decimals; the last bucket is `*` so they always cover 100%. */
function splitBlock(variable: string, routes: RouteConfig[]): string {
  const live = routes.filter((r) => r.weight > 0);
  const total = live.reduce((a, r) => a + r.weight, 0);
  const lines = live.map((r, i) =>
    i === live.length - 1
      ? `    * ${upstreamName(r.subset)};`
      : `    ${((r.weight / total) * 100).toFixed(2)}% ${upstreamName(r.subset)};`,
  );
  return `  split_clients "\${request_id}" $${variable} {\n${lines.join('\n')}\n  }`;
}

export function renderNginxConf(
  spec: GatewaySpec,
  dir: string,
  ports: { http: number; https: number },
  addresses: string[],
) {
  const { config, certs, upstreams, breaks = {} } = spec;
  const omitted = new Set(breaks.omitHosts ?? []);
  const listen = (port: number, extra = '') =>
    addresses.map((a) => `    listen ${a.includes(':') ? `[${a}]` : a}:${port}${extra};`).join('\n');
  const out: string[] = [];
  const maps: string[] = [];
  const location = (host: string, i: number) => {
    const routes = config.hosts.find((h) => h.name === host)?.routes ?? [];
    const live = routes.filter((r) => r.weight > 0);
    let target: string;
    if (live.length === 1) target = upstreamName(live[0]?.subset ?? '');
    else {
      maps.push(splitBlock(`wz_route_${i}`, routes));
      target = `$wz_route_${i}`;
    }
    return [
      '    location / {',
      `      proxy_pass http://${target};`,
      '      proxy_http_version 1.1;',
      '      proxy_set_header Connection "";',
      '      proxy_set_header Host $host;',
      '      add_header x-envoy-upstream-service-time $upstream_response_time always;',
      '    }',
    ].join('\n');
  };

  const httpHosts = config.hosts.filter((h) => h.protocol === 'HTTP');
  const tlsHosts = config.hosts.filter((h) => h.protocol === 'HTTPS');
  const redirect = config.gateway.httpsRedirect && tlsHosts.length > 0;
  if (httpHosts.length > 0 || redirect) {
    out.push(
      `  server {\n${listen(ports.http, ' default_server')}\n    server_name _;\n    location / { return 404; }\n  }`,
    );
    config.hosts.forEach((h, i) => {
      if (omitted.has(h.name)) return;
      if (h.protocol === 'HTTP') {
        out.push(
          `  server {\n${listen(ports.http)}\n    server_name ${h.name};\n${location(h.name, i)}\n  }`,
        );
      } else if (redirect) {
        out.push(
          `  server {\n${listen(ports.http)}\n    server_name ${h.name};\n    return 301 https://$host$request_uri;\n  }`,
        );
      }
    });
  }
  if (tlsHosts.length > 0) {
    out.push(`  server {\n${listen(ports.https, ' ssl default_server')}\n    ssl_reject_handshake on;\n  }`);
    config.hosts.forEach((h, i) => {
      if (h.protocol !== 'HTTPS' || omitted.has(h.name)) return;
      const pair = certs?.hosts[h.name];
      if (!pair) throw new Error(`nginxGateway: no certificate for HTTPS host ${h.name}`);
      const mtls = h.tls?.mode === 'MUTUAL';
      if (mtls && !certs) throw new Error(`nginxGateway: MUTUAL host ${h.name} needs the CA`);
      out.push(
        [
          '  server {',
          listen(ports.https, ' ssl'),
          `    server_name ${h.name};`,
          `    ssl_certificate ${pair.cert};`,
          `    ssl_certificate_key ${pair.key};`,
          ...(mtls ? [`    ssl_client_certificate ${certs?.caCert};`, '    ssl_verify_client on;'] : []),
          location(h.name, i),
          '  }',
        ].join('\n'),
      );
    });
  }
  const ups = Object.entries(upstreams).map(
    ([v, url]) => `  upstream ${upstreamName(v)} {\n    server ${hostPort(url)};\n    keepalive 8;\n  }`,
  );
  const tmp = path.join(dir, 'tmp');
  const asRoot = process.getuid?.() === 0;
  return `# generated by test/support/nginxGateway.ts
daemon off;
master_process on;
worker_processes 1;
${asRoot ? 'user root root;' : ''}
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} notice;
events { worker_connections 1024; }
http {
  access_log ${path.join(dir, 'access.log')};
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  server_names_hash_bucket_size 256;
  server_names_hash_max_size 8192;
  keepalive_requests 100000;
${ups.join('\n')}
${maps.join('\n')}
${out.join('\n')}
}
`;
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export async function startNginxGateway(
  spec: GatewaySpec,
  opts: { startDelayMs?: number; address?: '127.0.0.1' | '::1' } = {},
): Promise<NginxGateway> {
  const nginx = await ensureNginx();
  const address = opts.address ?? '127.0.0.1';
  const dir = mkdtempSync(path.join(tmpdir(), 'nginx-gw-'));
  mkdirSync(path.join(dir, 'tmp'));
  const httpPort = await freePort(address);
  const httpsPort = await freePort(address);
  const conf = path.join(dir, 'nginx.conf');
  let child: ChildProcess | undefined;
  let stopped = false;
  const errorLog = () => {
    try {
      return readFileSync(path.join(dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };

  const start = async (s: GatewaySpec) => {
    writeFileSync(conf, renderNginxConf(s, dir, { http: httpPort, https: httpsPort }, [address]));
    const c = spawn(nginx, ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', conf], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child = c;
    let out = '';
    c.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
    });
    c.stderr?.on('data', (b: Buffer) => {
      out += b.toString();
    });
    const hasHttp = /listen [^;]*:(\d+) default_server;/.test(readFileSync(conf, 'utf8'));
    const probePort = hasHttp ? httpPort : httpsPort;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (c.exitCode !== null) throw new Error(`nginx exited (${c.exitCode}): ${out}\n${errorLog()}`);
      if (await canConnect(address, probePort)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`nginx did not listen on ${address}:${probePort}: ${out}\n${errorLog()}`);
  };

  const kill = async () => {
    const c = child;
    child = undefined;
    if (!c?.pid || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    try {
      process.kill(-c.pid, 'SIGTERM');
    } catch {}
    const t = setTimeout(() => {
      try {
        if (c.pid) process.kill(-c.pid, 'SIGKILL');
      } catch {}
    }, 3000);
    await exited;
    clearTimeout(t);
  };

  const ready =
    opts.startDelayMs && opts.startDelayMs > 0
      ? new Promise<void>((resolve, reject) => {
          setTimeout(() => {
            if (stopped) return resolve();
            start(spec).then(resolve, reject);
          }, opts.startDelayMs);
        })
      : start(spec);
  if (!opts.startDelayMs) await ready;
  // A late start that fails is reported through `ready`; keep it from being an unhandled rejection meanwhile.
  ready.catch(() => {});

  return {
    address,
    httpPort,
    httpsPort,
    dir,
    ready,
    errorLog,
    async stop() {
      stopped = true;
      await ready.catch(() => {});
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
