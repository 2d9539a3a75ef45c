// Bring-your-own certificates, with real key pairs made at test time (openssl and selfsigned), never committed.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { UsageError } from '../../src/errors.js';

let dir: string;

function write(name: string, content: string | Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, content, { mode: 0o600 });
  return file;
}

/** A fresh key (PKCS#8 PEM) and a self-signed certificate for `sans` made by the real openssl. */
function makePair(prefix: string, sans: string[], type: 'ec' | 'rsa' = 'ec'): { cert: string; key: string } {
  const { privateKey } =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = write(`${prefix}.key`, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  const cert = join(dir, `${prefix}.crt`);
  const san = sans.map((s) => `DNS:${s}`).join(',');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-new',
      '-key',
      key,
      '-out',
      cert,
      '-days',
      '30',
      '-subj',
      `/CN=${sans[0]}`,
      '-addext',
      `subjectAltName=${san}`,
    ],
    { stdio: 'pipe' },
  );
  return { cert, key };
}

function hostYaml(name: string, certFile: string, keyFile: string, mode = 'SIMPLE'): string {
  return `hosts:\n  - name: "${name}"\n    protocol: HTTPS\n    tls: { mode: ${mode}, certFile: "${certFile}", keyFile: "${keyFile}" }\n    route: v1\n`;
}

function load(yaml: string) {
  return parseConfig(yaml, { source: 'byo.yaml', configDir: dir });
}

function issues(yaml: string): string[] {
  try {
    load(yaml);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    return (err as UsageError).issues;
  }
  throw new Error('expected the config to be rejected');
}

let a: { cert: string; key: string };
let b: { cert: string; key: string };
let wild: { cert: string; key: string };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wizard-config-certs-'));
  a = makePair('a', ['a.example.com']);
  b = makePair('b', ['b.example.com']);
  wild = makePair('wild', ['*.example.org'], 'rsa');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bring-your-own certificates', () => {
  it('accepts a matching pair, given relative to the config dir, and stores absolute paths', () => {
    const { config, warnings } = load(hostYaml('a.example.com', 'a.crt', './a.key'));
    expect(config.hosts[0]?.tls).toEqual({
      mode: 'SIMPLE',
      certFile: join(dir, 'a.crt'),
      keyFile: join(dir, 'a.key'),
    });
    expect(warnings).toEqual(['versions[1]: no host routes traffic to "v2"']);
  });

  it('accepts an RSA wildcard certificate for a wildcard host, MUTUAL mode', () => {
    const { config, warnings } = load(hostYaml('*.example.org', wild.cert, wild.key, 'MUTUAL'));
    expect(config.hosts[0]?.tls?.mode).toBe('MUTUAL');
    expect(warnings.filter((w) => w.startsWith('hosts'))).toEqual([]);
  });

  it('rejects a key that belongs to another certificate', () => {
    expect(issues(hostYaml('a.example.com', a.cert, b.key))).toEqual([
      `hosts[0].tls.keyFile: ${b.key} does not match the certificate in ${a.cert}`,
    ]);
  });

  it('rejects a key of another type (RSA key, EC certificate)', () => {
    expect(issues(hostYaml('a.example.com', a.cert, wild.key))).toEqual([
      `hosts[0].tls.keyFile: ${wild.key} does not match the certificate in ${a.cert}`,
    ]);
  });

  it('rejects a missing file and a file that cannot be read (a directory)', () => {
    const sub = join(dir, 'a-directory');
    mkdirSync(sub, { recursive: true });
    expect(issues(hostYaml('a.example.com', 'missing.crt', sub))).toEqual([
      `hosts[0].tls.certFile: cannot read ${join(dir, 'missing.crt')}: no such file`,
      `hosts[0].tls.keyFile: cannot read ${sub}: it is a directory`,
    ]);
  });

  it('rejects a certificate that is not PEM (DER) and a key that is not PEM', () => {
    const der = execFileSync('openssl', ['x509', '-in', a.cert, '-outform', 'DER']);
    const derFile = write('a.der', der);
    const junkKey = write('junk.key', 'not a key\n');
    expect(issues(hostYaml('a.example.com', derFile, junkKey))).toEqual([
      `hosts[0].tls.certFile: ${derFile} is not a PEM certificate (expected a -----BEGIN CERTIFICATE----- block)`,
      `hosts[0].tls.keyFile: ${junkKey} is not a PEM private key (expected a PEM block labelled PRIVATE KEY)`,
    ]);
  });

  it('rejects certFile and keyFile given the wrong way round', () => {
    expect(issues(hostYaml('a.example.com', a.key, a.cert))).toEqual([
      `hosts[0].tls.certFile: ${a.key} is not a PEM certificate (expected a -----BEGIN CERTIFICATE----- block)`,
      `hosts[0].tls.keyFile: ${a.cert} is not a PEM private key (expected a PEM block labelled PRIVATE KEY)`,
    ]);
  });

  it('rejects a PEM block that is not a parseable certificate', () => {
    const broken = write('broken.crt', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expect(issues(hostYaml('a.example.com', broken, a.key))).toEqual([
      `hosts[0].tls.certFile: ${broken}: the PEM certificate could not be parsed`,
    ]);
  });

  it('rejects an encrypted key without printing any key material', async () => {
    const pems = await generate([{ name: 'commonName', value: 'c.example.com' }], {
      keyType: 'ec',
      passphrase: 'secret-pass',
      algorithm: 'sha256',
    });
    const cert = write('c.crt', pems.cert);
    const key = write('c.key', pems.private);
    const found = issues(hostYaml('c.example.com', cert, key));
    expect(found).toEqual([
      `hosts[0].tls.keyFile: ${key} is an encrypted private key; the gateway needs it unencrypted`,
    ]);
    expect(found.join('\n')).not.toContain('BEGIN');
  });

  it('warns (does not fail) for a certificate that does not name the host in its subjectAltName', async () => {
    const { warnings } = load(hostYaml('other.example.com', a.cert, a.key));
    expect(warnings).toContain(
      `hosts[0].tls.certFile: ${a.cert} does not cover other.example.com (it names: DNS:a.example.com); clients will reject it`,
    );
    // The subject CN does not count (modern clients ignore it; generate-certs warns the same way).
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const key = write('cn-only.key', privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const cert = join(dir, 'cn-only.crt');
    execFileSync(
      'openssl',
      ['req', '-x509', '-new', '-key', key, '-out', cert, '-subj', '/CN=cn.example.com'],
      {
        stdio: 'pipe',
      },
    );
    expect(load(hostYaml('cn.example.com', cert, key)).warnings).toContain(
      `hosts[0].tls.certFile: ${cert} does not cover cn.example.com (it names: no subjectAltName, only CN=cn.example.com); clients will reject it`,
    );
  });

  it('rejects an expired certificate up front, as generate-certs would', async () => {
    const day = 86_400_000;
    const old = await generate([{ name: 'commonName', value: 'old.example.com' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notBeforeDate: new Date(Date.now() - 30 * day),
      notAfterDate: new Date(Date.now() - day),
    });
    const cert = write('old.crt', old.cert);
    const key = write('old.key', old.private);
    const found = issues(hostYaml('old.example.com', cert, key));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^hosts\\[0\\]\\.tls\\.certFile: ${cert} expired on .+ GMT$`));
  });

  it('rejects a certificate file that bundles the private key (it would be stored 0644 and sent as tls.crt)', () => {
    const combined = write('combined.pem', `${readFileSync(a.cert, 'utf8')}${readFileSync(a.key, 'utf8')}`);
    const found = issues(hostYaml('a.example.com', combined, a.key));
    expect(found).toEqual([
      `hosts[0].tls.certFile: ${combined} also contains a private key; give only certificates here and the key in keyFile`,
    ]);
  });

  it('names a chain in the wrong order (intermediate first) instead of calling the key a mismatch', () => {
    const reversed = write('reversed.pem', `${readFileSync(b.cert, 'utf8')}${readFileSync(a.cert, 'utf8')}`);
    expect(issues(hostYaml('a.example.com', reversed, a.key))).toEqual([
      `hosts[0].tls.certFile: ${reversed} must start with the server certificate (the one for keyFile), then its intermediates`,
    ]);
  });

  it('PEM text pasted instead of a path is rejected without echoing it', () => {
    const keyPem = readFileSync(a.key, 'utf8');
    const yaml =
      'hosts:\n  - name: a.example.com\n    protocol: HTTPS\n    route: v1\n    tls:\n' +
      `      certFile: "${a.cert}"\n      keyFile: |\n${keyPem
        .trim()
        .split('\n')
        .map((l) => `        ${l}`)
        .join('\n')}\n`;
    let message = '';
    try {
      load(yaml);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(
      'hosts[0].tls.keyFile: must be the path of a PEM file; the value looks like key material (PEM), so it is not shown',
    );
    expect(message).not.toContain('BEGIN');
    expect(message).not.toContain(keyPem.split('\n')[1]);
  });

  it('reports problems in several hosts at once', () => {
    const yaml =
      `${hostYaml('a.example.com', a.cert, b.key)}` +
      `  - { name: b.example.com, protocol: HTTPS, tls: { certFile: "${b.cert}" }, route: v2 }\n`;
    expect(issues(yaml)).toEqual([
      `hosts[0].tls.keyFile: ${b.key} does not match the certificate in ${a.cert}`,
      'hosts[1].tls.keyFile: required when certFile is given',
    ]);
  });
});
