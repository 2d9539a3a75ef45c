// The first-run rules that need no terminal: typo suggestions, a live --yes without answers refused (exit 2
// naming --config), --recommended as the flag for the first question, files checked before any question.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWizard } from '../support/cli.js';

describe('typos get a suggestion', () => {
  it.each([
    [['--dryrun'], 'did you mean --dry-run?'],
    [['--skipbuild'], 'did you mean --skip-build?'],
    [['--from', 'preflite'], 'did you mean preflight?'],
    [['--skip', 'verfy'], 'did you mean verify?'],
    [['stpes'], 'did you mean steps?'],
  ])('%j', async (args, hint) => {
    const r = await runWizard(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(hint);
  });

  it('makes no wild guess', async () => {
    const r = await runWizard(['--foo']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('did you mean');
  });
});

describe('answers for an unattended run', () => {
  it('refuses a live --yes with no --config and no saved answers, naming --config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wiz-yes-'));
    const r = await runWizard(['--yes', '--state-dir', join(dir, 'state')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--config');
    expect(r.stderr).not.toContain('cluster:');
  });

  it('--recommended answers with the bundled example, like --config assets/wizard.example.yaml', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wiz-rec-'));
    const r = await runWizard(['--dry-run', '--yes', '--recommended', '--state-dir', join(dir, 'a')]);
    const c = await runWizard([
      '--dry-run',
      '--yes',
      '--config',
      'assets/wizard.example.yaml',
      '--state-dir',
      join(dir, 'b'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const norm = (y: string) => y.replace(/^(\s*[\w.-]*(?:crt|cert|pem)[\w.-]*:\s*)\S+$/gim, '$1<cert>');
    expect(norm(r.stdout)).toBe(norm(c.stdout));
    expect(r.stderr).toContain('using the recommended setup');
  });

  it('checks --kubeconfig before asking anything', async () => {
    const r = await runWizard(['--kubeconfig', '/nonexistent/kubeconfig']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--kubeconfig: /nonexistent/kubeconfig: no such file');
  });
});
