// End to end on a real pseudo-terminal (tmux): answer the wizard's questions with keystrokes, add two hosts (one
// with a bad name first, one weighted), quit with Ctrl-C at a confirm, check exit 130 and the state file, start
// again, resume, finish, and compare the printed manifests with a --config run of the same answers.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runWizard, WIZARD } from '../support/cli.js';
import { hasTmux, TmuxSession } from './tmux.js';

/** WIZARD_E2E_BIN runs another build (e.g. a branch's dist) through the same flow. */
const BIN = process.env.WIZARD_E2E_BIN ?? WIZARD;
const sessions: TmuxSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});

beforeAll(() => {
  if (!hasTmux()) throw new Error('tmux is required for the pseudo-terminal test: apt-get install -y tmux');
  if (!existsSync(BIN)) execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
});

function wizardIn(dir: string, out: string): TmuxSession {
  // No CI in the session: the wizard must see a person at a terminal.
  const cmd = `cd ${JSON.stringify(process.cwd())} && env -u CI node ${JSON.stringify(BIN)} --dry-run --step --state-dir ${JSON.stringify(join(dir, 'state'))} > ${JSON.stringify(join(dir, out))}`;
  const s = new TmuxSession(cmd, { width: 100, height: 40, env: { TERM: 'xterm-256color' } });
  sessions.push(s);
  return s;
}

/** Presses Enter on one active prompt and waits until it has been answered. */
async function accept(s: TmuxSession, prompt: string) {
  await s.waitFor(`? ${prompt}`);
  s.keys('Enter');
  await s.waitGone(`? ${prompt}`);
}

async function answer(s: TmuxSession, prompt: string, text: string) {
  await s.waitFor(`? ${prompt}`);
  s.type(text);
  s.keys('Enter');
  await s.waitGone(`? ${prompt}`);
}

/** Confirms every "Run <step>?" until the process ends (or until `stopAt` comes up). Returns the steps confirmed. */
async function confirmAll(s: TmuxSession, stopAt?: string): Promise<string[]> {
  const confirmed: string[] = [];
  for (;;) {
    const m = (await s.waitFor(/\? Run ([\w-]+)\?|^RC=\d+$/m, 30_000)) as RegExpMatchArray;
    const id = m[1];
    if (!id) return confirmed;
    if (id === stopAt) return confirmed;
    s.keys('Enter');
    await s.waitGone(`? Run ${id}?`);
    confirmed.push(id);
  }
}

/** Generated certificates differ from run to run: compare everything else. */
function normalise(yaml: string): string {
  return yaml.replace(/^(\s*[\w.-]*(?:crt|cert|pem)[\w.-]*:\s*)\S+$/gim, '$1<cert>');
}

const CONFIG = `# the same answers as typed in the terminal
hosts:
  - name: v1.example.com
    protocol: HTTP
    route: v1
  - name: split.example.com
    protocol: HTTPS
    tls:
      mode: SIMPLE
    routes:
      - subset: v1
        weight: 80
      - subset: v2
        weight: 20
`;

describe('wizard on a pseudo-terminal', () => {
  it('asks, adds hosts, is interrupted, resumes, and prints what a --config run prints', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wiz-pty-'));
    const first = wizardIn(dir, 'first.yaml');

    // Customise instead of the recommended setup; then Enter keeps each default.
    await first.waitFor('? How should the ingress be set up?');
    first.keys('Down', 'Enter');
    for (const q of [
      'Namespace for the app',
      'App name',
      'Container image',
      'Versions to deploy',
      'Load balancer',
      'Which API to write the routing in',
    ]) {
      await accept(first, q);
    }

    // Host 1, after a bad name is refused inline.
    await first.waitFor('? Hosts:');
    await accept(first, 'Hosts:'); // Add a host
    await first.waitFor('? Host name');
    first.type('Bad_Host');
    first.keys('Enter');
    await first.waitFor('"Bad_Host" must be lower-case');
    for (let i = 0; i < 8; i++) first.keys('BSpace');
    first.type('v1.example.com');
    first.keys('Enter');
    await first.waitGone('? Host name');
    await accept(first, 'Protocol for v1.example.com'); // HTTP
    await accept(first, 'Route v1.example.com to'); // all traffic to v1
    await first.waitFor('1. v1.example.com  HTTP  → v1');

    // Host 2: HTTPS, weighted 80/20. The menu's cursor starts on Done: up three times is "Add a host".
    await first.waitFor('? Hosts:');
    first.keys('Up', 'Up', 'Up', 'Enter');
    await answer(first, 'Host name', 'split.example.com');
    await first.waitFor('? Protocol for split.example.com');
    first.keys('Down', 'Enter');
    await accept(first, 'TLS mode for split.example.com'); // SIMPLE
    await first.waitFor('? Route split.example.com to');
    first.keys('Down', 'Down', 'Enter');
    await answer(first, 'Weight for v1', '80');
    await answer(first, 'Weight for v2', '20');
    await first.waitFor('2. split.example.com  HTTPS (SIMPLE)  → v1 80%, v2 20%');
    await accept(first, 'Hosts:'); // Done

    // Go ahead until define-subsets asks, then Ctrl-C.
    const before = await confirmAll(first, 'define-subsets');
    expect(before).toEqual(['preflight', 'build-image', 'deploy-versions']);
    first.keys('C-c');
    expect(await first.exitCode()).toBe(130);

    const stateText = await readFile(join(dir, 'state', 'state.json'), 'utf8');
    expect(stateText).not.toContain('PRIVATE KEY');
    const state = JSON.parse(stateText);
    expect(state.tool).toBe('istio-ingress-wizard');
    expect(state.steps.preflight.status).toBe('done');
    expect(state.steps['deploy-versions'].status).toBe('done');
    expect(state.steps['define-subsets']?.status ?? 'pending').not.toBe('done');
    expect(state.answers.hosts).toEqual([
      { name: 'v1.example.com', protocol: 'HTTP', routes: [{ subset: 'v1', weight: 100 }] },
      {
        name: 'split.example.com',
        protocol: 'HTTPS',
        tls: { mode: 'SIMPLE' },
        routes: [
          { subset: 'v1', weight: 80 },
          { subset: 'v2', weight: 20 },
        ],
      },
    ]);

    // Start again: resume at the first unfinished step, go ahead to the end.
    const second = wizardIn(dir, 'second.yaml');
    await second.waitFor('? An earlier run saved its answers');
    await second.waitFor('Continue at define-subsets');
    await accept(second, 'An earlier run saved its answers');
    const after = await confirmAll(second);
    expect(after).toEqual([
      'define-subsets',
      'add-hosts',
      'generate-certs',
      'load-certs',
      'apply-gateway',
      'verify',
    ]);
    expect(await second.exitCode()).toBe(0);

    // The same answers from a file, no terminal: the same manifests on stdout.
    await writeFile(join(dir, 'wizard.yaml'), CONFIG);
    const byConfig = await runWizard([
      '--dry-run',
      '--yes',
      '--config',
      join(dir, 'wizard.yaml'),
      '--state-dir',
      join(dir, 'state-config'),
    ]);
    expect(byConfig.code, byConfig.stderr).toBe(0);
    const typed = await readFile(join(dir, 'second.yaml'), 'utf8');
    expect(typed).toContain('kind: Gateway');
    expect(typed).toContain('kind: VirtualService');
    expect(typed).not.toContain('PRIVATE KEY');
    expect(normalise(typed)).toBe(normalise(byConfig.stdout));
  }, 180_000);
});
