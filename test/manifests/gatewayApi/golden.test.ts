// gateway-api mode's golden files: the exact YAML (secrets redacted) each scenario produces. Regenerate after an
// intended change with  UPDATE_GOLDEN=1 npx vitest run test/manifests/gatewayApi/golden.test.ts  and review the
// diff. Every object must also pass the real v1.6.1 (and Istio 1.30.3) CRD schemas or the core shapes, every
// scenario must be a valid config, and the offline analyzer must find nothing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/load.js';
import { analyzeManifests } from '../../../src/manifests/analyze.js';
import { buildManifests } from '../../../src/manifests/index.js';
import { redactSecrets } from '../../../src/manifests/redact.js';
import { toYamlStream } from '../../../src/manifests/yaml.js';
import { fakeCerts } from '../../support/configs.js';
import { validateAgainstCrd } from '../../support/crdSchemas.js';
import { validateCoreObject } from '../coreShapes.js';
import { GATEWAY_API_SCENARIOS } from './scenarios.js';

const GOLDEN_DIR = new URL('./golden/', import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === '1';

describe.each(GATEWAY_API_SCENARIOS)('gateway-api golden $name', ({ name, config, apiVersion }) => {
  const objects = buildManifests(config, { apiVersion, certs: fakeCerts(config) });

  it('is a valid config', () => {
    expect(() => validateConfig(structuredClone(config))).not.toThrow();
  });

  it('matches the golden YAML', () => {
    const yaml = toYamlStream(redactSecrets(objects));
    const file = new URL(`${name}.yaml`, GOLDEN_DIR);
    if (UPDATE) {
      mkdirSync(GOLDEN_DIR, { recursive: true });
      writeFileSync(file, yaml);
    }
    expect(existsSync(file), `missing golden ${name}.yaml: run with UPDATE_GOLDEN=1`).toBe(true);
    expect(yaml).toBe(readFileSync(file, 'utf8'));
    expect(yaml).not.toMatch(/PRIVATE KEY/);
  });

  it('passes the CRD schemas (Gateway API v1.6.1, Istio 1.30.3) and core shapes', () => {
    for (const obj of objects) {
      const errors = obj.apiVersion.includes('.') ? validateAgainstCrd(obj) : validateCoreObject(obj);
      expect(errors, `${obj.kind}/${obj.metadata.name}`).toEqual([]);
    }
  });

  it('is clean under the analyzer (no errors, no warnings)', () => {
    expect(analyzeManifests(objects, { gatewayWorkloadNamespace: config.gateway.workloadNamespace })).toEqual(
      [],
    );
  });

  it('emits no Istio routing objects, and each kind in apply order', () => {
    const kinds = objects.map((o) => o.kind);
    expect(kinds).not.toContain('VirtualService');
    const order = [
      'Deployment',
      'Service',
      'DestinationRule',
      'Secret',
      'ConfigMap',
      'ReferenceGrant',
      'Gateway',
      'HTTPRoute',
    ];
    const ranks = kinds.map((k) => order.indexOf(k));
    expect(ranks.every((r) => r >= 0)).toBe(true);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    for (const obj of objects) {
      expect(obj.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'istio-ingress-wizard' });
    }
  });
});
