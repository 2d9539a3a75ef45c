// The plans the verify tests run against: the tutorial's example, a weighted + MUTUAL + wildcard one, and one
// with httpsRedirect. Built in full (defaults filled) as the config loader would hand them over.
import type { HostConfig, WizardConfig } from '../../src/config/types.js';
import { buildConfig } from '../support/stepContext.js';

export function plan(hosts: HostConfig[], over: Partial<WizardConfig> = {}): WizardConfig {
  const c = buildConfig({ hosts, ...over });
  c.verify = { ...c.verify, timeoutSeconds: 20, samples: 100, ...over.verify };
  return c;
}

export const exampleHosts = (): HostConfig[] => [
  {
    name: 'flask.example1.com',
    protocol: 'HTTPS',
    tls: { mode: 'SIMPLE' },
    routes: [{ subset: 'v2', weight: 100 }],
  },
  {
    name: 'flask.example2.com',
    protocol: 'HTTPS',
    tls: { mode: 'SIMPLE' },
    routes: [{ subset: 'v1', weight: 100 }],
  },
];

export const weightedMutualHosts = (): HostConfig[] => [
  {
    name: 'flask.example3.com',
    protocol: 'HTTP',
    routes: [
      { subset: 'v1', weight: 80 },
      { subset: 'v2', weight: 20 },
    ],
  },
  {
    name: 'secure.example.com',
    protocol: 'HTTPS',
    tls: { mode: 'MUTUAL' },
    routes: [{ subset: 'v1', weight: 1 }],
  },
  {
    name: '*.wild.example.com',
    protocol: 'HTTPS',
    tls: { mode: 'SIMPLE' },
    routes: [{ subset: 'v2', weight: 100 }],
  },
];

export const redirectHosts = (): HostConfig[] => [
  {
    name: 'flask.example1.com',
    protocol: 'HTTPS',
    tls: { mode: 'SIMPLE' },
    routes: [{ subset: 'v2', weight: 100 }],
  },
  { name: 'plain.example.com', protocol: 'HTTP', routes: [{ subset: 'v1', weight: 100 }] },
];
