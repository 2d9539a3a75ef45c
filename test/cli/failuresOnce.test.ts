// A failure is printed once: verify failing on several hosts says each diagnosis once and a `next:` command shared
// by them once (it was in the log and again in the error, for every host); a failed preflight check is said once
// (its FAIL line, not again in the step's error). Real processes, real curl against a port nobody listens on.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { runWizard } from '../support/cli.js';

let dir: string;
let config: string;
let kubeconfig: string;
let closedPort: number;

const count = (text: string, needle: string) => text.split(needle).length - 1;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wizard-once-'));
  config = path.join(dir, 'wizard.yaml');
  await writeFile(
    config,
    `verify:\n  timeoutSeconds: 2\nhosts:\n${['a', 'b', 'c'].map((h) => `  - { name: ${h}.example.com, protocol: HTTP, route: v1 }`).join('\n')}\n`,
  );
  // An API server address that refuses connections (nothing listens on port 1 of loopback).
  kubeconfig = path.join(dir, 'kubeconfig');
  await writeFile(
    kubeconfig,
    'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\nusers: [{name: u, user: {token: x}}]\ncurrent-context: c\n',
  );
  // A port that was free a moment ago: curl finds nothing listening there.
  closedPort = await new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
});

const NEXT = 'next: kubectl -n istio-system get svc,pods -l istio=ingressgateway';
const DIAGNOSIS = `nothing listening at 127.0.0.1:${'PORT'}`;

it('verify failing on three hosts: each diagnosis once, the shared next: once, the hint with the flags', async () => {
  const r = await runWizard([
    '--yes',
    '--config',
    config,
    '--kubeconfig',
    kubeconfig,
    '--state-dir',
    path.join(dir, 'state'),
    '--skip',
    'preflight,build-image,deploy-versions,define-subsets,add-hosts,generate-certs,load-certs,apply-gateway',
    '--address',
    '127.0.0.1',
    '--http-port',
    String(closedPort),
  ]);
  expect(r.code, r.stderr).toBe(1);
  // Three hosts and the unknown-host check fail the same way.
  expect(r.stderr).toMatch(/error: 4 of 7 ingress checks failed against 127\.0\.0\.1:/);
  const failed = r.stderr.split('\n').filter((l) => /: ✗ HTTP /.test(l));
  expect(failed).toHaveLength(4);
  expect(count(r.stderr, NEXT)).toBe(1);
  // The diagnosis after each failed check's line (curl retried: "not yet" lines carry it too, as progress).
  const final = r.stderr
    .split('\n')
    .filter((l) => l.includes(DIAGNOSIS.replace('PORT', String(closedPort))) && !l.includes('not yet'));
  expect(final).toHaveLength(4);
  for (const h of ['a', 'b', 'c']) {
    // Its check line in the output, and its line in the error's list: not the diagnosis again.
    expect(count(r.stderr, `HTTP ${h}.example.com answers v1`)).toBeGreaterThanOrEqual(2);
  }
  expect(r.stderr).toContain('stopped: a step failed (its error is shown above)');
  expect(r.stderr).toContain(
    `hint: fix the first failure above, then run \`wizard verify --state-dir ${path.join(dir, 'state')} --config ${config} --address 127.0.0.1 --http-port ${closedPort} --kubeconfig ${kubeconfig}\``,
  );
});

it('wizard verify on its own: the shared next: once', async () => {
  const r = await runWizard([
    'verify',
    '--config',
    config,
    '--state-dir',
    path.join(dir, 'no-state'),
    '--address',
    '127.0.0.1',
    '--http-port',
    String(closedPort),
  ]);
  expect(r.code, r.stderr).toBe(1);
  expect(count(r.stderr, NEXT)).toBe(1);
  expect(r.stderr).toContain('3 passed, 4 failed');
});

it('a failed preflight check is said once: its FAIL line, not again in the error', async () => {
  const r = await runWizard([
    '--yes',
    '--config',
    config,
    '--kubeconfig',
    kubeconfig,
    '--state-dir',
    path.join(dir, 'state-preflight'),
  ]);
  expect(r.code, r.stderr).toBe(1);
  expect(count(r.stderr, 'cannot reach the API server https://127.0.0.1:1')).toBe(1);
  expect(count(r.stderr, 'fix: is the cluster running')).toBe(1);
  expect(r.stderr).toContain('preflight failed (1 check); nothing was written: see above');
});
