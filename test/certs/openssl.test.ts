// Every minted certificate is checked by openssl itself: chain, host name, signature algorithm, key usages.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EnsureResult, ensureCerts } from '../../src/certs/ensure.js';
import type { KeyType } from '../../src/config/types.js';
import { http, https, makeConfig, openssl, tempDir } from './helpers.js';

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
    expect((await openssl('verify', '-CAfile', result.paths.caCert, result.paths.caCert)).code).toBe(0);
  });

  it.each(HOSTS.map((h) => h.name))(
    'server certificate for %s verifies, matches the host, is serverAuth',
    async (host) => {
      const p = result.paths.hosts[host];
      if (!p) throw new Error(`no paths for ${host}`);
      const verify = await openssl('verify', '-CAfile', result.paths.caCert, p.cert);
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
