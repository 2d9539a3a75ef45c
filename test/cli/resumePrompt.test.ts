// On a terminal, "continue" in the resume question must start where a run without the question would: a step whose
// inputs changed since is not done, and a step done in a dry-run does not count for a live run.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { REPO, runWizard, WIZARD } from '../support/cli.js';
import { hasTmux, TmuxSession } from '../ui/tmux.js';

const sessions: TmuxSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});

it('the resume question offers to continue at a step whose inputs changed since (loadBalancer → define-subsets)', async () => {
  expect(hasTmux()).toBe(true);
  expect(existsSync(WIZARD)).toBe(true);
  const dir = await mkdtemp(path.join(tmpdir(), 'wizard-resume-'));
  const config = path.join(dir, 'wizard.yaml');
  const stateDir = path.join(dir, 'state');
  const yaml = (lb: string) =>
    `loadBalancer: ${lb}\nhosts:\n  - { name: app.example.com, protocol: HTTP, route: v1 }\n`;
  await writeFile(config, yaml('RANDOM'));
  const first = await runWizard(['--dry-run', '--yes', '--config', config, '--state-dir', stateDir]);
  expect(first.code).toBe(0);
  await writeFile(config, yaml('ROUND_ROBIN'));

  const cmd = `cd ${JSON.stringify(REPO)} && env -u CI node ${JSON.stringify(WIZARD)} --dry-run --step --config ${JSON.stringify(config)} --state-dir ${JSON.stringify(stateDir)} > ${JSON.stringify(path.join(dir, 'out.yaml'))}`;
  const s = new TmuxSession(cmd, { width: 80, height: 30, env: { TERM: 'xterm-256color' } });
  sessions.push(s);
  await s.waitFor('What now?');
  expect(s.screen()).toContain('Continue at define-subsets');
  s.keys('Enter');
  await s.waitFor('? Run define-subsets?');
  s.keys('C-c');
  await s.waitFor(/^RC=130$/m);
  const state = JSON.parse(await readFile(path.join(stateDir, 'state.json'), 'utf8'));
  expect(state.steps['define-subsets'].status).toBe('pending');
});

it('after a dry-run, a live run is offered to continue at preflight, with 0 steps done', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wizard-resume-live-'));
  const stateDir = path.join(dir, 'state');
  const first = await runWizard(['--dry-run', '--yes', '--state-dir', stateDir]);
  expect(first.code).toBe(0);
  // A kubeconfig that exists (a missing one is refused before any question) and names no cluster.
  const kubeconfig = path.join(dir, 'kubeconfig');
  await writeFile(kubeconfig, 'apiVersion: v1\nkind: Config\n');
  const cmd = `cd ${JSON.stringify(REPO)} && env -u CI node ${JSON.stringify(WIZARD)} --kubeconfig ${JSON.stringify(kubeconfig)} --state-dir ${JSON.stringify(stateDir)}`;
  const s = new TmuxSession(cmd, { width: 80, height: 30, env: { TERM: 'xterm-256color' } });
  sessions.push(s);
  await s.waitFor('What now?');
  expect(s.screen()).toContain('0 of 9 steps done');
  expect(s.screen()).toContain('Continue at preflight');
  s.keys('C-c');
  await s.waitFor(/^RC=130$/m);
});

it('"Start at a step I choose" past a changed step explains which input changed and asks again (no dead end)', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wizard-start-at-'));
  const config = path.join(dir, 'wizard.yaml');
  const stateDir = path.join(dir, 'state');
  const yaml = (lb: string) =>
    `loadBalancer: ${lb}\nhosts:\n  - { name: app.example.com, protocol: HTTP, route: v1 }\n`;
  await writeFile(config, yaml('RANDOM'));
  expect((await runWizard(['--dry-run', '--yes', '--config', config, '--state-dir', stateDir])).code).toBe(0);
  await writeFile(config, yaml('ROUND_ROBIN'));
  const cmd = `cd ${JSON.stringify(REPO)} && env -u CI node ${JSON.stringify(WIZARD)} --dry-run --config ${JSON.stringify(config)} --state-dir ${JSON.stringify(stateDir)} > /dev/null`;
  const s = new TmuxSession(cmd, { width: 100, height: 40 });
  sessions.push(s);
  await s.waitFor('What now?');
  s.keys('Down', 'Enter'); // Start at a step I choose
  // The listing judges like `wizard steps`: the changed step is stale (naming the input), not "done".
  await s.waitFor('❯ 4. define-subsets   stale: lb changed');
  s.keys('Down', 'Down', 'Down', 'Down', 'Down');
  await s.waitFor('❯ 9. verify');
  s.keys('Enter');
  await s.waitFor('Choose again:');
  const screen = s.screen();
  expect(screen).toContain('cannot start at verify: the earlier step define-subsets has inputs that changed');
  expect(screen).toContain('start at define-subsets first');
  expect(screen).toContain('lb changed');
  await s.waitFor(/What now\?[\s\S]*Choose again:[\s\S]*What now\?/);
  s.keys('Enter'); // Continue at define-subsets
  expect(await s.exitCode()).toBe(0);
});

/** Presses Down until `choice` is the highlighted one (menus differ: Continue is there only when a step is left). */
async function highlight(s: TmuxSession, choice: string): Promise<void> {
  for (let i = 0; i < 6; i++) {
    if (s.visible().includes(`❯ ${choice}`)) return;
    const before = s.visible();
    s.keys('Down');
    const deadline = Date.now() + 5_000;
    while (s.visible() === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }
  await s.waitFor(`❯ ${choice}`, 1);
}

it('"Start over" forgets the answers and the progress: the first question again, every step run anew', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wizard-start-over-'));
  const stateDir = path.join(dir, 'state');
  const config = path.join(dir, 'custom.yaml');
  await writeFile(
    config,
    'namespace: custom-ns\nhosts:\n  - { name: custom.example.com, protocol: HTTP, route: v1 }\n',
  );
  expect((await runWizard(['--dry-run', '--yes', '--config', config, '--state-dir', stateDir])).code).toBe(0);
  const before = JSON.parse(await readFile(path.join(stateDir, 'state.json'), 'utf8'));
  expect(before.answers.namespace).toBe('custom-ns');

  // No --config now: the answers would come from the state, unless "Start over" forgets them.
  const out = path.join(dir, 'out.yaml');
  const cmd = `cd ${JSON.stringify(REPO)} && env -u CI TERM=xterm-256color node ${JSON.stringify(WIZARD)} --dry-run --step --state-dir ${JSON.stringify(stateDir)} > ${JSON.stringify(out)}`;
  const s = new TmuxSession(cmd, { width: 100, height: 40 });
  sessions.push(s);
  await s.waitFor('What now?');
  await highlight(s, 'Start over');
  s.keys('Enter');
  // Asked again like a first run: the answers are gone.
  await s.waitFor('? How should the ingress be set up?');
  s.keys('Enter'); // the recommended setup
  // The progress is gone too: preflight is asked for and runs again.
  await s.waitFor('? Run preflight?');
  s.keys('Down', 'Enter'); // Go ahead with all remaining steps
  expect(await s.exitCode()).toBe(0);
  expect(s.screen()).not.toMatch(/done +earlier/);
  const after = JSON.parse(await readFile(path.join(stateDir, 'state.json'), 'utf8'));
  expect(after.answers.namespace).toBe('default');
  expect(after.answers.hosts.map((h: { name: string }) => h.name)).toEqual([
    'flask.example1.com',
    'flask.example2.com',
  ]);
  for (const id of ['preflight', 'verify']) {
    expect(after.steps[id].status).toBe('done');
    expect(Date.parse(after.steps[id].finishedAt)).toBeGreaterThan(Date.parse(before.steps[id].finishedAt));
  }
  const yaml = await readFile(out, 'utf8');
  expect(yaml).toContain('flask.example1.com');
  expect(yaml).not.toContain('custom.example.com');
});

it('a --dry-run --yes try-out does not make a later interactive run reuse the bundled example silently', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wizard-tryout-'));
  const stateDir = path.join(dir, 'state');
  const tryout = await runWizard(['--dry-run', '--yes', '--state-dir', stateDir]);
  expect(tryout.code).toBe(0);
  expect(tryout.stderr).toContain('using the bundled example');
  const kubeconfig = path.join(dir, 'kubeconfig');
  await writeFile(kubeconfig, 'apiVersion: v1\nkind: Config\n');
  // A live run on a terminal, no --config: it must ask before using those answers, and say what they are.
  const cmd = `cd ${JSON.stringify(REPO)} && env -u CI TERM=xterm-256color node ${JSON.stringify(WIZARD)} --kubeconfig ${JSON.stringify(kubeconfig)} --state-dir ${JSON.stringify(stateDir)}`;
  const s = new TmuxSession(cmd, { width: 120, height: 40 });
  sessions.push(s);
  await s.waitFor('What now?');
  // The question is wrapped to the terminal's width: read it as one line.
  const screen = s.screen().replace(/\n/g, '');
  expect(screen).toContain('a client dry-run: nothing was applied');
  expect(screen).toContain('they are the bundled example (assets/wizard.example.yaml)');
  expect(screen).not.toContain('connecting to'); // nothing done before the answer
  await highlight(s, 'Start over');
  s.keys('Enter');
  await s.waitFor('? How should the ingress be set up?');
  s.keys('C-c');
  expect(await s.exitCode()).toBe(130);
});
