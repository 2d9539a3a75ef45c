import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findMissingAnswers, loadConfig, loadRawConfig, validateConfig } from '../../src/config/load.js';
import { UsageError } from '../../src/errors.js';

describe('findMissingAnswers', () => {
  it('an empty or absent config lacks only hosts', () => {
    expect(findMissingAnswers(undefined)).toEqual(['hosts']);
    expect(findMissingAnswers(null)).toEqual(['hosts']);
    expect(findMissingAnswers({})).toEqual(['hosts']);
    expect(findMissingAnswers({ hosts: [] })).toEqual(['hosts']);
    expect(findMissingAnswers({ hosts: null, namespace: null })).toEqual(['hosts']);
  });

  it('a complete config lacks nothing', () => {
    expect(findMissingAnswers({ hosts: [{ name: 'a.b', protocol: 'HTTP', route: 'v1' }] })).toEqual([]);
  });

  it('names each per-host key with no value and no default', () => {
    const raw = {
      versions: [{ name: 'v1' }, { replicas: 2 }],
      hosts: [
        { name: 'a.b', protocol: 'HTTPS', route: 'v1' },
        { route: 'v1' },
        { name: 'c.d', protocol: 'HTTP' },
        { name: 'e.f', protocol: 'HTTP', routes: [{ subset: 'v1' }, { weight: 3 }] },
        { name: 'g.h', protocol: 'HTTPS', tls: { certFile: 'a.crt' }, route: 'v1' },
        { name: 'i.j', protocol: 'HTTPS', tls: { keyFile: 'a.key', mode: 'SIMPLE' }, route: 'v1' },
        { name: 'k.l', protocol: null, route: 'v1' },
      ],
    };
    expect(findMissingAnswers(raw)).toEqual([
      'versions[1].name',
      'hosts[1].name',
      'hosts[1].protocol',
      'hosts[2].routes',
      'hosts[3].routes[0].weight',
      'hosts[3].routes[1].subset',
      'hosts[4].tls.keyFile',
      'hosts[5].tls.certFile',
      'hosts[6].protocol',
    ]);
  });

  it('does not call wrong values missing (validation reports those)', () => {
    expect(findMissingAnswers({ hosts: [{ name: 'A!', protocol: 'FTP', route: 'v9' }] })).toEqual([]);
    expect(findMissingAnswers({ hosts: 'nope' })).toEqual([]);
    expect(findMissingAnswers(['a'])).toEqual([]);
  });
});

describe('validateConfig (answers assembled by prompts)', () => {
  it('accepts partial answers with hosts allowed missing, and fills defaults', () => {
    const { config } = validateConfig(
      { namespace: 'shop', versions: [{ name: 'v1' }] },
      { allowMissing: ['hosts'] },
    );
    expect(config.namespace).toBe('shop');
    expect(config.versions).toEqual([{ name: 'v1', replicas: 1 }]);
    expect(config.hosts).toEqual([]);
  });

  it('names the source in the error', () => {
    expect(() => validateConfig({ app: 'Flask' }, { allowMissing: ['hosts'] })).toThrow(
      'invalid config your answers\n  - app: "Flask" is not a valid DNS-1123 label',
    );
    expect(() => validateConfig({}, { source: 'saved answers' })).toThrow(
      /^invalid config saved answers\n {2}- hosts:/,
    );
  });

  it('resolves relative file paths against configDir', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wizard-config-ctx-'));
    try {
      const { config } = validateConfig(
        { build: { context: '.' }, hosts: [{ name: 'a.b', protocol: 'HTTP', route: 'v1' }] },
        { configDir: dir },
      );
      expect(config.build.context).toBe(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not mutate its input', () => {
    const raw = { hosts: [{ name: 'a.b', protocol: 'HTTPS', route: 'v1' }] };
    const before = structuredClone(raw);
    validateConfig(raw);
    expect(raw).toEqual(before);
  });
});

describe('loadConfig / loadRawConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wizard-config-load-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a missing file is a UsageError naming it', async () => {
    const file = join(dir, 'nope.yaml');
    const err = await loadConfig(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).message).toBe(`cannot read config file ${file}: no such file`);
  });

  it('a directory is a UsageError too', async () => {
    await expect(loadConfig(dir)).rejects.toThrow(`cannot read config file ${dir}: it is a directory`);
  });

  it('YAML errors name the file, line and column', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'hosts:\n  - name: a\n   protocol: HTTP\n');
    const err = (await loadConfig(file).catch((e: unknown) => e)) as UsageError;
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message.split('\n')[0]).toBe(`invalid YAML in ${file}`);
    expect(err.issues[0]).toMatch(/^line 3, column \d+: /);
  });

  it('loadRawConfig gives the raw answers for findMissingAnswers, and loadConfig with allowMissing', async () => {
    const file = join(dir, 'partial.yaml');
    writeFileSync(file, 'namespace: shop\nhosts:\n');
    const { raw, configDir } = await loadRawConfig(file);
    expect(raw).toEqual({ namespace: 'shop' });
    expect(configDir).toBe(dir);
    expect(findMissingAnswers(raw)).toEqual(['hosts']);
    await expect(loadConfig(file)).rejects.toThrow(`invalid config ${file}\n  - hosts: required`);
    const { config } = await loadConfig(file, { allowMissing: ['hosts'] });
    expect(config.namespace).toBe('shop');
  });
});
