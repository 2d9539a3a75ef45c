// Every minted certificate is checked by openssl itself: chain, host name, signature algorithm, key usages.
import { X509Certificate } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EnsureResult, ensureCerts } from '../../src/certs/ensure.js';
import type { KeyType } from '../../src/config/types.js';
import { http, https, makeConfig, openssl, tempDir, withTempDir } from './helpers.js';

const HOSTS = [
  https('shop.example.com'),
  https('*.apps.example.com', 'MUTUAL'),
  https('api.example.com', 'MUTUAL'),
];

describe.each<[KeyType, string, string]>([
  ['ecdsa-p256', 'ecdsa-with-SHA256', 'id-ecPublicKey'],
  ['rsa-2048', 'sha256WithRSAEncryption', 'rsaEncryption'],
])('minted %s certificates', (keyType, sigAlg, pubAlg) => {
  let dir: string;
  let result: EnsureResult;

  beforeAll(async () => {
    dir = await tempDir();
    result = await ensureCerts(makeConfig([...HOSTS, http('plain.example.com')], keyType), dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('mints a CA and a certificate for each HTTPS host only', () => {
    expect(result.caOutcome).toBe('minted');
    expect(result.outcome).toEqual({
      'shop.example.com': 'minted',
      '*.apps.example.com': 'minted',
      'api.example.com': 'minted',
    });
    expect(Object.keys(result.paths.hosts)).not.toContain('plain.example.com');
  });

  it('CA is a sha256-signed CA certificate', async () => {
    const text = await openssl('x509', '-noout', '-text', '-in', result.paths.caCert);
    expect(text.code).toBe(0);
    expect(text.out).toContain(`Signature Algorithm: ${sigAlg}`);
    expect(text.out).toMatch(/CA:TRUE/);
    expect(text.out).toMatch(/Certificate Sign/);
    expect(
      (await openssl('verify', '-x509_strict', '-CAfile', result.paths.caCert, result.paths.caCert)).code,
    ).toBe(0);
    // Strict verifiers (openssl -x509_strict, Python >= 3.13) need the CA's subjectKeyIdentifier.
    expect(text.out).toContain('X509v3 Subject Key Identifier');
  });

  it.each(HOSTS.map((h) => h.name))(
    'server certificate for %s verifies, matches the host, is serverAuth',
    async (host) => {
      const p = result.paths.hosts[host];
      if (!p) throw new Error(`no paths for ${host}`);
      const verify = await openssl('verify', '-x509_strict', '-CAfile', result.paths.caCert, p.cert);
      expect(verify.out).toContain(': OK');
      expect(verify.code).toBe(0);

      const concrete = host.startsWith('*.') ? `a.${host.slice(2)}` : host;
      const check = await openssl('x509', '-noout', '-checkhost', concrete, '-in', p.cert);
      expect(check.out).toContain('does match certificate');
      expect(check.out).not.toContain('does NOT match');
      const other = await openssl('x509', '-noout', '-checkhost', 'other.invalid', '-in', p.cert);
      expect(other.out).toContain('does NOT match');

      const text = (await openssl('x509', '-noout', '-text', '-in', p.cert)).out;
      expect(text).toContain(`Signature Algorithm: ${sigAlg}`);
      expect(text).toContain(`Public Key Algorithm: ${pubAlg}`);
      expect(text).toContain('TLS Web Server Authentication');
      expect(text).not.toContain('TLS Web Client Authentication');
      expect(text).toContain(`DNS:${host}`);
      expect(text).toMatch(/CA:FALSE/);
      // keyEncipherment only where it means something (RSA key transport).
      if (keyType === 'rsa-2048') expect(text).toContain('Digital Signature, Key Encipherment');
      else expect(text).not.toContain('Key Encipherment');
      // The key file holds the certificate's key.
      const pub = await openssl('pkey', '-in', p.key, '-pubout');
      const certPub = await openssl('x509', '-noout', '-pubkey', '-in', p.cert);
      expect(pub.out).toBe(certPub.out);
    },
  );

  it('client certificates for MUTUAL hosts are clientAuth and verify against the CA', async () => {
    for (const host of ['*.apps.example.com', 'api.example.com']) {
      const p = result.paths.hosts[host];
      if (!p?.clientCert || !p.clientKey) throw new Error(`no client cert for ${host}`);
      const verify = await openssl(
        'verify',
        '-CAfile',
        result.paths.caCert,
        '-purpose',
        'sslclient',
        p.clientCert,
      );
      expect(verify.code).toBe(0);
      const text = (await openssl('x509', '-noout', '-text', '-in', p.clientCert)).out;
      expect(text).toContain(`Signature Algorithm: ${sigAlg}`);
      expect(text).toContain('TLS Web Client Authentication');
      expect(text).not.toContain('TLS Web Server Authentication');
      expect(text).toContain(`CN = client.${host}`);
      // A client certificate cannot pass as a server certificate.
      const asServer = await openssl(
        'verify',
        '-CAfile',
        result.paths.caCert,
        '-purpose',
        'sslserver',
        p.clientCert,
      );
      expect(asServer.code).not.toBe(0);
    }
    expect(result.paths.hosts['shop.example.com']?.clientCert).toBeUndefined();
  });

  it('server certificates pass the sslserver purpose check', async () => {
    const p = result.paths.hosts['shop.example.com'];
    if (!p) throw new Error('no paths');
    const v = await openssl('verify', '-CAfile', result.paths.caCert, '-purpose', 'sslserver', p.cert);
    expect(v.code).toBe(0);
  });
});

describe('certificate encoding details', () => {
  it('key identifiers match what openssl computes for the same keys; serials are positive and distinct', () =>
    withTempDir(async (dir) => {
      const { paths } = await ensureCerts(makeConfig([https('a.example.com'), https('b.example.com')]), dir);
      const a = paths.hosts['a.example.com'];
      const b = paths.hosts['b.example.com'];
      if (!a || !b) throw new Error('missing paths');
      // openssl's own certificate for the same key, with subjectKeyIdentifier=hash (RFC 5280 method 1).
      const ref = join(dir, 'ref.crt');
      const made = await openssl(
        'req',
        '-x509',
        '-key',
        a.key,
        '-subj',
        '/CN=ref',
        '-days',
        '1',
        '-out',
        ref,
      );
      expect(made.code).toBe(0);
      const ski = async (f: string) =>
        (await openssl('x509', '-noout', '-ext', 'subjectKeyIdentifier', '-in', f)).out;
      const keyIdLine = (out: string) => out.split('\n')[1]?.trim();
      expect(keyIdLine(await ski(a.cert))).toBe(keyIdLine(await ski(ref)));
      // Each leaf's authorityKeyIdentifier is the CA's subjectKeyIdentifier.
      const aki = (await openssl('x509', '-noout', '-ext', 'authorityKeyIdentifier', '-in', a.cert)).out;
      expect(aki.replace(/keyid:/, '')).toContain(keyIdLine(await ski(paths.caCert)));
      const serial = async (f: string) => (await openssl('x509', '-noout', '-serial', '-in', f)).out.trim();
      const [sa, sb] = [await serial(a.cert), await serial(b.cert)];
      expect(sa).toMatch(/^serial=[4-7][0-9A-F]{31}$/);
      expect(sa).not.toBe(sb);
    }));

  it('dates from 2050 on are GeneralizedTime and read back exactly', () =>
    withTempDir(async (dir) => {
      // 30 years: the leaf ends after 2050, the CA (twice as long) too.
      const { paths } = await ensureCerts(makeConfig([https('a.example.com')], 'ecdsa-p256', 30 * 365), dir);
      const cert = new X509Certificate(await readFile(paths.hosts['a.example.com']?.cert ?? ''));
      const expected = Date.now() + 30 * 365 * 86_400_000;
      expect(Math.abs(new Date(cert.validTo).getTime() - expected)).toBeLessThan(120_000);
      const parsed = await openssl('asn1parse', '-in', paths.hosts['a.example.com']?.cert ?? '');
      expect(parsed.out).toMatch(/UTCTIME/);
      expect(parsed.out).toMatch(/GENERALIZEDTIME\s*:20[5-9]\d/);
      expect(
        (
          await openssl(
            'verify',
            '-x509_strict',
            '-CAfile',
            paths.caCert,
            paths.hosts['a.example.com']?.cert ?? '',
          )
        ).code,
      ).toBe(0);
    }));

  it('a host name longer than 64 characters goes in the SAN only', () =>
    withTempDir(async (dir) => {
      const host = `${'a'.repeat(60)}.${'b'.repeat(20)}.example.com`;
      const { paths } = await ensureCerts(makeConfig([https(host)]), dir);
      const cert = paths.hosts[host]?.cert ?? '';
      expect((await openssl('x509', '-noout', '-checkhost', host, '-in', cert)).out).toContain('does match');
      expect((await openssl('x509', '-noout', '-subject', '-in', cert)).out).toContain(
        'CN = istio-ingress-wizard server',
      );
      expect((await openssl('verify', '-x509_strict', '-CAfile', paths.caCert, cert)).code).toBe(0);
    }));
});
