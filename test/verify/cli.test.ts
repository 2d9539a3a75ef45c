// `wizard verify`'s usage errors (dist/wizard.js, built by the global setup): an output format that is not a report
// format and --dry-run are exit 2 with the flag named, nothing on stdout, and no check run — so no gateway is
// needed. The report itself (`-o json`: only JSON on stdout, exit 0, or 1 with each failing check diagnosed) is
// proved on the real gateway in test/stack/verify/breaks.test.ts.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, repoRoot } from '../support/flaskApp.js';

const execFileP = promisify(execFile);
const wizard = path.join(repoRoot, 'dist', 'wizard.js');

let dir = '';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await execFileP(process.execPath, [wizard, ...args], { env: { ...process.env, CI: 'true' } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'verify-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('wizard verify usage errors', () => {
  it('-o yaml and --dry-run are exit 2 naming the flag, with nothing on stdout and no check run', async () => {
    const configFile = path.join(dir, 'wizard.yaml');
    writeFileSync(configFile, readFileSync(path.join(repoRoot, 'assets/wizard.example.yaml'), 'utf8'));
    const stateDir = path.join(dir, 'state');
    // The certificates generate-certs writes, as a client dry-run of the real CLI leaves them.
    const dry = await cli(['--config', configFile, '--yes', '--dry-run', '--state-dir', stateDir]);
    expect(dry.code, dry.stderr).toBe(0);
    // Nothing listens there: a check that ran would fail with curl 7 and exit 1, not 2.
    const port = String(await freePort('127.0.0.1'));
    const flags = [
      'verify',
      '--config',
      configFile,
      '--state-dir',
      stateDir,
      '--address',
      '127.0.0.1',
    ].concat(['--http-port', port, '--https-port', port, '-o', 'json']);

    const yaml = await cli([...flags.slice(0, -1), 'yaml']);
    expect(yaml.code).toBe(2);
    expect(yaml.stdout).toBe('');
    expect(yaml.stderr).toMatch(/--output: "yaml" is not a report format of wizard verify/);

    for (const dryRun of ['--dry-run', '--dry-run=server']) {
      const r = await cli([...flags, dryRun]);
      expect(r.code, dryRun).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/--dry-run: wizard verify has nothing to dry-run/);
      expect(r.stderr).not.toMatch(/verifying/);
    }
  });
});
