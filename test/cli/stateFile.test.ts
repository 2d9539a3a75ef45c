// A state file the wizard cannot use (corrupt, newer): every command that reads it stops with exit 2, the path, and a
// way to start over that works from any command — `wizard steps --reset` does not reset, so the hint names `wizard`.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runWizard } from '../support/cli.js';

it('a corrupt or newer state.json: exit 2 from run, steps and verify, naming the path and a reset that works', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wizard-state-'));
  const file = path.join(dir, 'state.json');
  for (const content of [
    '{"version": 1, "tool": "istio-ingr',
    '{"version": 99, "tool": "istio-ingress-wizard"}',
  ]) {
    await writeFile(file, content);
    for (const args of [['--dry-run', '--yes'], ['steps'], ['verify', '--yes']]) {
      const r = await runWizard([...args, '--state-dir', dir]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`error: state file ${file}`);
      // A hint repeats the mode it was given in: pasted, it must not turn a dry-run into a live run.
      const mode = args[0] === '--dry-run' ? '--dry-run ' : '';
      expect(r.stderr).toContain(`hint: start over with \`wizard ${mode}--reset --state-dir ${dir}\``);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(await readFile(file, 'utf8')).toBe(content);
  }
  const reset = await runWizard(['--reset', '--state-dir', dir, '--dry-run', '--yes']);
  expect(reset.code).toBe(0);
  expect(JSON.parse(await readFile(file, 'utf8')).version).toBe(1);
});

it('wizard steps -o yaml is refused (not silently printed as text); -o json is JSON', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wizard-steps-'));
  const yaml = await runWizard(['steps', '-o', 'yaml', '--state-dir', dir]);
  expect(yaml.code).toBe(2);
  expect(yaml.stdout).toBe('');
  expect(yaml.stderr).toContain('--output: "yaml" is not a format of wizard steps');
  const json = await runWizard(['steps', '-o', 'json', '--state-dir', dir]);
  expect(json.code).toBe(0);
  expect(JSON.parse(json.stdout).steps).toHaveLength(9);
});

it('--state-dir naming a file: exit 2 naming the flag, with and without --reset (no internal error)', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wizard-statedir-'));
  const file = path.join(dir, 'not-a-dir');
  await writeFile(file, 'x');
  for (const args of [['--dry-run', '--yes'], ['--dry-run', '--yes', '--reset'], ['steps']]) {
    const r = await runWizard([...args, '--state-dir', file]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`error: --state-dir: "${file}" is not a directory`);
    expect(r.stderr).not.toContain('internal error');
  }
});

it('a dry-run does not replace what a live run recorded (wizard steps still says done, not done in a dry-run)', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wizard-keeplive-'));
  const first = await runWizard(['--dry-run', '--yes', '--state-dir', dir]);
  expect(first.code).toBe(0);
  // As a live run leaves it: every step done in live mode.
  const file = path.join(dir, 'state.json');
  const state = JSON.parse(await readFile(file, 'utf8'));
  for (const rec of Object.values(state.steps) as { mode: string }[]) rec.mode = 'live';
  await writeFile(file, JSON.stringify(state));
  const again = await runWizard(['--dry-run', '--yes', '--from', 'preflight', '--state-dir', dir]);
  expect(again.code, again.stderr).toBe(0);
  const after = JSON.parse(await readFile(file, 'utf8'));
  expect(Object.values(after.steps).map((r) => (r as { mode: string }).mode)).toEqual(Array(9).fill('live'));
  const steps = await runWizard(['steps', '--state-dir', dir]);
  expect(steps.stdout).not.toContain('client-dry-run');
});
