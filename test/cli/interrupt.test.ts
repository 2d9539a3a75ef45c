// SIGTERM (or Ctrl-C without a terminal) in the middle of a step: exit 130, the state says what was done, and the
// next run starts at the interrupted step.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { REPO, runWizard, WIZARD } from '../support/cli.js';
import { hasTmux, TmuxSession } from '../ui/tmux.js';

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

it('SIGTERM during verify: exit 130, earlier steps done, verify left pending and resumed next time', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wizard-int-'));
  const config = path.join(dir, 'wizard.yaml');
  await writeFile(
    config,
    'istio: { apiVersion: networking.istio.io/v1 }\nverify: { timeoutSeconds: 6 }\nhosts:\n  - { name: app.example.com, protocol: HTTP, route: v1 }\n',
  );
  // Never contacted: only generate-certs and verify run.
  const kubeconfig = path.join(dir, 'kubeconfig');
  await writeFile(
    kubeconfig,
    'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
  );
  const args = [
    WIZARD,
    '--yes',
    '--config',
    config,
    '--kubeconfig',
    kubeconfig,
    '--state-dir',
    dir,
    '--skip',
    'preflight,build-image,deploy-versions,define-subsets,add-hosts,load-certs,apply-gateway',
    '--address',
    '127.0.0.1',
    '--http-port',
    String(await closedPort()),
  ];
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  // Wait until verify is retrying (nothing listens on that port), then stop it.
  const deadline = Date.now() + 30_000;
  while (!/verify/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 1000));
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => child.on('close', r));
  expect(stderr).not.toMatch(/internal error/);
  expect(code).toBe(130);
  expect(stderr).toMatch(/interrupted|terminated/);

  const state = JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8'));
  expect(state.steps['generate-certs'].status).toBe('done');
  expect(state.steps.verify.status).toBe('pending');

  const steps = await runWizard(['steps', '--state-dir', dir]);
  expect(steps.stdout).toMatch(/verify\s+pending/);

  // The next run starts where this one stopped (verify fails there: still nothing listening).
  const again = await runWizard(args.slice(1), { timeoutMs: 60_000 });
  expect(again.stderr).toContain('resuming at verify');
  expect(again.stderr).not.toMatch(/generate-certs \.\.\. running/);
  expect(again.code).toBe(1);
});

it('SIGTERM while a question waits on the terminal: the prompt ends, exit 130, resumable', async () => {
  expect(hasTmux()).toBe(true);
  const dir = await mkdtemp(path.join(tmpdir(), 'wizard-int-tty-'));
  const config = path.join(dir, 'wizard.yaml');
  await writeFile(config, 'hosts:\n  - { name: app.example.com, protocol: HTTP, route: v1 }\n');
  const pidFile = path.join(dir, 'pid');
  const wizard = `exec env -u CI node ${JSON.stringify(WIZARD)} --dry-run --step --config ${JSON.stringify(config)} --state-dir ${JSON.stringify(path.join(dir, 'state'))} > /dev/null`;
  // Single quotes: $$ must be the inner shell's pid, which exec turns into the wizard's.
  const cmd = `cd ${JSON.stringify(REPO)} && sh -c '${`echo $$ > ${pidFile}; ${wizard}`}'`;
  const s = new TmuxSession(cmd, { width: 80, height: 30, env: { TERM: 'xterm-256color' } });
  try {
    await s.waitFor('? Run preflight?');
    process.kill(Number(await readFile(pidFile, 'utf8')), 'SIGTERM');
    await s.waitFor(/^RC=\d+$/m);
    expect(s.screen()).toMatch(/^RC=130$/m);
    expect(s.screen()).toContain('interrupted: progress is saved');
  } finally {
    s.kill();
  }
  const state = JSON.parse(await readFile(path.join(dir, 'state', 'state.json'), 'utf8'));
  expect(state.steps.preflight.status).toBe('pending');
});
