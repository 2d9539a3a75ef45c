import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../../src/errors.js';
import {
  hashInputs,
  loadState,
  newState,
  resetState,
  SecretInStateError,
  StateFileError,
  saveState,
  withStep,
} from '../../src/state/index.js';
import { sampleConfig } from '../support/configs.js';
import { fakePem, pemBegin } from '../support/pem.js';

// Lets one test make the temp file's write fail half-way, as a crash or a full disk would.
const failures = vi.hoisted(() => ({ failWrite: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof actual.open = async (...args: Parameters<typeof actual.open>) => {
    const handle = await actual.open(...args);
    if (!failures.failWrite) return handle;
    const realWrite = handle.writeFile.bind(handle);
    handle.writeFile = (async (data: string) => {
      await realWrite(data.slice(0, Math.floor(data.length / 2)));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }) as typeof handle.writeFile;
    return handle;
  };
  return { ...actual, open, default: { ...actual, open } };
});

let dir: string;
beforeEach(async () => {
  failures.failWrite = false;
  dir = await mkdtemp(join(tmpdir(), 'wiz-state-'));
});

describe('state round trip', () => {
  it('is undefined when there is no state file', async () => {
    expect(await loadState(dir)).toBeUndefined();
    expect(await loadState(join(dir, 'not-there'))).toBeUndefined();
  });

  it('saves and loads the same answers and step records, file mode 0600', async () => {
    const state = withStep(newState(sampleConfig()), 'preflight', {
      status: 'done',
      inputsHash: hashInputs({ a: 1 }),
      outputs: {
        preflight: {
          context: 'kind-x',
          server: 'https://127.0.0.1:6443',
          apiVersion: 'networking.istio.io/v1',
        },
      },
      finishedAt: '2026-01-01T00:00:00.000Z',
    });
    await saveState(dir, state);
    const loaded = await loadState(dir);
    expect(loaded?.answers).toEqual(sampleConfig());
    expect(loaded?.steps.preflight?.outputs?.preflight?.context).toBe('kind-x');
    expect(loaded?.version).toBe(1);
    expect(loaded?.tool).toBe('istio-ingress-wizard');
    expect((await stat(join(dir, 'state.json'))).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('creates the state directory when missing', async () => {
    const nested = join(dir, 'a', 'b');
    await saveState(nested, newState(sampleConfig()));
    expect(await loadState(nested)).toBeDefined();
  });
});

describe('atomic write', () => {
  it('a write that fails half-way leaves the previous state.json whole and no temp file', async () => {
    const first = newState(sampleConfig());
    await saveState(dir, first);
    const before = await readFile(join(dir, 'state.json'), 'utf8');

    failures.failWrite = true;
    const changed = withStep(first, 'preflight', { status: 'failed', inputsHash: 'sha256:x', error: 'boom' });
    await expect(saveState(dir, changed)).rejects.toThrow(
      /cannot write the state directory .*: no space left on device/,
    );
    failures.failWrite = false;

    expect(await readFile(join(dir, 'state.json'), 'utf8')).toBe(before);
    expect(await readdir(dir)).toEqual(['state.json']);
    expect((await loadState(dir))?.steps.preflight).toBeUndefined();
  });

  it('a failing first write leaves no state.json at all', async () => {
    failures.failWrite = true;
    await expect(saveState(dir, newState(sampleConfig()))).rejects.toThrow();
    failures.failWrite = false;
    expect(await readdir(dir)).toEqual([]);
    expect(await loadState(dir)).toBeUndefined();
  });
});

describe('files we cannot use are reported, never overwritten', () => {
  it('corrupt JSON: StateFileError naming the path and --reset, exit 2, file untouched', async () => {
    const path = join(dir, 'state.json');
    await writeFile(path, '{"version": 1, "tool": "istio-ingress-wiz');
    const err = await loadState(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateFileError);
    const e = err as StateFileError;
    expect(e.message).toContain(path);
    expect(e.message).toContain('not valid JSON');
    expect(e.hint).toContain('--reset');
    expect(e.exitCode).toBe(EXIT.usage);
    expect(await readFile(path, 'utf8')).toBe('{"version": 1, "tool": "istio-ingress-wiz');
  });

  it('unknown shape: another tool, bad step id, bad status', async () => {
    const base = JSON.parse(JSON.stringify(newState(sampleConfig())));
    const cases: [unknown, RegExp][] = [
      [[1, 2], /expected a JSON object/],
      [{ ...base, tool: 'other' }, /"tool" is "other"/],
      [{ ...base, steps: { launch: { status: 'done', inputsHash: 'x' } } }, /unknown step "launch"/],
      [{ ...base, steps: { verify: { status: 'great', inputsHash: 'x' } } }, /steps\.verify\.status "great"/],
      [{ ...base, answers: null }, /"answers" must be an object/],
    ];
    for (const [content, re] of cases) {
      await writeFile(join(dir, 'state.json'), JSON.stringify(content));
      await expect(loadState(dir)).rejects.toThrow(re);
    }
  });

  it('a newer version says which version wrote it', async () => {
    await writeFile(join(dir, 'state.json'), JSON.stringify({ ...newState(sampleConfig()), version: 3 }));
    await expect(loadState(dir)).rejects.toThrow(
      /newer istio-ingress-wizard \(state version 3; this version reads version 1\)/,
    );
  });
});

describe('secret guard', () => {
  it('refuses to save a private key anywhere in the state, before touching the disk', async () => {
    const config = sampleConfig();
    const https = config.hosts[1];
    if (!https?.tls) throw new Error('fixture');
    https.tls.keyFile = fakePem('PRIVATE KEY', 'MIGHAgEAMBMGByqGSM49');
    const err = await saveState(dir, newState(config)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretInStateError);
    expect((err as Error).message).toContain('$.answers.hosts[1].tls.keyFile');
    expect(await readdir(dir)).toEqual([]);

    const withOutputs = withStep(newState(sampleConfig()), 'verify', {
      status: 'done',
      inputsHash: 'x',
      outputs: { applied: { x: [pemBegin('EC PRIVATE KEY')] } },
    });
    await expect(saveState(dir, withOutputs)).rejects.toThrow(/steps\.verify\.outputs\.applied\.x\[0\]/);
  });
});

describe('reset and helpers', () => {
  it('resetState removes state.json and leftover temp files but keeps certificates', async () => {
    await saveState(dir, newState(sampleConfig()));
    await writeFile(join(dir, 'ca.crt'), 'cert');
    await writeFile(join(dir, '.state.json.123.abcd.tmp'), '{');
    await resetState(dir);
    expect(await readdir(dir)).toEqual(['ca.crt']);
    await resetState(join(dir, 'missing')); // idempotent, no throw
  });

  it('hashInputs ignores key order and undefined members, and sees real changes', () => {
    expect(hashInputs({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(
      hashInputs({ b: { d: 'x', c: [1, 2] }, a: 1, e: undefined }),
    );
    expect(hashInputs({ a: 1 })).not.toBe(hashInputs({ a: 2 }));
    expect(hashInputs([1, 2])).not.toBe(hashInputs([2, 1]));
    expect(hashInputs({ a: 1 })).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
