// ensureCerts on real files: modes, reuse rules, re-minting, bring-your-own, and what it logs.
import { X509Certificate } from 'node:crypto';
import { copyFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureCerts, loadCertBundle } from '../../src/certs/ensure.js';
import { mintCa, mintLeaf } from '../../src/certs/mint.js';
import { hostDirName } from '../../src/certs/store.js';
import { UsageError, WizardError } from '../../src/errors.js';
import { addDays, https, makeConfig, openssl, withTempDir } from './helpers.js';

async function readAll(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const p = join(entry.parentPath, entry.name);
      out[p] = await readFile(p, 'utf8');
    }
  }
  return out;
}

const mode = async (p: string) => (await stat(p)).mode & 0o777;

describe('file layout and modes', () => {
  it('writes keys 0600, certificates 0644, directories 0700, wildcard host in a safe directory', () =>
    withTempDir(async (dir) => {
      const { paths } = await ensureCerts(
        makeConfig([https('a.example.com', 'MUTUAL'), https('*.example.org')]),
        dir,
      );
      expect(paths.caCert).toBe(join(dir, 'certs', 'ca.crt'));
      const wild = paths.hosts['*.example.org'];
      expect(wild?.cert).toBe(join(dir, 'certs', '_wildcard_.example.org', 'tls.crt'));
      const a = paths.hosts['a.example.com'];
      if (!a?.clientCert || !a.clientKey || !wild) throw new Error('missing paths');
      for (const key of [paths.caKey, a.key, a.clientKey, wild.key]) expect(await mode(key)).toBe(0o600);
      for (const cert of [paths.caCert, a.cert, a.clientCert, wild.cert])
        expect(await mode(cert)).toBe(0o644);
      for (const d of ['certs', 'certs/a.example.com', 'certs/_wildcard_.example.org']) {
        expect(await mode(join(dir, d))).toBe(0o700);
      }
      // No temp files left behind by the atomic writes.
      const names = Object.keys(await readAll(dir));
      expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
      expect(names).toHaveLength(8);
    }));

  it('a 253-character wildcard host still gets a directory (its name fits in 255 characters)', () =>
    withTempDir(async (dir) => {
      const host = `*.${['a', 'b', 'c'].map((c) => c.repeat(63)).join('.')}.${'d'.repeat(59)}`;
      expect(host).toHaveLength(253);
      const { paths } = await ensureCerts(makeConfig([https(host)]), dir);
      expect(paths.hosts[host]?.cert).toBe(join(dir, 'certs', `_${host.slice(1)}`, 'tls.crt'));
      expect(await mode(paths.hosts[host]?.key ?? '')).toBe(0o600);
    }));

  it('host directory names cannot escape the certs directory', () => {
    expect(hostDirName('*.example.com')).toBe('_wildcard_.example.com');
    expect(() => hostDirName('../etc')).toThrow(WizardError);
    expect(() => hostDirName('a/b')).toThrow(WizardError);
  });

  it('reused keys are tightened back to 0600', () =>
    withTempDir(async (dir) => {
      const config = makeConfig([https('a.example.com')]);
      const { paths } = await ensureCerts(config, dir);
      const { chmod } = await import('node:fs/promises');
      await chmod(paths.hosts['a.example.com']?.key ?? '', 0o644);
      const again = await ensureCerts(config, dir);
      expect(again.outcome['a.example.com']).toBe('reused');
      expect(await mode(paths.hosts['a.example.com']?.key ?? '')).toBe(0o600);
    }));
});

describe('reuse', () => {
  it('a second run reuses everything and leaves every file byte-identical', () =>
    withTempDir(async (dir) => {
      const config = makeConfig([https('a.example.com', 'MUTUAL'), https('b.example.com')]);
      await ensureCerts(config, dir);
      const before = await readAll(dir);
      const again = await ensureCerts(config, dir);
      expect(again.caOutcome).toBe('reused');
      expect(again.outcome).toEqual({ 'a.example.com': 'reused', 'b.example.com': 'reused' });
      expect(await readAll(dir)).toEqual(before);
    }));

  it('adding a host mints only that host', () =>
    withTempDir(async (dir) => {
      await ensureCerts(makeConfig([https('a.example.com')]), dir);
      const before = await readAll(dir);
      const r = await ensureCerts(makeConfig([https('a.example.com'), https('new.example.com')]), dir);
      expect(r.caOutcome).toBe('reused');
      expect(r.outcome).toEqual({ 'a.example.com': 'reused', 'new.example.com': 'minted' });
      const after = await readAll(dir);
      for (const [p, text] of Object.entries(before)) expect(after[p]).toBe(text);
      expect(Object.keys(after).filter((p) => p.includes('new.example.com'))).toHaveLength(2);
    }));

  it('an expired leaf is re-minted with the same CA', () =>
    withTempDir(async (dir) => {
      const config = makeConfig([https('a.example.com')], 'ecdsa-p256', 365);
      const first = await ensureCerts(config, dir);
      const certPath = first.paths.hosts['a.example.com']?.cert ?? '';
      const caBefore = await readFile(first.paths.caCert, 'utf8');
      const leafBefore = await readFile(certPath, 'utf8');
      const later = addDays(new Date(), 400);
      const r = await ensureCerts(config, dir, { now: later });
      expect(r.caOutcome).toBe('reused');
      expect(r.outcome['a.example.com']).toBe('minted');
      expect(await readFile(first.paths.caCert, 'utf8')).toBe(caBefore);
      const leafAfter = await readFile(certPath, 'utf8');
      expect(leafAfter).not.toBe(leafBefore);
      expect(new Date(new X509Certificate(leafAfter).validTo).getTime()).toBeGreaterThan(later.getTime());
    }));

  it('a leaf inside the last 10% of its lifetime is renewed; one outside it is kept', () =>
    withTempDir(async (dir) => {
      const config = makeConfig([https('a.example.com')], 'ecdsa-p256', 30);
      await ensureCerts(config, dir);
      expect(
        (await ensureCerts(config, dir, { now: addDays(new Date(), 25) })).outcome['a.example.com'],
      ).toBe('reused');
      expect(
        (await ensureCerts(config, dir, { now: addDays(new Date(), 28) })).outcome['a.example.com'],
      ).toBe('minted');
    }));

  it('a leaf signed by another CA is re-minted', () =>
    withTempDir(async (dir) => {
      const config = makeConfig([https('a.example.com'), https('b.example.com')]);
      const mine = await ensureCerts(config, join(dir, 'mine'));
      const theirs = await ensureCerts(config, join(dir, 'theirs'));
      const target = mine.paths.hosts['a.example.com'];
      const foreign = theirs.paths.hosts['a.example.com'];
      if (!target || !foreign) throw new Error('missing paths');
      await copyFile(foreign.cert, target.cert);
      await copyFile(foreign.key, target.key);
      const r = await ensureCerts(config, join(dir, 'mine'));
      expect(r.caOutcome).toBe('reused');
      expect(r.outcome).toEqual({ 'a.example.com': 'minted', 'b.example.com': 'reused' });
      const v = await openssl('verify', '-CAfile', mine.paths.caCert, target.cert);
      expect(v.code).toBe(0);
    }));

  it('a leaf whose key file does not match is re-minted', () =>
    withTempDir(async (dir) => {
      const config = makeConfig([https('a.example.com'), https('b.example.com')]);
      const { paths } = await ensureCerts(config, dir);
      await copyFile(paths.hosts['b.example.com']?.key ?? '', paths.hosts['a.example.com']?.key ?? '');
      const log: string[] = [];
      const r = await ensureCerts(config, dir, { log: (l) => log.push(l) });
      expect(r.outcome['a.example.com']).toBe('minted');
      expect(log.join('\n')).toContain('key does not match');
    }));

  it('a replaced CA key re-mints the CA and with it every leaf', () =>
    withTempDir(async (dir) => {
      const config = makeConfig([https('a.example.com')]);
      const { paths } = await ensureCerts(config, dir);
      await copyFile(paths.hosts['a.example.com']?.key ?? '', paths.caKey);
      const r = await ensureCerts(config, dir);
      expect(r.caOutcome).toBe('minted');
      expect(r.outcome['a.example.com']).toBe('minted');
      expect(
        (await openssl('verify', '-CAfile', paths.caCert, paths.hosts['a.example.com']?.cert ?? '')).code,
      ).toBe(0);
    }));

  it('a changed keyType keeps the CA and re-mints the leaves with the new key type', () =>
    withTempDir(async (dir) => {
      const first = await ensureCerts(makeConfig([https('a.example.com', 'MUTUAL')], 'ecdsa-p256'), dir);
      const caBefore = await readFile(first.paths.caCert, 'utf8');
      const log: string[] = [];
      const r = await ensureCerts(makeConfig([https('a.example.com', 'MUTUAL')], 'rsa-2048'), dir, {
        log: (l) => log.push(l),
      });
      expect(r.caOutcome).toBe('reused');
      expect(await readFile(r.paths.caCert, 'utf8')).toBe(caBefore);
      expect(r.outcome['a.example.com']).toBe('minted');
      expect(log.join('\n')).toContain('key type changed (ecdsa-p256 → rsa-2048)');
      const p = r.paths.hosts['a.example.com'];
      for (const cert of [p?.cert ?? '', p?.clientCert ?? '']) {
        expect(new X509Certificate(await readFile(cert)).publicKey.asymmetricKeyType).toBe('rsa');
        // An RSA leaf under the ECDSA CA: signed with ecdsa-with-SHA256, and it verifies.
        expect((await openssl('x509', '-noout', '-text', '-in', cert)).out).toContain('ecdsa-with-SHA256');
        expect((await openssl('verify', '-x509_strict', '-CAfile', r.paths.caCert, cert)).code).toBe(0);
      }
      const again = await ensureCerts(makeConfig([https('a.example.com', 'MUTUAL')], 'rsa-2048'), dir);
      expect(again.caOutcome).toBe('reused');
      expect(again.outcome['a.example.com']).toBe('reused');
    }));

  it('switching a host to MUTUAL keeps its server certificate and adds a client certificate', () =>
    withTempDir(async (dir) => {
      const simple = await ensureCerts(makeConfig([https('a.example.com')]), dir);
      const serverBefore = await readFile(simple.paths.hosts['a.example.com']?.cert ?? '', 'utf8');
      const mutual = await ensureCerts(makeConfig([https('a.example.com', 'MUTUAL')]), dir);
      expect(mutual.outcome['a.example.com']).toBe('minted');
      expect(await readFile(mutual.paths.hosts['a.example.com']?.cert ?? '', 'utf8')).toBe(serverBefore);
      expect(await mode(mutual.paths.hosts['a.example.com']?.clientKey ?? '')).toBe(0o600);
    }));
});

describe('bring your own certificate', () => {
  async function byoFiles(dir: string, host: string, prefix = 'byo') {
    const ca = await mintCa({ keyType: 'ecdsa-p256', validityDays: 30 });
    const leaf = await mintLeaf(ca, host, { keyType: 'ecdsa-p256', validityDays: 30 });
    const certFile = join(dir, `${prefix}.crt`);
    const keyFile = join(dir, `${prefix}.key`);
    await writeFile(certFile, leaf.certPem + ca.certPem); // with its chain
    await writeFile(keyFile, leaf.keyPem, { mode: 0o640 });
    return { certFile, keyFile, ca };
  }

  it('copies the provided PEMs byte for byte (key 0600) and reports provided', () =>
    withTempDir(async (dir) => {
      const { certFile, keyFile } = await byoFiles(dir, 'byo.example.com');
      const host = https('byo.example.com', 'SIMPLE', { tls: { mode: 'SIMPLE', certFile, keyFile } });
      const config = makeConfig([host, https('a.example.com')]);
      const r = await ensureCerts(config, join(dir, 'state'));
      expect(r.outcome).toEqual({ 'byo.example.com': 'provided', 'a.example.com': 'minted' });
      const p = r.paths.hosts['byo.example.com'];
      if (!p) throw new Error('no paths');
      expect(await readFile(p.cert, 'utf8')).toBe(await readFile(certFile, 'utf8'));
      expect(await readFile(p.key, 'utf8')).toBe(await readFile(keyFile, 'utf8'));
      expect(await mode(p.key)).toBe(0o600);
      expect(await mode(p.cert)).toBe(0o644);
      const again = await ensureCerts(config, join(dir, 'state'));
      expect(again.outcome['byo.example.com']).toBe('provided');
    }));

  it('a provided certificate on a MUTUAL host still gets a client certificate from the wizard CA', () =>
    withTempDir(async (dir) => {
      const { certFile, keyFile } = await byoFiles(dir, 'byo.example.com');
      const host = https('byo.example.com', 'MUTUAL', { tls: { mode: 'MUTUAL', certFile, keyFile } });
      const r = await ensureCerts(makeConfig([host]), join(dir, 'state'));
      expect(r.outcome['byo.example.com']).toBe('provided');
      const client = r.paths.hosts['byo.example.com']?.clientCert ?? '';
      expect((await openssl('verify', '-CAfile', r.paths.caCert, client)).code).toBe(0);
    }));

  it('a key that does not belong to the certificate is a usage error naming the field', () =>
    withTempDir(async (dir) => {
      const { certFile } = await byoFiles(dir, 'byo.example.com');
      const other = await byoFiles(dir, 'byo.example.com', 'other');
      const host = https('byo.example.com', 'SIMPLE', {
        tls: { mode: 'SIMPLE', certFile, keyFile: other.keyFile },
      });
      const err = await ensureCerts(makeConfig([https('a.example.com'), host]), join(dir, 'state')).catch(
        (e) => e,
      );
      expect(err).toBeInstanceOf(UsageError);
      expect(err.exitCode).toBe(2);
      expect(err.message).toMatch(/hosts\[1\]\.tls\.keyFile/);
    }));

  it('a missing file is a usage error naming the field', () =>
    withTempDir(async (dir) => {
      const host = https('byo.example.com', 'SIMPLE', {
        tls: { mode: 'SIMPLE', certFile: join(dir, 'nope.crt'), keyFile: join(dir, 'nope.key') },
      });
      const err = await ensureCerts(makeConfig([host]), join(dir, 'state')).catch((e) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect(err.message).toContain('hosts[0].tls.certFile');
      expect(err.message).toContain('no such file');
    }));

  it('a certificate that does not cover the host is used, with a warning', () =>
    withTempDir(async (dir) => {
      const { certFile, keyFile } = await byoFiles(dir, 'other.example.com');
      const host = https('byo.example.com', 'SIMPLE', { tls: { mode: 'SIMPLE', certFile, keyFile } });
      const log: string[] = [];
      const r = await ensureCerts(makeConfig([host]), join(dir, 'state'), { log: (l) => log.push(l) });
      expect(r.outcome['byo.example.com']).toBe('provided');
      expect(log.find((l) => l.startsWith('byo.example.com:'))).toContain('does not cover byo.example.com');
    }));
});

describe('logs and bundle', () => {
  it('logs one line per host plus the CA, and never any key material', () =>
    withTempDir(async (dir) => {
      const config = makeConfig([https('a.example.com', 'MUTUAL'), https('b.example.com')]);
      const log: string[] = [];
      const { paths } = await ensureCerts(config, dir, { log: (l) => log.push(l) });
      await ensureCerts(config, dir, { log: (l) => log.push(l) });
      expect(log).toHaveLength(6);
      expect(log.filter((l) => l.startsWith('a.example.com:'))).toHaveLength(2);
      const all = log.join('\n');
      expect(all).not.toMatch(/PRIVATE KEY|BEGIN/);
      const keys = [paths.caKey, paths.hosts['a.example.com']?.key, paths.hosts['a.example.com']?.clientKey];
      for (const k of keys) {
        const body = (await readFile(k ?? '', 'utf8'))
          .split('\n')
          .filter((l) => l.length >= 16 && !l.startsWith('-'));
        expect(body.length).toBeGreaterThan(0);
        for (const line of body) expect(all).not.toContain(line.slice(0, 16));
      }
    }));

  it('loadCertBundle returns the PEMs for each HTTPS host with the CA', () =>
    withTempDir(async (dir) => {
      const config = makeConfig([https('a.example.com'), https('*.example.org', 'MUTUAL')]);
      const { paths } = await ensureCerts(config, dir);
      const bundle = await loadCertBundle(config, paths);
      expect(bundle.caPem).toBe(await readFile(paths.caCert, 'utf8'));
      expect(Object.keys(bundle.hosts).sort()).toEqual(['*.example.org', 'a.example.com']);
      const wild = bundle.hosts['*.example.org'];
      expect(wild?.keyPem).toBe(await readFile(paths.hosts['*.example.org']?.key ?? '', 'utf8'));
      expect(new X509Certificate(wild?.certPem ?? '').checkIssued(new X509Certificate(bundle.caPem))).toBe(
        true,
      );
      expect(wild?.caPem).toBe(bundle.caPem);
    }));

  it('loadCertBundle fails clearly when a host has no certificate yet', () =>
    withTempDir(async (dir) => {
      const { paths } = await ensureCerts(makeConfig([https('a.example.com')]), dir);
      const err = await loadCertBundle(
        makeConfig([https('a.example.com'), https('b.example.com')]),
        paths,
      ).catch((e) => e);
      expect(err).toBeInstanceOf(WizardError);
      expect(err.message).toContain('b.example.com');
      expect(err.hint).toContain('generate-certs');
    }));
});
