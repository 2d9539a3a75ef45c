// Configs for the real-API-server tier and bench/apply.mjs (no vitest imports: the bench bundles this file).
import { defaultConfig } from '../../src/config/defaults.js';
import type { HostConfig, WizardConfig } from '../../src/config/types.js';
import type { CertBundle } from '../../src/manifests/types.js';

export function https(name: string, subset: string, mode: 'SIMPLE' | 'MUTUAL' = 'SIMPLE'): HostConfig {
  return { name, protocol: 'HTTPS', tls: { mode }, routes: [{ subset, weight: 100 }] };
}

/** assets/wizard.example.yaml, as the loader would fill it in. */
export function exampleConfig(): WizardConfig {
  const c = defaultConfig();
  c.hosts = [https('flask.example1.com', 'v2'), https('flask.example2.com', 'v1')];
  c.istio.apiVersion = 'auto';
  return c;
}

/** Weighted routes, a MUTUAL host, an HTTP host, file-mount certificates and a redirect, in its own namespace. */
export function weightedConfig(): WizardConfig {
  const c = defaultConfig();
  c.namespace = 'weighted';
  c.app = 'shop';
  c.versions = [
    { name: 'v1', replicas: 2 },
    { name: 'v2', replicas: 1 },
  ];
  c.hosts = [
    {
      name: 'shop.example.com',
      protocol: 'HTTPS',
      tls: { mode: 'SIMPLE' },
      routes: [
        { subset: 'v1', weight: 3 },
        { subset: 'v2', weight: 1 },
      ],
    },
    https('mtls.example.com', 'v2', 'MUTUAL'),
    { name: 'plain.example.com', protocol: 'HTTP', routes: [{ subset: 'v1', weight: 100 }] },
  ];
  c.certs.storage = 'file-mount';
  c.gateway.name = 'shop-gateway';
  return c;
}

/** N HTTPS hosts (bench and the large-plan test). */
export function manyHostsConfig(n: number): WizardConfig {
  const c = defaultConfig();
  c.namespace = 'many';
  c.hosts = Array.from({ length: n }, (_, i) => https(`h${i}.example.com`, i % 2 ? 'v1' : 'v2'));
  return c;
}

/** Not real key material: the API server does not parse PEM, and real keys must never enter the repo. */
export function fakeCerts(config: WizardConfig): CertBundle {
  const pem = (what: string, host: string) =>
    `-----BEGIN ${what}-----\nZmFrZSBmb3IgJHtob3N0fQ==\n# ${host}\n-----END ${what}-----\n`;
  const hosts: CertBundle['hosts'] = {};
  for (const h of config.hosts.filter((x) => x.protocol === 'HTTPS')) {
    hosts[h.name] = {
      certPem: pem('CERTIFICATE', h.name),
      keyPem: pem('TEST KEY', h.name),
      caPem: pem('CERTIFICATE', 'ca'),
    };
  }
  return { caPem: pem('CERTIFICATE', 'ca'), hosts };
}
