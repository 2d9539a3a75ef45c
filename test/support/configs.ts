// The configs tests start from, in one place: the tutorial's example (assets/wizard.example.yaml) written out in
// full — the one literal copy, so a test comparing against it does not compare the schema with itself — and
// variations built from it. No vitest imports: bench/apply.mjs bundles this file.
import { defaultConfig } from '../../src/config/defaults.js';
import type { HostConfig, WizardConfig } from '../../src/config/types.js';
import type { CertBundle } from '../../src/manifests/types.js';

export function httpHost(name: string, subset: string): HostConfig {
  return { name, protocol: 'HTTP', routes: [{ subset, weight: 100 }] };
}

export function httpsHost(name: string, subset: string, mode: 'SIMPLE' | 'MUTUAL' = 'SIMPLE'): HostConfig {
  return { name, protocol: 'HTTPS', tls: { mode }, routes: [{ subset, weight: 100 }] };
}

export function weightedHost(
  name: string,
  protocol: 'HTTP' | 'HTTPS',
  weights: Record<string, number>,
): HostConfig {
  return {
    name,
    protocol,
    ...(protocol === 'HTTPS' ? { tls: { mode: 'SIMPLE' as const } } : {}),
    routes: Object.entries(weights).map(([subset, weight]) => ({ subset, weight })),
  };
}

/** The defaults (no hosts) with `over` on top: what a file with only those keys yields. */
export function defaultsWith(over: Partial<WizardConfig> = {}): WizardConfig {
  return { ...defaultConfig(), ...over };
}

/** assets/wizard.example.yaml, as the loader fills it in. */
export function exampleConfig(): WizardConfig {
  return {
    api: 'istio',
    namespace: 'default',
    app: 'flask',
    image: 'python-flask-server:v2',
    versions: [
      { name: 'v1', replicas: 1 },
      { name: 'v2', replicas: 1 },
    ],
    loadBalancer: 'RANDOM',
    gateway: {
      name: 'flask-gateway',
      selector: { istio: 'ingressgateway' },
      workloadNamespace: 'istio-system',
      httpsRedirect: false,
      alsoMesh: false,
    },
    gatewayApi: { className: 'istio', deployment: 'attach' },
    hosts: [httpsHost('flask.example1.com', 'v2'), httpsHost('flask.example2.com', 'v1')],
    certs: { storage: 'credentialName', keyType: 'ecdsa-p256', validityDays: 365 },
    istio: { apiVersion: 'auto' },
    build: { enabled: true },
    verify: { timeoutSeconds: 120, samples: 100 },
  };
}

/** Weighted routes, a MUTUAL host, an HTTP host, file-mount certificates and a redirect, in its own namespace. */
export function weightedConfig(): WizardConfig {
  const c = exampleConfig();
  c.namespace = 'weighted';
  c.app = 'shop';
  c.versions = [
    { name: 'v1', replicas: 2 },
    { name: 'v2', replicas: 1 },
  ];
  c.hosts = [
    weightedHost('shop.example.com', 'HTTPS', { v1: 3, v2: 1 }),
    httpsHost('mtls.example.com', 'v2', 'MUTUAL'),
    httpHost('plain.example.com', 'v1'),
  ];
  c.certs.storage = 'file-mount';
  c.gateway.name = 'shop-gateway';
  return c;
}

/** N HTTPS hosts (bench and the large-plan test). */
export function manyHostsConfig(n: number): WizardConfig {
  const c = exampleConfig();
  c.namespace = 'many';
  c.hosts = Array.from({ length: n }, (_, i) => httpsHost(`h${i}.example.com`, i % 2 ? 'v1' : 'v2'));
  return c;
}

/** An HTTP host and an 80/20 HTTPS host on the defaults (UI and state tests; no key material). */
export function sampleConfig(): WizardConfig {
  return {
    ...defaultConfig(),
    loadBalancer: 'ROUND_ROBIN',
    hosts: [httpHost('v1.example.com', 'v1'), weightedHost('split.example.com', 'HTTPS', { v1: 80, v2: 20 })],
    verify: { timeoutSeconds: 60, samples: 100 },
  };
}

function pem(label: string, text: string): string {
  return `-----BEGIN ${label}-----\n${Buffer.from(text).toString('base64')}\n-----END ${label}-----\n`;
}

// Assembled at run time so no private-key header sits in the repository as a literal.
const KEY_LABEL = ['PRIVATE', 'KEY'].join(' ');

/**
 * FIXED fake material for every HTTPS host of `config` (one shared fake CA): the same bytes every run, so goldens
 * are stable. Not keys at all (base64 of a short text): neither the builders nor the API server parse PEM, and real
 * keys must never enter the repository.
 */
export function fakeCerts(config: WizardConfig): CertBundle {
  const caPem = pem('CERTIFICATE', 'fake ca');
  const hosts: CertBundle['hosts'] = {};
  for (const h of config.hosts) {
    if (h.protocol !== 'HTTPS') continue;
    hosts[h.name] = {
      certPem: pem('CERTIFICATE', `fake cert ${h.name}`),
      keyPem: pem(KEY_LABEL, `fake key ${h.name}`),
      caPem,
    };
  }
  return { caPem, hosts };
}
