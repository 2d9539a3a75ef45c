// gateway-api mode's golden scenarios: the tutorial's three stages, then one per feature (weighted, redirect,
// MUTUAL, wildcard, the Helm-style selector, the automated deployment, another namespace) and 120 hosts.
import type { IstioApiVersion, WizardConfig } from '../../../src/config/types.js';
import { httpHost, httpsHost, weightedHost } from '../../support/configs.js';
import { makeConfig } from '../fixtures.js';

export interface GatewayApiScenario {
  name: string;
  config: WizardConfig;
  apiVersion: IstioApiVersion;
}

const v1: IstioApiVersion = 'networking.istio.io/v1';
const gw = (overrides: Partial<WizardConfig> = {}) => makeConfig({ api: 'gateway-api', ...overrides });
const stage3 = gw();

/** 60 HTTPS + 60 HTTP hosts (a Gateway holds at most 64 listeners), redirect on: four redirect routes of ≤16. */
export function manyHosts(n = 120): WizardConfig {
  const hosts = Array.from({ length: n }, (_, i) =>
    i % 2 === 0
      ? httpsHost(`h${i}.example.com`, i % 4 === 0 ? 'v1' : 'v2')
      : weightedHost(`h${i}.example.com`, 'HTTP', { v1: 1, v2: i % 3 }),
  );
  return gw({ gateway: { ...stage3.gateway, httpsRedirect: true }, hosts });
}

export const GATEWAY_API_SCENARIOS: GatewayApiScenario[] = [
  { name: 'stage1-http', apiVersion: v1, config: gw({ hosts: [httpHost('flask.example1.com', 'v2')] }) },
  {
    name: 'stage2-https-and-http',
    apiVersion: v1,
    config: gw({ hosts: [httpsHost('flask.example1.com', 'v2'), httpHost('flask.example2.com', 'v1')] }),
  },
  { name: 'stage3-two-https', apiVersion: v1, config: stage3 },
  {
    name: 'weighted',
    apiVersion: v1,
    config: gw({
      versions: [
        { name: 'v1', replicas: 2 },
        { name: 'v2', replicas: 1 },
        { name: 'v3', replicas: 1 },
      ],
      loadBalancer: 'ROUND_ROBIN',
      hosts: [
        weightedHost('flask.example1.com', 'HTTP', { v1: 80, v2: 20 }),
        weightedHost('flask.example2.com', 'HTTPS', { v1: 1, v2: 1, v3: 1 }),
        weightedHost('flask.example3.com', 'HTTP', { v1: 0, v3: 5 }),
      ],
    }),
  },
  {
    name: 'https-redirect',
    apiVersion: v1,
    config: gw({
      gateway: { ...stage3.gateway, httpsRedirect: true },
      hosts: [
        httpsHost('flask.example1.com', 'v2'),
        httpsHost('flask.example2.com', 'v1'),
        httpHost('flask.example3.com', 'v1'),
      ],
    }),
  },
  {
    name: 'mutual',
    apiVersion: v1,
    config: gw({
      hosts: [
        httpsHost('flask.example1.com', 'v2', 'MUTUAL'),
        httpsHost('flask.example2.com', 'v1', 'MUTUAL'),
      ],
    }),
  },
  {
    name: 'wildcard-host',
    apiVersion: v1,
    config: gw({
      hosts: [
        httpsHost('*.example.com', 'v2'),
        httpsHost('flask.example.com', 'v1'),
        httpHost('flask.example1.com', 'v1'),
      ],
    }),
  },
  {
    name: 'helm-selector',
    apiVersion: v1,
    config: gw({
      gateway: { ...stage3.gateway, selector: { istio: 'ingress' }, workloadNamespace: 'istio-ingress' },
    }),
  },
  {
    name: 'automated-deployment',
    apiVersion: v1,
    config: gw({ gatewayApi: { className: 'istio', deployment: 'automated' } }),
  },
  {
    name: 'other-namespace-custom-gateway',
    apiVersion: v1,
    config: gw({
      namespace: 'shop',
      app: 'web',
      image: 'registry.example.com/team/web:1.4.2',
      versions: [
        { name: 'blue', replicas: 3 },
        { name: 'green', replicas: 3 },
      ],
      loadBalancer: 'LEAST_REQUEST',
      gateway: {
        name: 'web-gw',
        selector: { app: 'edge', tier: 'public' },
        workloadNamespace: 'edge-system',
        httpsRedirect: true,
        alsoMesh: false,
      },
      gatewayApi: { className: 'edge-class', deployment: 'attach', service: 'edge-lb' },
      hosts: [weightedHost('shop.example.org', 'HTTPS', { blue: 9, green: 1 })],
    }),
  },
  { name: 'same-namespace', apiVersion: v1, config: gw({ namespace: 'istio-system' }) },
  { name: '120-hosts', apiVersion: v1, config: manyHosts(120) },
];
