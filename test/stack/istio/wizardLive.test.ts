// The built `wizard` binary, as a user runs it, against a real API server with a real istiod and a real Envoy
// gateway (istio.ts): its own verify must pass on the real data plane — SIMPLE and MUTUAL HTTPS hosts each with its
// own certificate, an HTTP host, the negatives (HTTP to an HTTPS-only host, HTTPS to the HTTP host, a MUTUAL host
// without a client certificate, an unknown host). Then a second config that claims one of those hosts is stopped
// by preflight naming both Gateways, and the first setup keeps serving with its own certificate. istioctl analyze
// (built here) on the live cluster reports nothing above Info.
//
// Still a stand-in here, until the real node lands: no kubelet runs the Deployments (--skip-build --no-wait); the
// Flask processes they would run are started on the host end of the gateway's veth pair, with the pod objects and
// the EndpointSlice the kubelet and the EndpointSlice controller would have written (backends.ts).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster } from '../../../src/io/kube/connect.js';
import type { LiveCluster } from '../../../src/io/kube/live.js';
import type { K8sObject } from '../../../src/manifests/types.js';
import { type ControlPlane, ensureBinaries, startControlPlane } from '../../control-plane/controlPlane.js';
import { runWizard } from '../../support/cli.js';
import type { RunningApp } from '../../support/flaskApp.js';
import { backendPod, endpointSlice, startFlaskOn } from './backends.js';
import { ensureIstioBinaries, type Istio, startIstio } from './istio.js';

const cpBins = await ensureBinaries();
const istioBins = 'skip' in cpBins ? cpBins : await ensureIstioBinaries();
const skipReason = 'skip' in cpBins ? cpBins.skip : 'skip' in istioBins ? istioBins.skip : undefined;
if (skipReason)
  process.stderr.write(`\n*** SKIPPED: wizard on real istiod + Envoy (test/stack/istio): ${skipReason}\n\n`);

const execFileP = promisify(execFile);
const report = (line: string) => process.stderr.write(`[stack/istio wizard] ${line}\n`);

const CONFIG_A = `namespace: default
app: flask
image: python-flask-server:v2
versions:
  - name: v1
  - name: v2
gateway:
  name: flask-gateway
  selector: { istio: ingressgateway }
  workloadNamespace: istio-system
hosts:
  - name: flask.example1.com
    protocol: HTTPS
    tls: { mode: SIMPLE }
    route: v2
  - name: flask.example2.com
    protocol: HTTPS
    tls: { mode: MUTUAL }
    route: v1
  - name: flask.example3.com
    protocol: HTTP
    route: v1
`;

/** Another setup (own namespace, same Gateway name) that also claims flask.example1.com. */
const CONFIG_B = `namespace: second
app: flask
image: python-flask-server:v2
versions:
  - name: v1
gateway:
  name: flask-gateway
  selector: { istio: ingressgateway }
  workloadNamespace: istio-system
hosts:
  - name: flask.example1.com
    protocol: HTTPS
    tls: { mode: SIMPLE }
    route: v1
# Pinned: the run without preflight cannot resolve auto.
istio:
  apiVersion: networking.istio.io/v1
`;

async function apply(cluster: LiveCluster, obj: K8sObject): Promise<void> {
  await cluster.request({
    method: 'PATCH',
    path: await cluster.resources.path({
      ...obj,
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
    }),
    query: { fieldManager: 'stack-backends', force: 'true' },
    body: obj,
    contentType: 'application/apply-patch+yaml',
    what: `apply ${obj.kind}/${obj.metadata.name}`,
  });
}

/** verify's result lines (`✓ …` / `✗ …`), without the `[9/9] verify: ` prefix a full run puts before them. */
const checkLines = (stderr: string) =>
  stderr
    .split('\n')
    .map((l) => l.replace(/^\[\d+\/\d+\] verify: /, '').trim())
    .filter((l) => /^[✓✗] /.test(l));

describe.skipIf(skipReason)('wizard on a real istiod + Envoy gateway', () => {
  let cp: ControlPlane;
  let istio: Istio;
  let cluster: LiveCluster;
  let dir: string;
  const apps: RunningApp[] = [];
  const wizard = (config: string, state: string, ...extra: string[]) =>
    runWizard(
      ['--config', config, '--yes', '--kubeconfig', cp.adminKubeconfig, '--state-dir', state, ...extra],
      { timeoutMs: 300_000 },
    );

  beforeAll(async () => {
    if ('skip' in cpBins || 'skip' in istioBins) return;
    dir = await mkdtemp(path.join(tmpdir(), 'wizard-stack-live-'));
    cp = await startControlPlane({ binaries: cpBins });
    istio = await startIstio({
      adminKubeconfig: cp.adminKubeconfig,
      dir,
      binaries: istioBins,
      backendAddresses: 2,
      // As on most real clusters, the Gateway API CRDs are there too (istiod then runs its Gateway API controller).
      gatewayApi: true,
    });
    cluster = await connectCluster({ kubeconfig: cp.adminKubeconfig });
    const pods: { name: string; ip: string }[] = [];
    for (const [i, v] of ['v1', 'v2'].entries()) {
      const ip = istio.backendAddresses[i] as string;
      apps.push(await startFlaskOn(ip, v, 8080));
      const name = `flask-${v}-stack`;
      const { pod, status } = backendPod(
        'default',
        name,
        { app: 'flask', version: v },
        ip,
        istio.hostAddress,
      );
      await apply(cluster, pod);
      await cluster.request({
        method: 'PATCH',
        path: `/api/v1/namespaces/default/pods/${name}/status`,
        body: { status },
        contentType: 'application/merge-patch+json',
        what: `status of ${name}`,
      });
      pods.push({ name, ip });
    }
    await apply(cluster, endpointSlice('default', 'flask', 8080, pods));
    await writeFile(path.join(dir, 'a.yaml'), CONFIG_A);
    await writeFile(path.join(dir, 'b.yaml'), CONFIG_B);
  }, 30 * 60_000);

  afterAll(async () => {
    cluster?.close();
    await istio?.stop();
    for (const a of apps) await a.stop();
    await cp?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('`wizard --yes` sets the config up and its own verify passes on the real gateway, MUTUAL refusal included', async () => {
    const r = await wizard(path.join(dir, 'a.yaml'), path.join(dir, 'state-a'), '--skip-build', '--no-wait');
    const checks = checkLines(r.stderr);
    report(`wizard --yes: exit ${r.code} in ${r.ms} ms\n  ${checks.join('\n  ')}`);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(r.stderr).toContain(`gateway address: ${istio.gatewayAddress} (LoadBalancer)`);
    expect(checks.length, r.stderr.slice(-3000)).toBeGreaterThanOrEqual(6);
    expect(checks.every((l) => l.startsWith('✓'))).toBe(true);
    expect(r.stderr).toContain(`all ${checks.length} checks passed`);
  });

  it('istioctl analyze (the one built here) on the live cluster after the apply reports nothing above Info', async () => {
    const { istioctl } = istioBins as { istioctl: string };
    const r = await execFileP(istioctl, ['analyze', '--kubeconfig', cp.adminKubeconfig, '--all-namespaces'], {
      timeout: 120_000,
    });
    const text = `${r.stdout}${r.stderr}`;
    report(`istioctl analyze --all-namespaces:\n${text.trim()}`);
    expect(text).not.toMatch(/^(Warning|Error) \[IST\d+\]/m);
  });

  it('`wizard verify` again: every check passes at the first attempt (a real refusal is recognised at once)', async () => {
    const r = await runWizard(
      [
        'verify',
        '--config',
        path.join(dir, 'a.yaml'),
        '--kubeconfig',
        cp.adminKubeconfig,
        '--state-dir',
        path.join(dir, 'state-a'),
      ],
      { timeoutMs: 300_000 },
    );
    const checks = checkLines(r.stderr);
    report(`wizard verify: exit ${r.code} in ${r.ms} ms\n  ${checks.join('\n  ')}`);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(checks.every((l) => / \(1 attempt, \d+ ms\)$/.test(l))).toBe(true);
  });

  it('a second config claiming flask.example1.com stops at preflight naming both Gateways (at load-certs without preflight); the first keeps serving', async () => {
    const secret = async () =>
      (
        (await cluster.get({
          apiVersion: 'v1',
          kind: 'Secret',
          namespace: 'istio-system',
          name: 'flask-example1-com-tls',
        })) as { metadata: { resourceVersion?: string } } | undefined
      )?.metadata.resourceVersion;
    const before = await secret();
    const r = await wizard(path.join(dir, 'b.yaml'), path.join(dir, 'state-b'), '--skip-build', '--no-wait');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "FAIL  host flask.example1.com is already served by the wizard's Gateway default/flask-gateway; this config's Gateway second/flask-gateway claims it too",
    );
    expect(r.stderr).toContain(
      'FAIL  Secret/istio-system/flask-example1-com-tls is the certificate of Gateway/default/flask-gateway (another wizard setup)',
    );
    expect(r.stderr).toContain('nothing was written');
    expect(await secret()).toBe(before);
    expect(
      await cluster.get({
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        namespace: 'second',
        name: 'flask-gateway',
      }),
    ).toBeUndefined();
    // Preflight skipped: load-certs itself refuses to overwrite the other setup's certificate.
    const skipped = await wizard(
      path.join(dir, 'b.yaml'),
      path.join(dir, 'state-b'),
      '--skip',
      'preflight',
      '--skip-build',
      '--no-wait',
    );
    expect(skipped.code, skipped.stderr.slice(-2000)).toBe(1);
    expect(skipped.stderr).toContain(
      'load-certs: Secret istio-system/flask-example1-com-tls is the certificate of Gateway/default/flask-gateway (another wizard setup); nothing was overwritten',
    );
    expect(await secret()).toBe(before);
    const down = await runWizard(
      [
        'teardown',
        '--config',
        path.join(dir, 'b.yaml'),
        '--yes',
        '--kubeconfig',
        cp.adminKubeconfig,
        '--state-dir',
        path.join(dir, 'state-b'),
      ],
      { timeoutMs: 120_000 },
    );
    expect(down.code, down.stderr.slice(-2000)).toBe(0);
    expect(await secret()).toBe(before);
    const again = await runWizard(
      [
        'verify',
        '--config',
        path.join(dir, 'a.yaml'),
        '--kubeconfig',
        cp.adminKubeconfig,
        '--state-dir',
        path.join(dir, 'state-a'),
      ],
      { timeoutMs: 300_000 },
    );
    expect(again.code, again.stderr.slice(-2000)).toBe(0);
  });
});
