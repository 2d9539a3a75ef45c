// Issue 8, item 8: what the wizard would apply passes Istio's own analyzers. The manifests come from
// `wizard --dry-run --yes -o yaml` (no cluster) of the bundled example and of every config in
// test/stack/configs.ts; `istioctl analyze --use-kube=false` (the istioctl built by the stack tier, the same Istio
// as the istiod the stack runs) must report no issue at all, Info included. Two controls show the analysis can fail
// here: a VirtualService bound to a Gateway that does not exist (IST0101), and a hand-made Gateway on the same
// selector, port and host as the wizard's (IST0145 — what preflight's host-claims check stops before applying).
// Needs only the istioctl binary, not a running stack; skipped with the reason where it cannot be had.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runWizard } from '../../support/cli.js';
import { stackConfigs } from '../configs.js';
import { ensureIstioBinaries } from '../istio/istio.js';

const bins = await ensureIstioBinaries();
const skip = 'skip' in bins ? bins.skip : undefined;
if (skip)
  process.stderr.write(
    `\n*** SKIPPED: istioctl analyze on the dry-run output (test/stack/features): ${skip}\n\n`,
  );

interface Analysis {
  code: number;
  out: string;
}

/** `istioctl analyze --use-kube=false` on files: its exit code and what it printed (issues go to stdout). */
function analyze(files: string[]): Promise<Analysis> {
  const istioctl = 'skip' in bins ? '' : bins.istioctl;
  return new Promise((resolve) => {
    execFile(
      istioctl,
      ['analyze', '--use-kube=false', '--failure-threshold', 'Info', '--output-threshold', 'Info', ...files],
      { timeout: 120_000 },
      (err, stdout, stderr) =>
        resolve({
          code: err ? (typeof err.code === 'number' ? err.code : -1) : 0,
          out: `${stdout}${stderr}`,
        }),
    );
  });
}

describe.skipIf(skip)('istioctl analyze on what the wizard would apply', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'wizard-analyze-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The dry-run's manifest stream for a config file, written next to it. */
  async function dryRun(name: string, config: string): Promise<string> {
    const out = path.join(dir, `${name.replace(/\W+/g, '-')}.manifests.yaml`);
    const r = await runWizard([
      '--dry-run',
      '--yes',
      '-o',
      'yaml',
      '--config',
      config,
      '--state-dir',
      path.join(dir, `${name.replace(/\W+/g, '-')}.state`),
    ]);
    expect(r.code, `dry-run of ${name}: ${r.stderr.slice(-2000)}`).toBe(0);
    expect(r.stdout).toMatch(/^kind: Gateway$/m);
    await writeFile(out, r.stdout);
    return out;
  }

  const configs = async (): Promise<[string, string][]> => {
    const written: [string, string][] = [['bundled example', path.join(REPO, 'assets/wizard.example.yaml')]];
    for (const [name, text] of Object.entries(stackConfigs('registry.local:5000/python-flask-server:v2'))) {
      const file = path.join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
      await writeFile(file, text);
      written.push([name, file]);
    }
    return written;
  };

  it('reports no issue for the bundled example and every stack test config', async () => {
    const all = await configs();
    expect(all.length).toBeGreaterThan(1);
    for (const [name, file] of all) {
      const manifests = await dryRun(name, file);
      const a = await analyze([manifests]);
      process.stderr.write(`[stack/features analyze] ${name}: ${a.out.trim().split('\n')[0]}\n`);
      expect(a.out, `istioctl analyze on the dry-run of ${name}`).toMatch(/No validation issues found/);
      expect(a.code, a.out).toBe(0);
    }
  }, 300_000);

  it('control: a VirtualService bound to a Gateway that does not exist is reported (IST0101)', async () => {
    const manifests = await dryRun('example for the control', path.join(REPO, 'assets/wizard.example.yaml'));
    const broken = (await readFile(manifests, 'utf8')).replace(/- flask-gateway$/m, '- no-such-gateway');
    expect(broken).toContain('no-such-gateway');
    const file = path.join(dir, 'broken.yaml');
    await writeFile(file, broken);
    const a = await analyze([file]);
    expect(a.out).toMatch(/IST0101/);
    expect(a.code).not.toBe(0);
  }, 120_000);

  it("control: a hand-made Gateway on the wizard Gateway's selector, port and host is IST0145", async () => {
    const manifests = await dryRun('example for IST0145', path.join(REPO, 'assets/wizard.example.yaml'));
    const handMade = path.join(dir, 'hand-made.yaml');
    await writeFile(
      handMade,
      `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: hand-made
  namespace: legacy
spec:
  selector:
    istio: ingressgateway
  servers:
    - port: { number: 443, name: https, protocol: HTTPS }
      hosts: [flask.example1.com]
      tls: { mode: SIMPLE, credentialName: legacy-cert }
`,
    );
    const a = await analyze([manifests, handMade]);
    expect(a.out).toMatch(/IST0145/);
    expect(a.out).toMatch(/hand-made/);
  }, 120_000);
});
