// The configurations the golden files pin down: the tutorial's three stages, then one scenario per feature, and
// a few that are deliberately unlike the tutorial (other namespace/app, three versions, colliding host names).
import type { IstioApiVersion, WizardConfig } from '../../src/config/types.js';
import { httpHost, httpsHost, weightedHost } from '../support/configs.js';
import { makeConfig } from './fixtures.js';

export interface Scenario {
  name: string;
  config: WizardConfig;
  apiVersion: IstioApiVersion;
}

const v1: IstioApiVersion = 'networking.istio.io/v1';
const stage3 = makeConfig();

export const SCENARIOS: Scenario[] = [
  {
    name: 'stage1-http',
    apiVersion: v1,
    config: makeConfig({ hosts: [httpHost('flask.example1.com', 'v2')] }),
  },
  {
    name: 'stage2-https-and-http',
    apiVersion: v1,
    config: makeConfig({
      hosts: [httpsHost('flask.example1.com', 'v2'), httpHost('flask.example2.com', 'v1')],
    }),
  },
  { name: 'stage3-two-https', apiVersion: v1, config: stage3 },
  { name: 'api-v1beta1', apiVersion: 'networking.istio.io/v1beta1', config: stage3 },
  { name: 'api-v1alpha3', apiVersion: 'networking.istio.io/v1alpha3', config: stage3 },
  {
    name: 'weighted',
    apiVersion: v1,
    config: makeConfig({
      versions: [
        { name: 'v1', replicas: 2 },
        { name: 'v2', replicas: 1 },
        { name: 'v3', replicas: 1 },
      ],
      loadBalancer: 'ROUND_ROBIN',
      hosts: [
        weightedHost('flask.example1.com', 'HTTP', { v1: 1, v2: 2 }),
        weightedHost('flask.example2.com', 'HTTPS', { v1: 1, v2: 1, v3: 1 }),
        weightedHost('flask.example3.com', 'HTTP', { v1: 0, v3: 5 }),
      ],
    }),
  },
  {
    name: 'mutual',
    apiVersion: v1,
    config: makeConfig({
      hosts: [httpsHost('flask.example1.com', 'v2', 'MUTUAL'), httpsHost('flask.example2.com', 'v1')],
    }),
  },
  {
    name: 'https-redirect',
    apiVersion: v1,
    config: makeConfig({
      gateway: { ...stage3.gateway, httpsRedirect: true },
      hosts: [
        httpsHost('flask.example1.com', 'v2'),
        httpsHost('flask.example2.com', 'v1'),
        httpHost('flask.example3.com', 'v1'),
      ],
    }),
  },
  {
    name: 'file-mount',
    apiVersion: v1,
    config: makeConfig({
      certs: { storage: 'file-mount', keyType: 'rsa-2048', validityDays: 30 },
      hosts: [
        httpsHost('flask.example1.com', 'v2'),
        httpsHost('flask.example2.com', 'v1', 'MUTUAL'),
        httpsHost('*.example3.com', 'v1'),
      ],
    }),
  },
  {
    name: 'helm-selector',
    apiVersion: v1,
    config: makeConfig({
      gateway: { ...stage3.gateway, selector: { istio: 'ingress' }, workloadNamespace: 'istio-ingress' },
    }),
  },
  {
    name: 'wildcard-host',
    apiVersion: v1,
    config: makeConfig({ hosts: [httpsHost('*.example.com', 'v2'), httpHost('flask.example1.com', 'v1')] }),
  },
  {
    name: 'other-namespace-also-mesh',
    apiVersion: v1,
    config: makeConfig({
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
        alsoMesh: true,
      },
      hosts: [weightedHost('shop.example.org', 'HTTPS', { blue: 9, green: 1 })],
    }),
  },
  {
    name: 'colliding-host-names',
    apiVersion: v1,
    config: makeConfig({ hosts: [httpsHost('a-b.example.com', 'v1'), httpsHost('a.b.example.com', 'v2')] }),
  },
];
