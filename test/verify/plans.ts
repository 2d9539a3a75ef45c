// The plans the verify tests run against: the tutorial's example, a weighted + MUTUAL + wildcard one, and one
// with httpsRedirect. Built in full (defaults filled) as the config loader would hand them over.
import type { HostConfig, WizardConfig } from '../../src/config/types.js';
import { defaultsWith, exampleConfig, httpHost, httpsHost } from '../support/configs.js';

export function plan(hosts: HostConfig[], over: Partial<WizardConfig> = {}): WizardConfig {
  const c = defaultsWith({ hosts, ...over });
  c.verify = { ...c.verify, timeoutSeconds: 20, samples: 100, ...over.verify };
  return c;
}

export const exampleHosts = (): HostConfig[] => exampleConfig().hosts;

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
  httpsHost('flask.example1.com', 'v2'),
  httpHost('plain.example.com', 'v1'),
];
