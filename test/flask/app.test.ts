import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureVenv,
  flaskDir,
  httpGet,
  parseDockerfile,
  type RunningApp,
  readDockerfile,
  startFlaskApp,
  startFlaskDevServer,
  withLoopbackBind,
} from '../support/flaskApp.js';

describe('flask/Dockerfile', () => {
  const facts = readDockerfile();

  it('runs as a non-root user', () => {
    expect(facts.user, 'USER instruction').toBeDefined();
    const user = (facts.user ?? '').split(':')[0];
    expect(['root', '0', '']).not.toContain(user);
  });

  it('pins its base image tag and starts gunicorn on the app', () => {
    const base = facts.from.at(-1) ?? '';
    expect(base).toMatch(/^python:\d+\.\d+\.\d+-slim/);
    expect(facts.cmd[0]).toBe('gunicorn');
    expect(facts.cmd.at(-1)).toBe('server:app');
    expect(facts.env.PORT).toBe('8080');
  });

  it('installs exactly pinned requirements, and the venv holds those versions', async () => {
    const pins = readFileSync(path.join(flaskDir, 'requirements.txt'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(pins.map((p) => p.split('==')[0]?.toLowerCase()).sort()).toEqual(['flask', 'gunicorn']);
    for (const p of pins) expect(p).toMatch(/^[A-Za-z0-9_.-]+==\d+(\.\d+)+$/);
    const dockerfile = readFileSync(path.join(flaskDir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^RUN pip install .*-r requirements\.txt$/m);
    const venv = await ensureVenv();
    const { stdout } = await promisify(execFile)(path.join(venv, 'bin', 'python'), [
      '-c',
      'import importlib.metadata as m; print(f"Flask=={m.version(\'flask\')}"); print(f"gunicorn=={m.version(\'gunicorn\')}")',
    ]);
    expect(stdout.trim().split('\n').sort()).toEqual([...pins].sort());
  });

  it('the parser reads continuation lines and rejects the shell form of CMD', () => {
    const f = parseDockerfile('FROM a\nENV A=1 \\\n  B="two"\nUSER 10\nCMD ["x", "y"]\n');
    expect(f).toEqual({ from: ['a'], env: { A: '1', B: 'two' }, user: '10', cmd: ['x', 'y'] });
    expect(() => parseDockerfile('CMD gunicorn server:app')).toThrow(/exec \(JSON array\) form/);
  });

  it('rewrites only the bind address', () => {
    expect(withLoopbackBind(['g', '--bind', '0.0.0.0:8080', 'm:app'], 5)).toEqual([
      'g',
      '--bind',
      '127.0.0.1:5',
      'm:app',
    ]);
    expect(withLoopbackBind(['g', '--bind=0.0.0.0:8080', 'm:app'], 5)).toEqual([
      'g',
      '--bind=127.0.0.1:5',
      'm:app',
    ]);
    expect(withLoopbackBind(['g', 'm:app'], 5)).toEqual(['g', '--bind', '127.0.0.1:5', 'm:app']);
  });
});

describe('the image command (gunicorn in the pinned venv)', () => {
  const apps: Record<string, RunningApp> = {};
  beforeAll(async () => {
    [apps.v1, apps.v2] = await Promise.all([
      startFlaskApp({ version: 'v1' }),
      startFlaskApp({ version: 'v2' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all(Object.values(apps).map((a) => a.stop()));
  });

  for (const version of ['v1', 'v2']) {
    it(`${version}: / says hello and /version says ${version}`, async () => {
      const app = apps[version];
      if (!app) throw new Error('app not started');
      expect(app.argv[0]).toMatch(/\/bin\/gunicorn$/);
      expect(await httpGet(`${app.url}/`)).toEqual({ status: 200, body: 'Hello, World!' });
      expect(await httpGet(`${app.url}/version`)).toEqual({ status: 200, body: version });
      expect((await httpGet(`${app.url}/nope`)).status).toBe(404);
    });
  }
});

describe('python server.py (local run)', () => {
  it('honours VERSION, PORT and HOST', async () => {
    const app = await startFlaskDevServer({ version: 'v7' });
    try {
      expect(await httpGet(`${app.url}/version`)).toEqual({ status: 200, body: 'v7' });
      expect(await httpGet(`${app.url}/`)).toEqual({ status: 200, body: 'Hello, World!' });
    } finally {
      await app.stop();
    }
  });
});
