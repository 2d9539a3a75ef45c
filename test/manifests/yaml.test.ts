import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { buildManifests } from '../../src/manifests/index.js';
import type { K8sObject } from '../../src/manifests/types.js';
import { toYamlStream } from '../../src/manifests/yaml.js';
import { fakeCerts } from '../support/configs.js';
import { SCENARIOS } from './scenarios.js';

/** Parse as kubectl does: YAML 1.1, where `on`/`yes` are booleans and `0123` may be a number. */
function parseStream(text: string, version: '1.1' | '1.2' = '1.1'): unknown[] {
  return parseAllDocuments(text, { version }).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS();
  });
}

describe('toYamlStream', () => {
  it.each(SCENARIOS)('round-trips $name exactly (YAML 1.1 and 1.2)', ({ config, apiVersion }) => {
    const objects = buildManifests(config, { apiVersion, certs: fakeCerts(config) });
    const text = toYamlStream(objects);
    expect(parseStream(text, '1.1')).toEqual(objects);
    expect(parseStream(text, '1.2')).toEqual(objects);
    expect(toYamlStream(objects)).toBe(text);
  });

  it('separates documents with --- and emits no anchors or aliases for shared objects', () => {
    const labels = { app: 'x' };
    const objs: K8sObject[] = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels }, data: { k: 'v' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', labels }, data: { k: 'v' } },
    ];
    const text = toYamlStream(objs);
    expect(text.split('\n').filter((l) => l === '---')).toHaveLength(1);
    expect(text).not.toMatch(/[&*]a\d/);
    expect(text).not.toMatch(/: [&*]/);
    expect(parseStream(text)).toEqual(objs);
  });

  it('never folds long lines (base64, PEM) and keeps strings that YAML 1.1 would retype as strings', () => {
    const long = 'A'.repeat(5000);
    const tricky = [
      'on',
      'off',
      'yes',
      'no',
      'y',
      'n',
      'true',
      'null',
      '~',
      '0123',
      '1e3',
      '12:30',
      '0x1F',
      '1.0',
    ];
    const obj: K8sObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', labels: { version: 'on' } },
      data: {
        long,
        pem: '-----BEGIN CERTIFICATE-----\nZmFrZQ==\n-----END CERTIFICATE-----\n',
        ...Object.fromEntries(tricky.map((t) => [`k${t}`, t])),
      },
    };
    const text = toYamlStream([obj]);
    expect(text.split('\n').some((l) => l.endsWith(long))).toBe(true);
    expect(parseStream(text, '1.1')).toEqual([obj]);
  });
});
