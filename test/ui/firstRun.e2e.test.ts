// A newcomer's first run on a real pseudo-terminal (tmux): the recommended setup is the first question, and
// accepting it finishes a client dry-run in at most 3 keystrokes with the same manifests on stdout as
// `--config assets/wizard.example.yaml --yes`. Also: plain prompts on TERM=dumb, Quit exits 0 naming the resume
// command, a pasted URL offered as its host name, and Ctrl-C before any answer is complete saving nothing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runWizard, WIZARD } from '../support/cli.js';
import { hasTmux, TmuxSession } from './tmux.js';

const BIN = process.env.WIZARD_E2E_BIN ?? WIZARD;
const sessions: TmuxSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});

beforeAll(() => {
  if (!hasTmux()) throw new Error('tmux is required for the pseudo-terminal test: apt-get install -y tmux');
  if (!existsSync(BIN)) execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
});

function wizardIn(dir: string, flags: string, opts: { term?: string; width?: number } = {}): TmuxSession {
  const cmd = `cd ${JSON.stringify(process.cwd())} && env -u CI TERM=${opts.term ?? 'xterm-256color'} node ${JSON.stringify(BIN)} ${flags} --state-dir ${JSON.stringify(join(dir, 'state'))} > ${JSON.stringify(join(dir, 'out.yaml'))}`;
  // TERM is set in the command: tmux gives its panes its own TERM.
  const s = new TmuxSession(cmd, { width: opts.width ?? 100, height: 40 });
  sessions.push(s);
  return s;
}

/** Generated certificates differ from run to run (fresh keys): everything else must be the same bytes. */
function normalise(yaml: string): string {
  return yaml.replace(/^(\s*[\w.-]*(?:crt|cert|pem)[\w.-]*:\s*)\S+$/gim, '$1<cert>');
}

async function byExample(dir: string): Promise<string> {
  const r = await runWizard([
    '--dry-run',
    '--yes',
    '--config',
    'assets/wizard.example.yaml',
    '--state-dir',
    join(dir, 'state-config'),
  ]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

describe('first run on a pseudo-terminal', () => {
  it('offers the recommended setup first and finishes a dry-run in at most 3 keystrokes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wiz-first-'));
    const s = wizardIn(dir, '--dry-run');
    let keystrokes = 0;
    await s.waitFor('? How should the ingress be set up?');
    const screen = s.screen();
    // The few lines that say what it sets up, from the example file itself.
    expect(screen).toContain('assets/wizard.example.yaml');
    expect(screen).toContain('flask.example1.com  HTTPS (SIMPLE)  → v2');
    expect(screen).toContain('flask.example2.com  HTTPS (SIMPLE)  → v1');
    expect(screen).toContain('❯ Use the recommended setup');
    s.keys('Enter');
    keystrokes += 1;
    // No question before each step in a client dry-run: it only writes the state directory.
    expect(await s.exitCode()).toBe(0);
    expect(s.screen()).not.toContain('? Run ');
    expect(keystrokes).toBeLessThanOrEqual(3);
    const typed = await readFile(join(dir, 'out.yaml'), 'utf8');
    expect(typed).toContain('kind: Gateway');
    expect(normalise(typed)).toBe(normalise(await byExample(dir)));
  }, 120_000);

  it('asks with plain line prompts on TERM=dumb (numbered choices, no cursor movement)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wiz-dumb-'));
    const s = wizardIn(dir, '--dry-run', { term: 'dumb' });
    await s.waitFor('choose 1-2 (1):');
    expect(s.screen()).toContain('1) Use the recommended setup');
    s.type('1');
    s.keys('Enter');
    expect(await s.exitCode()).toBe(0);
    // The plain renderer, not Ink: one line per event.
    expect(s.screen()).toContain('[9/9] verify done');
    const typed = await readFile(join(dir, 'out.yaml'), 'utf8');
    expect(normalise(typed)).toBe(normalise(await byExample(dir)));
  }, 120_000);

  it('Quit at a step exits 0 and says how to resume, with the flags that matter', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wiz-quit-'));
    const s = wizardIn(dir, '--dry-run --step');
    await s.waitFor('? How should the ingress be set up?');
    s.keys('Enter');
    await s.waitFor('? Run preflight?');
    expect(s.screen()).toContain('Go ahead with all remaining steps');
    s.keys('Enter'); // go ahead: preflight
    await s.waitFor('? Run build-image?');
    s.keys('Up', 'Enter'); // the list wraps: Up from the first choice is Quit
    expect(await s.exitCode()).toBe(0);
    const screen = s.screen();
    expect(screen).toMatch(
      /stopped at build-image; `wizard --dry-run --state-dir \S+ --from build-image` resumes/,
    );
    expect(screen).not.toContain('interrupted');
    const state = JSON.parse(await readFile(join(dir, 'state', 'state.json'), 'utf8'));
    expect(state.steps.preflight.status).toBe('done');
    expect(state.steps['build-image']?.status ?? 'pending').toBe('pending');
  }, 120_000);

  it('"Go ahead with all remaining steps" stops asking', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wiz-all-'));
    const s = wizardIn(dir, '--dry-run --step');
    await s.waitFor('? How should the ingress be set up?');
    s.keys('Enter');
    await s.waitFor('? Run preflight?');
    s.keys('Down', 'Enter');
    expect(await s.exitCode()).toBe(0);
    expect(s.screen()).not.toContain('? Run build-image?');
  }, 120_000);

  it('offers the host part of a pasted URL; Ctrl-C before the answers are complete says nothing was saved', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wiz-url-'));
    const s = wizardIn(dir, '--dry-run', { width: 80 });
    await s.waitFor('? How should the ingress be set up?');
    s.keys('Down', 'Enter'); // customise
    for (const q of [
      'Namespace for the app',
      'App name',
      'Container image',
      'Versions to deploy',
      'Load balancer',
      'Which API to write the routing in',
    ]) {
      await s.waitFor(`? ${q}`);
      s.keys('Enter');
      await s.waitGone(`? ${q}`);
    }
    await s.waitFor('? Hosts:');
    s.keys('Enter'); // Add a host
    await s.waitFor('? Host name');
    s.type('https://Flask.Example1.com/');
    s.keys('Enter');
    await s.waitFor('That is a URL: use its host name flask.example1.com?');
    expect(s.screen()).not.toContain('must be lower-case');
    s.keys('Enter');
    await s.waitFor('? Protocol for flask.example1.com');
    s.keys('Enter');
    await s.waitFor('? Route flask.example1.com to');
    s.keys('Enter');
    await s.waitFor('1. flask.example1.com  HTTP  → v1');
    s.keys('C-c');
    expect(await s.exitCode()).toBe(130);
    expect(s.screen()).toContain('interrupted: nothing was saved');
    expect(existsSync(join(dir, 'state', 'state.json'))).toBe(false);
  }, 120_000);

  it('a config host with no route, on a terminal: asks for the route (no crash) and finishes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wiz-noroute-'));
    const config = join(dir, 'wizard.yaml');
    await writeFile(
      config,
      'hosts:\n  - { name: a.example.com, protocol: HTTP }\n  - { name: b.example.com, protocol: HTTP, route: v2 }\n',
    );
    const s = wizardIn(dir, `--dry-run --config ${JSON.stringify(config)}`);
    await s.waitFor('? Route a.example.com to');
    expect(s.screen()).toContain('a.example.com has no route in the config');
    s.keys('Down', 'Enter'); // all traffic to v2
    await s.waitFor('? Hosts:');
    expect(s.screen()).toContain('1. a.example.com  HTTP  → v2');
    s.keys('Enter'); // Done (the cursor starts there)
    expect(await s.exitCode()).toBe(0);
    const screen = s.screen();
    expect(screen).not.toContain('internal error');
    expect(screen).not.toContain('TypeError');
    expect(screen).not.toContain('? Route b.example.com'); // the file said it
    const yaml = await readFile(join(dir, 'out.yaml'), 'utf8');
    expect(yaml).toMatch(/hosts:\n\s+- a\.example\.com[\s\S]*subset: v2/);
  }, 120_000);
});
