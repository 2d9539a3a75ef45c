// The values a config gets for every key it leaves out — one place, used by the schema and by the TUI.
import type { WizardConfig } from './types.js';

/** Read-only: take a copy (defaultConfig, defaultOf) before changing anything. */
export const DEFAULTS: Readonly<WizardConfig> = {
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
  hosts: [],
  certs: { storage: 'credentialName', keyType: 'ecdsa-p256', validityDays: 365 },
  istio: { apiVersion: 'auto' },
  build: { enabled: true },
  verify: { timeoutSeconds: 120, samples: 100 },
};

/** A fresh copy of the defaults (hosts: []): the starting point of the interactive wizard. */
export function defaultConfig(): WizardConfig {
  return structuredClone(DEFAULTS);
}

/** A fresh copy of one top-level section's defaults. */
export function defaultOf<K extends keyof WizardConfig>(key: K): WizardConfig[K] {
  return structuredClone(DEFAULTS[key]);
}

export const DEFAULT_REPLICAS = 1;
export const DEFAULT_TLS_MODE = 'SIMPLE';

/** The ranges the config file accepts and the prompts ask within (inclusive). */
export const LIMITS = {
  replicas: [0, 1000],
  validityDays: [1, 3650],
  timeoutSeconds: [1, 3600],
  samples: [100, 100_000],
} as const;
