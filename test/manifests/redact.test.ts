// Redaction against REAL keys generated per run (never committed): after redactSecrets, neither the PEM marker
// nor any recognisable piece of the key (PEM body, DER, their base64) may appear anywhere in the output,
// including inside base64-decoded values.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { WizardConfig } from '../../src/config/types.js';
import { buildManifests } from '../../src/manifests/index.js';
import { REDACTED_ANNOTATION, REDACTED_PLACEHOLDER, redactSecrets } from '../../src/manifests/redact.js';
import type { CertBundle, K8sObject } from '../../src/manifests/types.js';
import { toYamlStream } from '../../src/manifests/yaml.js';
import { httpHost, httpsHost } from '../support/configs.js';
import { makeConfig } from './fixtures.js';

function realKeyPem(kind: 'ec' | 'rsa'): string {
  const { privateKey } =
    kind === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: kind === 'ec' ? 'sec1' : 'pkcs8', format: 'pem' }).toString();
}

/** Fragments that would betray a key: its PEM body lines and pieces of the whole PEM in base64 (Secret data). */
function keyFingerprints(pem: string): string[] {
  const body = pem.split('\n').filter((l) => l && !l.startsWith('-----'));
  return [
    ...body.filter((l) => l.length >= 16),
    Buffer.from(pem).toString('base64').slice(0, 60),
    Buffer.from(pem).toString('base64').slice(80, 140),
  ];
}

function certsWithRealKeys(config: WizardConfig): { certs: CertBundle; keys: string[] } {
  const caPem = '-----BEGIN CERTIFICATE-----\nY2E=\n-----END CERTIFICATE-----\n';
  const keys: string[] = [];
  const hosts: CertBundle['hosts'] = {};
  config.hosts.forEach((h, i) => {
    if (h.protocol !== 'HTTPS') return;
    const keyPem = realKeyPem(i % 2 ? 'rsa' : 'ec');
    keys.push(keyPem);
    hosts[h.name] = {
      certPem: `-----BEGIN CERTIFICATE-----\n${btoa(h.name)}\n-----END CERTIFICATE-----\n`,
      keyPem,
      caPem,
    };
  });
  return { certs: { caPem, hosts }, keys };
}

/** Every string in the tree, plus the base64 decoding of each string that decodes. */
function allStrings(node: unknown): string[] {
  if (typeof node === 'string') {
    return [node, Buffer.from(node, 'base64').toString('latin1')];
  }
  if (Array.isArray(node)) return node.flatMap(allStrings);
  if (node && typeof node === 'object')
    return Object.entries(node).flatMap(([k, v]) => [k, ...allStrings(v)]);
  return [];
}

const STORAGES = ['credentialName', 'file-mount'] as const;

describe.each(STORAGES)('redactSecrets (%s storage)', (storage) => {
  const config = makeConfig({
    certs: { storage, keyType: 'ecdsa-p256', validityDays: 1 },
    hosts: [
      httpsHost('flask.example1.com', 'v2', 'MUTUAL'),
      httpsHost('*.example2.com', 'v1'),
      httpHost('plain.example3.com', 'v1'),
    ],
  });
  const { certs, keys } = certsWithRealKeys(config);
  const objects = buildManifests(config, { apiVersion: 'networking.istio.io/v1', certs });
  const redacted = redactSecrets(objects);
  const yaml = toYamlStream(redacted);

  it('really had key material before redaction (the test can fail)', () => {
    const before = allStrings(objects).join('\n');
    expect(before).toContain('PRIVATE KEY');
    for (const k of keys) for (const f of keyFingerprints(k)) expect(before).toContain(f);
  });

  it('leaves no PRIVATE KEY marker and no key bytes anywhere, decoded or not', () => {
    const after = [
      ...allStrings(redacted),
      yaml,
      ...allStrings(parseAllDocuments(yaml).map((d) => d.toJS())),
    ].join('\n');
    expect(after).not.toContain('PRIVATE KEY');
    for (const k of keys) for (const f of keyFingerprints(k)) expect(after).not.toContain(f);
  });

  it('marks redacted Secrets and keeps certificates intact', () => {
    const secrets = redacted.filter((o) => o.kind === 'Secret');
    const keyed = secrets.filter((s) => Object.values(s.data).includes(REDACTED_PLACEHOLDER));
    expect(keyed.length).toBeGreaterThan(0);
    for (const s of keyed) expect(s.metadata.annotations?.[REDACTED_ANNOTATION]).toMatch(/--include-secrets/);
    const original = objects.filter((o) => o.kind === 'Secret');
    secrets.forEach((s, i) => {
      for (const [k, v] of Object.entries(s.data as Record<string, string>)) {
        if (v !== REDACTED_PLACEHOLDER) expect(v).toBe(original[i]?.data[k]);
        else expect(k).toMatch(/key/);
      }
    });
  });

  it('does not touch its input or non-Secret objects', () => {
    const snapshot = JSON.stringify(objects);
    redactSecrets(objects);
    expect(JSON.stringify(objects)).toBe(snapshot);
    const nonSecrets = (list: K8sObject[]) => list.filter((o) => o.kind !== 'Secret');
    expect(nonSecrets(redacted)).toEqual(nonSecrets(objects));
  });
});

describe('redaction placeholder and detection', () => {
  it('is not valid base64, so kubectl/apiserver reject it instead of storing garbage', () => {
    const strictBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
    expect(REDACTED_PLACEHOLDER).not.toMatch(strictBase64);
    expect('REDACTED').toMatch(strictBase64); // why a bare word would not do
  });

  it('catches a private key under an unexpected data key by its decoded content', () => {
    const pem = realKeyPem('ec');
    const secret: K8sObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'odd', namespace: 'x' },
      data: { 'blob.bin': Buffer.from(pem).toString('base64'), 'notes.txt': btoa('hello') },
      stringData: { 'inline.pem': pem },
    };
    const [out] = redactSecrets([secret]);
    expect(out?.data).toEqual({ 'blob.bin': REDACTED_PLACEHOLDER, 'notes.txt': btoa('hello') });
    expect(out?.stringData).toEqual({ 'inline.pem': REDACTED_PLACEHOLDER });
  });

  it('leaves Secrets without keys unannotated', () => {
    const secret: K8sObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'ca', namespace: 'x' },
      data: { 'ca.crt': btoa('-----BEGIN CERTIFICATE-----') },
    };
    expect(redactSecrets([secret])[0]).toEqual(secret);
  });
});
