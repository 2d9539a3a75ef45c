// Nobody to ask: a live run (it changes a cluster) needs --yes, like teardown; and the message says why there is
// nobody to ask — TERM=dumb on a real terminal is not "no terminal".
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { REPO, runWizard, WIZARD } from '../support/cli.js';
import { hasTmux, TmuxSession } from '../ui/tmux.js';

const sessions: TmuxSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});

it('a live run without --yes and without a terminal refuses before touching anything, naming --yes', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wizard-noterm-'));
  const config = path.join(dir, 'wizard.yaml');
  await writeFile(config, 'hosts:\n  - { name: app.example.com, protocol: HTTP, route: v1 }\n');
  const r = await runWizard(
    ['--config', config, '--state-dir', path.join(dir, 'state'), '--context', 'nope'],
    {
      env: { CI: undefined },
      timeoutMs: 20_000,
    },
  );
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('cannot ask before each step changes the cluster');
  expect(r.stderr).toContain('stdin is not a terminal');
  expect(r.stderr).toContain('pass --yes');
  expect(r.stderr).not.toContain('nope'); // refused before connecting
});

it('TERM=dumb on a terminal: the questions are asked as plain lines (no cursor movement)', async () => {
  expect(hasTmux()).toBe(true);
  const dir = await mkdtemp(path.join(tmpdir(), 'wizard-dumb-'));
  const cmd = `cd ${JSON.stringify(REPO)} && env -u CI TERM=dumb node ${JSON.stringify(WIZARD)} --dry-run --state-dir ${JSON.stringify(dir)} > /dev/null`;
  const s = new TmuxSession(cmd, { width: 80, height: 30 });
  sessions.push(s);
  await s.waitFor('choose 1-2 (1):');
  expect(s.screen()).toContain('2) Customise: answer the questions one by one');
  s.keys('C-c');
  expect(await s.exitCode()).toBe(130);
  expect(s.screen()).toContain('interrupted: nothing was saved');
});
