// Key material is never echoed: the detector itself (table of what is and is not key-like), then the CLI with a key
// pasted into every kind of field, each case checked the hostile-input way (exit 2, stdout empty, the field named,
// no stretch of the key anywhere, nothing outside the state directory changed).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyLikeKind, redactText, shownValue } from '../../src/secrets/keyLike.js';
import { freshKey, runHostile, sandbox } from '../support/hostile.js';

const key = freshKey();

describe('keyLikeKind', () => {
  const cases: [string, string, string | undefined][] = [
    ['a PEM private key', key.pem, 'PEM'],
    ['the base64 of a PEM (kubectl get secret -o yaml)', key.base64, 'base64'],
    ['a bare PEM body without the BEGIN line', key.body, 'base64'],
    ['one line of a PEM body', key.body.split('\n')[0] as string, 'base64'],
    ['the private scalar in hex', key.hex, 'hex'],
    [
      'DER bytes read as text',
      Buffer.from(key.pem.slice(30, 90), 'base64').toString('latin1'),
      'binary (DER)',
    ],
    ['a path made of a base64 key', `/etc/wizard/${key.base64}`, 'base64'],
    ['a host name', 'flask.example1.com', undefined],
    ['a 63-character label', `${'a'.repeat(63)}.example.com`, undefined],
    ['a long mixed-case word', 'ThisIsAVeryLongButOrdinaryIdentifierNameForAThing', undefined],
    ['an absolute path', '/usr/local/share/istio-ingress-wizard/assets/wizard.example.yaml', undefined],
    ['an image digest', `python-flask-server@sha256:${'0123456789abcdef'.repeat(4)}`, undefined],
    ['a certificate armour line', 'expected a -----BEGIN CERTIFICATE----- block', undefined],
    ['64 repeated hex letters', 'a'.repeat(64), undefined],
  ];
  it.each(cases)('%s', (_name, value, kind) => {
    expect(keyLikeKind(value)).toBe(kind);
  });

  it('shownValue and redactText never let a stretch of the key through', () => {
    for (const form of [key.pem, key.base64, key.body, key.hex]) {
      const shown = shownValue(form);
      const redacted = redactText(`cannot read /dir/${form}: no such file`);
      for (const s of key.secrets) {
        expect(shown).not.toContain(s);
        expect(redacted).not.toContain(s);
      }
      expect(redacted).toMatch(/not shown/);
    }
  });
});

describe('a key pasted into a config field is named, never echoed', () => {
  const host = (tls: string) =>
    `hosts:\n  - name: app.example.com\n    protocol: HTTPS\n    route: v1\n    tls: ${tls}\n`;
  const cases: [string, string, string][] = [
    [
      'keyFile: base64 of a PEM',
      host(`{ certFile: a.crt, keyFile: "${key.base64}" }`),
      'hosts[0].tls.keyFile',
    ],
    [
      'certFile: a bare PEM body',
      host(`{ certFile: ${JSON.stringify(key.body)}, keyFile: a.key }`),
      'hosts[0].tls.certFile',
    ],
    ['tls.mode: a SEC1 key', host(`{ mode: ${JSON.stringify(key.pem)} }`), 'hosts[0].tls.mode'],
    ['tls.mode: the key in hex', host(`{ mode: "${key.hex}" }`), 'hosts[0].tls.mode'],
    ['namespace: base64', `namespace: "${key.base64}"\n${host('{ mode: SIMPLE }')}`, 'namespace'],
    ['image: a bare body line', `image: "${key.body.split('\n')[0]}"\n${host('{ mode: SIMPLE }')}`, 'image'],
    [
      'hosts[0].name: base64',
      host('{ mode: SIMPLE }').replace('app.example.com', key.base64),
      'hosts[0].name',
    ],
    [
      'an unknown key named by a key',
      `${JSON.stringify(key.base64)}: 1\n${host('{ mode: SIMPLE }')}`,
      'unknown key',
    ],
    [
      'gateway.selector value',
      `gateway: { selector: { istio: "${key.base64}" } }\n${host('{ mode: SIMPLE }')}`,
      'gateway.selector.istio',
    ],
  ];
  it.each(cases)('%s', async (_name, yaml, field) => {
    const box = sandbox();
    const config = join(box.root, 'wizard.yaml');
    writeFileSync(config, yaml);
    await runHostile(box, ['--dry-run', '--yes', '--config', config], {
      code: 2,
      stderr: [field, /not shown|unknown key/],
      secrets: key.secrets,
    });
  });

  it('a --config path made of a key is not echoed either', async () => {
    const box = sandbox();
    await runHostile(box, ['--dry-run', '--yes', '--config', join(box.root, key.base64)], {
      code: 2,
      stderr: ['cannot read config file', 'not shown', /no such file|name is too long/],
      secrets: key.secrets,
    });
  });
});
