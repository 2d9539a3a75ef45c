// The contract end to end: certificates as generate-certs writes them (a client dry-run of the real CLI), the
// gateway stand-in serving them, and `wizard verify -o json` (dist/wizard.js, built by the global setup) printing
// the report on stdout — only JSON there — with exit 0, or 1 with the failing check diagnosed.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertPaths } from '../../src/steps/types.js';
import type { VerifyReport } from '../../src/verify/types.js';
import { type RunningApp, repoRoot, startFlaskApp } from '../support/flaskApp.js';
import { type NginxGateway, startNginxGateway } from '../support/nginxGateway.js';
import { exampleHosts, plan } from './plans.js';

const execFileP = promisify(execFile);
const wizard = path.join(repoRoot, 'dist', 'wizard.js');

let apps: RunningApp[] = [];
let gw: NginxGateway | undefined;
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

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'verify-cli-'));
  apps = await Promise.all([startFlaskApp({ version: 'v1' }), startFlaskApp({ version: 'v2' })]);
});
afterAll(async () => {
  await gw?.stop();
  await Promise.all(apps.map((a) => a.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe('wizard verify -o json', () => {
  it('passes against a gateway serving the certificates the wizard generated, and diagnoses a wrong route', async () => {
    const configFile = path.join(dir, 'wizard.yaml');
    // The bundled example, with a short verify budget so the failing run ends quickly.
    writeFileSync(
      configFile,
      `${readFileSync(path.join(repoRoot, 'assets/wizard.example.yaml'), 'utf8')}\nverify:\n  timeoutSeconds: 3\n`,
    );
    const stateDir = path.join(dir, 'state');
    const dry = await cli(['--config', configFile, '--yes', '--dry-run', '--state-dir', stateDir]);
    expect(dry.code, dry.stderr).toBe(0);

    // The layout generate-certs promises: certs/ca.crt, certs/<host>/tls.crt|key.
    const config = plan(exampleHosts());
    const certsDir = path.join(stateDir, 'certs');
    const certs: CertPaths = {
      caCert: path.join(certsDir, 'ca.crt'),
      caKey: path.join(certsDir, 'ca.key'),
      hosts: Object.fromEntries(
        config.hosts.map((h) => [
          h.name,
          { cert: path.join(certsDir, h.name, 'tls.crt'), key: path.join(certsDir, h.name, 'tls.key') },
        ]),
      ),
    };
    const upstreams = { v1: apps[0]?.url ?? '', v2: apps[1]?.url ?? '' };
    gw = await startNginxGateway({ config, certs, upstreams });
    const flags = [
      'verify',
      '--config',
      configFile,
      '--state-dir',
      stateDir,
      '--address',
      gw.address,
      '--http-port',
      String(gw.httpPort),
      '--https-port',
      String(gw.httpsPort),
      '-o',
      'json',
    ];

    const yaml = await cli([...flags.slice(0, -1), 'yaml']);
    expect(yaml.code).toBe(2);
    expect(yaml.stdout).toBe('');
    expect(yaml.stderr).toMatch(/--output: "yaml" is not a report format of wizard verify/);

    for (const dryRun of ['--dry-run', '--dry-run=server']) {
      const dry = await cli([...flags, dryRun]);
      expect(dry.code, dryRun).toBe(2);
      expect(dry.stdout).toBe('');
      expect(dry.stderr).toMatch(/--dry-run: wizard verify has nothing to dry-run/);
      expect(dry.stderr).not.toMatch(/verifying/);
    }

    const ok = await cli(flags);
    expect(ok.code, ok.stderr).toBe(0);
    const report = JSON.parse(ok.stdout) as VerifyReport;
    expect(report).toMatchObject({ ok: true, passed: 5, failed: 0, address: '127.0.0.1' });
    expect(report.checks.filter((c) => c.kind === 'version').map((c) => c.body)).toEqual(['v2', 'v1']);
    expect(ok.stderr).toMatch(/✓ HTTPS flask\.example1\.com answers v2/);

    await gw.reload({
      config,
      certs,
      upstreams,
      breaks: { routes: { 'flask.example1.com': [{ subset: 'v1', weight: 1 }] } },
    });
    const bad = await cli(flags);
    expect(bad.code).toBe(1);
    const failed = (JSON.parse(bad.stdout) as VerifyReport).checks.filter((c) => !c.ok);
    expect(failed.map((c) => `${c.kind} ${c.host} ${c.body}`)).toEqual(['version flask.example1.com v1']);
    expect(failed[0]?.diagnosis).toMatch(/route points at the wrong subset/);
  });
});
