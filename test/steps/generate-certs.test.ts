// The generate-certs step: plan() reads only, run() returns the paths, logs carry no key material.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCertsStep } from '../../src/steps/generate-certs.js';
import { http, https, makeConfig, withTempDir } from '../certs/helpers.js';
import { testContext } from '../support/context.js';

describe('generateCertsStep', () => {
  it('plan() lists what would be minted without writing anything, then reused after run()', () =>
    withTempDir(async (dir) => {
      const stateDir = join(dir, 'state');
      const config = makeConfig([
        https('a.example.com', 'MUTUAL'),
        http('plain.example.com'),
        https('*.x.io'),
      ]);
      const log: string[] = [];
      const ctx = { config, stateDir, log: (l: string) => log.push(l) };

      const before = await generateCertsStep.plan(ctx);
      expect(await readdir(dir)).toEqual([]);
      expect(before.notes).toEqual([
        'CA: mint ecdsa-p256 (missing)',
        'a.example.com: mint ecdsa-p256 server certificate (new CA); mint client certificate (new CA)',
        '*.x.io: mint ecdsa-p256 server certificate (new CA)',
      ]);

      const out = await generateCertsStep.run(ctx);
      const paths = out['generate-certs'];
      expect(paths?.caCert).toBe(join(stateDir, 'certs', 'ca.crt'));
      expect(Object.keys(paths?.hosts ?? {})).toEqual(['a.example.com', '*.x.io']);
      expect(log).toHaveLength(3);
      expect(log[1]).toMatch(/^a\.example\.com: minted/);

      const after = await generateCertsStep.plan(ctx);
      expect(after.notes?.[0]).toMatch(/^CA: reuse \(valid until \d{4}-\d\d-\d\d\)$/);
      expect(after.notes?.[1]).toMatch(
        /^a\.example\.com: reuse server certificate .*; reuse client certificate/,
      );

      const keyPem = await readFile(paths?.hosts['a.example.com']?.key ?? '', 'utf8');
      const text = JSON.stringify([log, before, after, out]);
      expect(text).not.toContain('PRIVATE KEY');
      expect(text).not.toContain(keyPem.split('\n')[1]?.slice(0, 20));
    }));

  it('inputs() covers the HTTPS hosts with their TLS settings and the certs config, nothing else', () => {
    const a = makeConfig([https('a.example.com'), http('plain.example.com')]);
    const b = makeConfig([https('a.example.com'), http('other.example.com')]);
    const c = makeConfig([https('a.example.com', 'MUTUAL'), http('plain.example.com')]);
    const d = makeConfig([https('a.example.com'), http('plain.example.com')], 'rsa-2048');
    const key = (cfg: typeof a) => JSON.stringify(generateCertsStep.inputs(testContext({ config: cfg })));
    expect(key(a)).toBe(key(b));
    expect(key(a)).not.toBe(key(c));
    expect(key(a)).not.toBe(key(d));
  });
});
