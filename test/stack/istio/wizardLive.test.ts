// The built `wizard` binary, as a user runs it, on the real stack (stack.ts: a real node, istiod and an Envoy gateway
// pod): its own verify must pass on the real data plane — SIMPLE and MUTUAL HTTPS hosts each with its own
// certificate, an HTTP host, the negatives (HTTP to an HTTPS-only host, HTTPS to the HTTP host, a MUTUAL host
// without a client certificate, an unknown host). Then a second config that claims one of those hosts is stopped
// by preflight naming both Gateways, and the first setup keeps serving with its own certificate. istioctl analyze
// (built here) on the live cluster reports nothing above Info.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { connectCluster } from '../../../src/io/kube/connect.js';
import { pushFlaskImage } from '../engines/engines.js';
import { stackBinaries, stackSkipReason, useStack } from '../stack.js';
import { checkLines, expectOk, wizardOnStack } from '../wizardOnStack.js';

const skipReason = await stackSkipReason('wizard on real istiod + Envoy (test/stack/istio)');
const execFileP = promisify(execFile);
const report = (line: string) => process.stderr.write(`[stack/istio wizard] ${line}\n`);

const CONFIG_A = `namespace: default
app: flask
image: IMAGE
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
build:
  enabled: false
`;

/** Another setup (own namespace, same Gateway name) that also claims flask.example1.com. */
const CONFIG_B = `namespace: second
app: flask
image: IMAGE
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
build:
  enabled: false
`;

describe.skipIf(skipReason)('wizard on a real istiod + Envoy gateway', () => {
  // As on most real clusters, the Gateway API CRDs are there too (istiod then runs its Gateway API controller).
  const stack = useStack({ gatewayApi: true });
  let image = '';
  const setup = (name: 'a' | 'b') => {
    const s = stack();
    return wizardOnStack(s, { name, env: s.env() });
  };
  const a = () => setup('a');
  const b = () => setup('b');
  const config = (text: string) => text.replace('image: IMAGE', `image: ${image}`);
  const secret = async () => {
    const cluster = await connectCluster({ kubeconfig: stack().kubeconfig });
    try {
      const got = (await cluster.get({
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: 'istio-system',
        name: 'flask-example1-com-tls',
      })) as { metadata: { resourceVersion?: string } } | undefined;
      return got?.metadata.resourceVersion;
    } finally {
      cluster.close();
    }
  };

  it('`wizard --yes` sets the config up and its own verify passes on the real gateway, MUTUAL refusal included', async () => {
    image = await pushFlaskImage(stack().engines);
    await a().write(config(CONFIG_A));
    await b().write(config(CONFIG_B));
    const r = await a().run(['--yes']);
    const checks = checkLines(r.stderr);
    report(`wizard --yes: exit ${r.code} in ${r.ms} ms\n  ${checks.join('\n  ')}`);
    expect(r.stderr).not.toMatch(/internal error/);
    expectOk(r);
    expect(r.stderr).toContain(`gateway address: ${stack().gatewayAddress} (LoadBalancer)`);
    expect(checks.length, r.stderr.slice(-3000)).toBeGreaterThanOrEqual(6);
    expect(checks.every((l) => l.startsWith('✓'))).toBe(true);
    expect(r.stderr).toContain(`all ${checks.length} checks passed`);
  });

  it('istioctl analyze (the one built here) on the live cluster after the apply reports nothing above Info', async () => {
    const bins = await stackBinaries();
    if ('skip' in bins) throw new Error(bins.skip);
    const r = await execFileP(
      bins.istio.istioctl,
      ['analyze', '--kubeconfig', stack().kubeconfig, '--all-namespaces'],
      {
        timeout: 120_000,
      },
    );
    const text = `${r.stdout}${r.stderr}`;
    report(`istioctl analyze --all-namespaces:\n${text.trim()}`);
    expect(text).not.toMatch(/^(Warning|Error) \[IST\d+\]/m);
  });

  it('`wizard verify` again: every check passes at the first attempt (a real refusal is recognised at once)', async () => {
    const r = await a().run(['verify']);
    const checks = checkLines(r.stderr);
    report(`wizard verify: exit ${r.code} in ${r.ms} ms\n  ${checks.join('\n  ')}`);
    expectOk(r, 'wizard verify');
    expect(checks.every((l) => / \(1 attempt, \d+ ms\)$/.test(l))).toBe(true);
  });

  it('a second config claiming flask.example1.com stops at preflight naming both Gateways (at load-certs without preflight); the first keeps serving', async () => {
    const before = await secret();
    const r = await b().run(['--yes']);
    expect(r.code, r.stderr.slice(-3000)).toBe(1);
    expect(r.stderr).toContain(
      "FAIL  host flask.example1.com is already served by the wizard's Gateway default/flask-gateway; this config's Gateway second/flask-gateway claims it too",
    );
    expect(r.stderr).toContain(
      'FAIL  Secret/istio-system/flask-example1-com-tls is the certificate of Gateway/default/flask-gateway (another wizard setup)',
    );
    expect(r.stderr).toContain('nothing was written');
    expect(await secret()).toBe(before);
    const cluster = await connectCluster({ kubeconfig: stack().kubeconfig });
    try {
      const gateway = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', namespace: 'second' };
      expect(await cluster.get({ ...gateway, name: 'flask-gateway' })).toBeUndefined();
    } finally {
      cluster.close();
    }
    // Preflight skipped: load-certs itself refuses to overwrite the other setup's certificate.
    const skipped = await b().run(['--yes', '--skip', 'preflight']);
    expect(skipped.code, skipped.stderr.slice(-2000)).toBe(1);
    expect(skipped.stderr).toContain(
      'load-certs: Secret istio-system/flask-example1-com-tls is the certificate of Gateway/default/flask-gateway (another wizard setup); nothing was overwritten',
    );
    expect(await secret()).toBe(before);
    const down = await b().run(['teardown', '--yes']);
    expectOk(down, 'wizard teardown');
    expect(await secret()).toBe(before);
    const again = await a().run(['verify']);
    expectOk(again, 'wizard verify');
  });
});
