// Golden files: the exact YAML (secrets redacted) each scenario produces. Regenerate after an intended change with
//   UPDATE_GOLDEN=1 npx vitest run test/manifests/golden.test.ts
// and review the diff. Every scenario's objects must also pass the CRD schemas / core shapes and the analyzer.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeManifests } from '../../src/manifests/analyze.js';
import { buildManifests } from '../../src/manifests/index.js';
import { redactSecrets } from '../../src/manifests/redact.js';
import { toYamlStream } from '../../src/manifests/yaml.js';
import { fakeCerts } from '../support/configs.js';
import { validateAgainstCrd } from '../support/crdSchemas.js';
import { validateCoreObject } from './coreShapes.js';
import { SCENARIOS } from './scenarios.js';

const GOLDEN_DIR = new URL('./golden/', import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === '1';

describe.each(SCENARIOS)('golden $name', ({ name, config, apiVersion }) => {
  const objects = buildManifests(config, { apiVersion, certs: fakeCerts(config) });

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

  it('passes the CRD schemas and core shapes', () => {
    for (const obj of objects) {
      const errors = obj.apiVersion.startsWith('networking.istio.io/')
        ? validateAgainstCrd(obj)
        : validateCoreObject(obj);
      expect(errors, `${obj.kind}/${obj.metadata.name}`).toEqual([]);
    }
  });

  it('is clean under the analyzer (no errors, no warnings)', () => {
    expect(analyzeManifests(objects, { gatewayWorkloadNamespace: config.gateway.workloadNamespace })).toEqual(
      [],
    );
  });

  it('emits every Istio object with the requested apiVersion and the managed-by label', () => {
    for (const obj of objects) {
      if (!['Deployment', 'Service', 'Secret'].includes(obj.kind)) expect(obj.apiVersion).toBe(apiVersion);
      expect(obj.metadata.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'istio-ingress-wizard',
        app: config.app,
      });
    }
  });
});
