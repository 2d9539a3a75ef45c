// The dry-run as a user runs it: the built binary, real streams, real files.

import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { REPO, runWizard } from '../support/cli.js';
import { validateAgainstCrd } from '../support/crdSchemas.js';

const tmp = () => mkdtemp(path.join(tmpdir(), 'wizard-cli-'));
const docs = (yaml: string) => parseAllDocuments(yaml).map((d) => d.toJS());

describe('wizard --dry-run --yes (the bundled example)', () => {
  let stateDir: string;
  let first: Awaited<ReturnType<typeof runWizard>>;
  beforeAll(async () => {
    stateDir = await tmp();
    first = await runWizard(['--dry-run', '--yes', '--state-dir', stateDir]);
  });

  it('exits 0 and prints only YAML on stdout, notes on stderr', () => {
    expect(first.stderr).not.toMatch(/internal error/);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('using the bundled example');
    const objects = docs(first.stdout);
    expect(objects.length).toBeGreaterThan(5);
    for (const o of objects) expect(o).toHaveProperty('kind');
  });

  it('prints the whole set in apply order, every object managed by the wizard', () => {
    const objects = docs(first.stdout);
    const kinds = objects.map((o) => o.kind);
    expect(kinds).toEqual([
      'Deployment',
      'Deployment',
      'Service',
      'DestinationRule',
      'VirtualService',
      'VirtualService',
      'Secret',
      'Secret',
      'Gateway',
    ]);
    for (const o of objects)
      expect(o.metadata.labels['app.kubernetes.io/managed-by']).toBe('istio-ingress-wizard');
    const gw = objects.at(-1);
    expect(gw.apiVersion).toBe('networking.istio.io/v1');
    const https = gw.spec.servers.filter((s: { port: { protocol: string } }) => s.port.protocol === 'HTTPS');
    expect(https.map((s: { hosts: string[] }) => s.hosts)).toEqual([
      ['flask.example1.com'],
      ['flask.example2.com'],
    ]);
    expect(new Set(gw.spec.servers.map((s: { port: { name: string } }) => s.port.name)).size).toBe(
      gw.spec.servers.length,
    );
  });

  it('validates against the real Istio CRD schemas', () => {
    for (const o of docs(first.stdout).filter((x) => x.apiVersion.startsWith('networking.istio.io'))) {
      expect(validateAgainstCrd(o), `${o.kind}/${o.metadata.name}`).toEqual([]);
    }
  });

  it('redacts private keys by default', () => {
    expect(first.stdout).not.toContain('PRIVATE KEY');
    for (const s of docs(first.stdout).filter((o) => o.kind === 'Secret')) {
      const key = Buffer.from(String(s.data['tls.key']), 'base64').toString();
      expect(key).not.toContain('PRIVATE KEY');
    }
    expect(first.stderr).toContain('--include-secrets');
  });

  it('writes the certificates into the state directory with private modes', async () => {
    expect((await stat(path.join(stateDir, 'certs', 'ca.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(stateDir, 'certs', 'ca.crt'))).mode & 0o777).toBe(0o644);
    const state = await readFile(path.join(stateDir, 'state.json'), 'utf8');
    expect(state).not.toContain('PRIVATE KEY');
  });

  it('with --include-secrets prints keys that match the certificates, and reuses them on a second run', async () => {
    const again = await runWizard(['--dry-run', '--yes', '--include-secrets', '--state-dir', stateDir]);
    expect(again.code).toBe(0);
    const secrets = docs(again.stdout).filter((o) => o.kind === 'Secret');
    expect(secrets).toHaveLength(2);
    for (const s of secrets) {
      const cert = new X509Certificate(Buffer.from(s.data['tls.crt'], 'base64'));
      const key = createPrivateKey(Buffer.from(s.data['tls.key'], 'base64'));
      expect(cert.checkPrivateKey(key)).toBe(true);
    }
    // Same certificates as the first run: the redacted streams are identical.
    const redacted = await runWizard(['--dry-run', '--yes', '--state-dir', stateDir]);
    expect(redacted.stdout).toBe(first.stdout);
  });

  it('`wizard steps` lists every step with its state', async () => {
    const r = await runWizard(['steps', '--state-dir', stateDir]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(9);
    expect(lines[5]).toMatch(/6\s+generate-certs\s+done \(client-dry-run\)/);
  });
});

describe('bad input gets a clear error and exit 2', () => {
  it.each([
    [['--frobnicate'], /--frobnicate/],
    [['--from', 'nope', '--dry-run', '--yes'], /--from: unknown step "nope" \(valid: preflight, build-image/],
    [['--skip', 'preflight,bogus'], /--skip: unknown step "bogus"/],
    [['--dry-run=sideways'], /--dry-run: "sideways" is not allowed \(client, server\)/],
    [['--wait-timeout', 'soon'], /--wait-timeout: "soon" is not a duration/],
    [['--http-port', '70000'], /--http-port: "70000" is not a port/],
    [['-n', 'Bad_NS'], /--namespace: "Bad_NS" is not a valid namespace/],
    [['-o', 'xml'], /--output: "xml" is not allowed/],
    [['frobulate'], /unknown command "frobulate"/],
  ])('%j', async (args, message) => {
    const r = await runWizard(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toBe('');
  });

  it('a bad config names the path and what is allowed', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'bad.yaml');
    await writeFile(
      file,
      'loadBalancer: FASTEST\nhosts:\n  - name: Bad_Host\n    protocol: HTTP\n    route: v3\n',
    );
    const r = await runWizard(['--dry-run', '--yes', '--config', file, '--state-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('loadBalancer');
    expect(r.stderr).toContain('RANDOM');
    expect(r.stderr).toMatch(/hosts\[0\]\.name/);
    expect(r.stdout).toBe('');
  });

  it('with no terminal and a missing answer it fails at once naming the key', async () => {
    const dir = await tmp();
    // A hang would be killed after 10 s and show up as code null, not 2.
    const r = await runWizard(['--dry-run', '--state-dir', dir], {
      env: { CI: undefined },
      timeoutMs: 10_000,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/hosts/);
    expect(r.stderr).toMatch(/--config/);
  });

  it('starting at a step whose dependency is not done names the step to run first', async () => {
    const dir = await tmp();
    const r = await runWizard(['--dry-run', '--yes', '--from', 'load-certs', '--state-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('needs generate-certs');
    // The hint repeats the flags that matter (--dry-run, --state-dir): pasted, it resumes the same dry-run.
    expect(r.stderr).toContain(`\`wizard --dry-run --state-dir ${dir} --from generate-certs\``);
  });

  it('the curl commands to try work for a DNS-named load balancer (--connect-to) and IPv6 ([addr])', async () => {
    const dir = await tmp();
    const config = path.join(dir, 'wizard.yaml');
    await writeFile(config, 'hosts:\n  - { name: app.example.com, protocol: HTTP, route: v1 }\n');
    const tries = async (address: string) => {
      const r = await runWizard([
        '--dry-run',
        '--yes',
        '--config',
        config,
        '--state-dir',
        await tmp(),
        '--address',
        address,
      ]);
      expect(r.code, r.stderr).toBe(0);
      return r.stderr.split('\n').filter((l) => l.includes('try: curl'));
    };
    expect(await tries('lb.example.com')).toEqual([
      '  try: curl --connect-to app.example.com:80:lb.example.com:80 http://app.example.com:80/version',
    ]);
    expect(await tries('2001:db8::1')).toEqual([
      '  try: curl --resolve app.example.com:80:[2001:db8::1] http://app.example.com:80/version',
    ]);
  });

  it('starting after a step whose inputs changed names that step; --from it works', async () => {
    const dir = await tmp();
    const config = path.join(dir, 'wizard.yaml');
    const yaml = (lb: string) =>
      `loadBalancer: ${lb}\nhosts:\n  - { name: app.example.com, protocol: HTTP, route: v1 }\n`;
    await writeFile(config, yaml('RANDOM'));
    const args = ['--dry-run', '--yes', '--config', config, '--state-dir', dir];
    expect((await runWizard(args)).code).toBe(0);
    await writeFile(config, yaml('ROUND_ROBIN'));
    const r = await runWizard([...args, '--from', 'add-hosts']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'cannot start at add-hosts: the earlier step define-subsets has inputs that changed',
    );
    expect(r.stderr).toMatch(/`wizard --dry-run --state-dir \S+ --config \S+ --from define-subsets`/);
    const ok = await runWizard([...args, '--from', 'define-subsets']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('ROUND_ROBIN');
  });
});

it('the example config file is the bundled default', async () => {
  const text = await readFile(path.join(REPO, 'assets', 'wizard.example.yaml'), 'utf8');
  expect(text).toContain('flask.example1.com');
});

it('a relative --state-dir is saved as absolute paths, so the certificates are found from any directory', async () => {
  const cwd = await tmp();
  const r = await runWizard(['--dry-run', '--yes', '--state-dir', 'rel-state'], { cwd });
  expect(r.code).toBe(0);
  const state = JSON.parse(await readFile(path.join(cwd, 'rel-state', 'state.json'), 'utf8'));
  const ca: string = state.steps['generate-certs'].outputs['generate-certs'].caCert;
  expect(path.isAbsolute(ca)).toBe(true);
  expect(ca).toBe(path.join(cwd, 'rel-state', 'certs', 'ca.crt'));
});
