import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toConfigYaml } from '../../src/config/dump.js';
import { parseConfig } from '../../src/config/load.js';
import type { WizardConfig } from '../../src/config/types.js';

const dir = mkdtempSync(join(tmpdir(), 'wizard-config-dump-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONFIG: WizardConfig = {
  api: 'istio',
  gatewayApi: { className: 'istio', deployment: 'attach' },
  namespace: 'shop',
  app: 'web',
  image: 'localhost:5000/web:v3',
  versions: [
    { name: 'v1', replicas: 1 },
    { name: 'v2', replicas: 2 },
  ],
  loadBalancer: 'ROUND_ROBIN',
  gateway: {
    name: 'gw',
    selector: { istio: 'ingress' },
    workloadNamespace: 'istio-ingress',
    httpsRedirect: true,
    alsoMesh: false,
  },
  hosts: [
    {
      name: 'a.example.com',
      protocol: 'HTTPS',
      tls: { mode: 'MUTUAL' },
      routes: [{ subset: 'v2', weight: 100 }],
    },
    {
      name: '*.example.org',
      protocol: 'HTTP',
      routes: [
        { subset: 'v1', weight: 80 },
        { subset: 'v2', weight: 20 },
      ],
    },
  ],
  certs: { storage: 'credentialName', keyType: 'rsa-2048', validityDays: 90 },
  istio: { apiVersion: 'networking.istio.io/v1' },
  build: { enabled: true, tool: 'podman', context: dir, load: 'kind' },
  verify: { address: '203.0.113.10', httpPort: 8080, timeoutSeconds: 60, samples: 200 },
};

describe('toConfigYaml', () => {
  it('round-trips through parseConfig', () => {
    const text = toConfigYaml(CONFIG);
    expect(parseConfig(text, { source: 'dump', configDir: '/' }).config).toStrictEqual(CONFIG);
  });

  it('writes the route shorthand and paths relative to the config dir', () => {
    const text = toConfigYaml(CONFIG, { configDir: join(dir, '..') });
    expect(text).toContain('    route: v2\n');
    expect(text).toContain(`  context: ./${dir.split('/').pop()}\n`);
    const back = parseConfig(text, { source: 'dump', configDir: join(dir, '..') }).config;
    expect(back).toStrictEqual(CONFIG);
  });
});
