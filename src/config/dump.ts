// WizardConfig → config-file YAML, so answers given to the prompts can be saved and replayed with --config.
// The output is the short form a person would write; parsing it gives the same WizardConfig back.
import { relative } from 'node:path';
import { stringify } from 'yaml';
import type { HostConfig, WizardConfig } from './types.js';

/** `route: v2` where it means the same (one route, weight 100), else the weighted list. */
function hostEntry(host: HostConfig, pathFor: (p: string) => string): Record<string, unknown> {
  const entry: Record<string, unknown> = { name: host.name, protocol: host.protocol };
  if (host.tls) {
    const tls: Record<string, unknown> = { mode: host.tls.mode };
    if (host.tls.certFile) tls.certFile = pathFor(host.tls.certFile);
    if (host.tls.keyFile) tls.keyFile = pathFor(host.tls.keyFile);
    entry.tls = tls;
  }
  const [only, ...others] = host.routes;
  if (only && others.length === 0 && only.weight === 100) entry.route = only.subset;
  else entry.routes = host.routes.map((r) => ({ subset: r.subset, weight: r.weight }));
  return entry;
}

/**
 * Paths inside `configDir` are written relative to it (the file stays movable with its certificates); others
 * stay absolute. Never contains key material: certificates are referenced by path only.
 */
export function toConfigYaml(config: WizardConfig, opts: { configDir?: string } = {}): string {
  const pathFor = (p: string) => {
    if (!opts.configDir) return p;
    const rel = relative(opts.configDir, p);
    return rel.startsWith('..') || rel === '' ? p : `./${rel}`;
  };
  const build: Record<string, unknown> = { ...config.build };
  if (config.build.context) build.context = pathFor(config.build.context);
  const doc = {
    api: config.api,
    namespace: config.namespace,
    app: config.app,
    image: config.image,
    versions: config.versions.map((v) => ({ name: v.name, replicas: v.replicas })),
    loadBalancer: config.loadBalancer,
    gateway: config.gateway,
    gatewayApi: config.gatewayApi,
    hosts: config.hosts.map((h) => hostEntry(h, pathFor)),
    certs: config.certs,
    istio: config.istio,
    build,
    verify: config.verify,
  };
  return stringify(doc, { lineWidth: 0 });
}
