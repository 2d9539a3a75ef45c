// The one place hints get their flags: every `wizard …` command a hint quotes repeats what decides the run —
// mode, state, config, the flags that win over the answers (namespace, api, build), the verify target, cluster.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { eventWithModeFlags, modeFlags, rerunCommand, withModeFlags } from '../../src/cli/rerun.js';

const args = parseCli([
  '--dry-run',
  '--state-dir',
  '/tmp/st',
  '--config',
  'my wizard.yaml',
  '-n',
  'shop',
  '--api',
  'gateway-api',
  '--build-tool',
  'podman',
  '--skip-build',
  '--address',
  '10.0.0.5',
  '--http-port',
  '8080',
  '--context',
  'kind-dev',
]);

describe('hint commands', () => {
  it('modeFlags: each flag that matters, quoted for a shell', () => {
    expect(modeFlags(args).join(' ')).toBe(
      "--dry-run --state-dir /tmp/st --config 'my wizard.yaml' --namespace shop --api gateway-api --build-tool podman --skip-build --address 10.0.0.5 --http-port 8080 --context kind-dev",
    );
    expect(modeFlags(parseCli([]))).toEqual([]);
    expect(modeFlags(parseCli(['--state-dir', path.resolve('.wizard')]))).toEqual([]);
  });

  it('the Quit / Ctrl-C hint and a step hint both get them; flags a hint already has are not doubled', () => {
    expect(rerunCommand(args, ' --from verify')).toBe(
      "`wizard --dry-run --state-dir /tmp/st --config 'my wizard.yaml' --namespace shop --api gateway-api --build-tool podman --skip-build --address 10.0.0.5 --http-port 8080 --context kind-dev --from verify`",
    );
    expect(withModeFlags('run `wizard --from preflight` first', args)).toBe(
      "run `wizard --dry-run --state-dir /tmp/st --config 'my wizard.yaml' --namespace shop --api gateway-api --build-tool podman --skip-build --address 10.0.0.5 --http-port 8080 --context kind-dev --from preflight` first",
    );
    const reset = withModeFlags('start over with `wizard --reset --state-dir /tmp/st`', args);
    expect(reset.match(/--state-dir/g)).toHaveLength(1);
    expect(reset).toContain('--namespace shop');
  });

  it('wizard verify gets its flags after the subcommand and no --dry-run; --help hints are left alone', () => {
    expect(withModeFlags('then run `wizard verify`', args)).toBe(
      "then run `wizard verify --state-dir /tmp/st --config 'my wizard.yaml' --namespace shop --api gateway-api --build-tool podman --skip-build --address 10.0.0.5 --http-port 8080 --context kind-dev`",
    );
    expect(withModeFlags('see `wizard --help`', args)).toBe('see `wizard --help`');
  });

  it('errors shown under a step (the UI path) get the flags too', () => {
    const ev = eventWithModeFlags(
      {
        type: 'step-end',
        id: 'load-certs',
        status: 'failed',
        durationMs: 1,
        error: 'load-certs needs the certificates: run `wizard --from generate-certs`',
      },
      args,
    );
    expect(ev.type === 'step-end' && ev.error).toContain('`wizard --dry-run --state-dir /tmp/st --config');
    expect(ev.type === 'step-end' && ev.error).toContain('--namespace shop');
    const log = eventWithModeFlags({ type: 'step-log', id: 'apply-gateway', line: 'plain line' }, args);
    expect(log).toEqual({ type: 'step-log', id: 'apply-gateway', line: 'plain line' });
  });
});

it('the CLI prints a step hint with the flags: a dry-run in another namespace stays one when pasted', async () => {
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { runWizard } = await import('../support/cli.js');
  const dir = await mkdtemp(path.join(tmpdir(), 'wizard-hint-'));
  const r = await runWizard(['--dry-run', '--yes', '-n', 'shop', '--from', 'load-certs', '--state-dir', dir]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(
    `hint: run \`wizard --dry-run --state-dir ${dir} --namespace shop --from generate-certs\` first`,
  );
});
