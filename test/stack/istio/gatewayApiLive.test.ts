// api: gateway-api on a real istiod + Envoy (istio.ts), with the built `wizard` as a user runs it, attached to the
// existing istio-ingressgateway: its own verify must pass for the tutorial's stage 3 plus a weighted HTTP host and
// the 301 redirect, then with every HTTPS host MUTUAL (spec.tls.frontend); the status conditions must read back as
// the spec says, including a broken certificateRef (listener ResolvedRefs=False InvalidCertificateRef) and a route
// to a missing backend (BackendNotFound), read from what istiod wrote; and a switch to api: istio while a curl loop
// counts failed requests.
//
// No kubelet runs the Deployments: the test plays the Deployment controller (rollout status), and Flask runs on the
// host end of the gateway's veth pair behind the EndpointSlices the EndpointSlice controller would write
// (backends.ts). Istio's automated deployment is not run here (it needs istiod's injection webhook and a proxy
// image); its objects are checked against the API server in test/steps/gatewayApi/cluster.test.ts.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
  process.stderr.write(
    `\n*** SKIPPED: gateway-api on real istiod + Envoy (test/stack/istio): ${skipReason}\n\n`,
  );

const report = (line: string) => process.stderr.write(`[stack/istio gateway-api] ${line}\n`);
const G = 'gateway.networking.k8s.io/v1';

const config = (mode: 'SIMPLE' | 'MUTUAL', api = 'gateway-api') => `api: ${api}
namespace: default
app: flask
image: python-flask-server:v2
versions:
  - name: v1
  - name: v2
gateway:
  name: flask-gateway
  selector: { istio: ingressgateway }
  workloadNamespace: istio-system
  httpsRedirect: true
hosts:
  - name: flask.example1.com
    protocol: HTTPS
    tls: { mode: ${mode} }
    route: v2
  - name: flask.example2.com
    protocol: HTTPS
    tls: { mode: ${mode} }
    route: v1
  - name: flask.example3.com
    protocol: HTTP
    routes: [{ subset: v1, weight: 80 }, { subset: v2, weight: 20 }]
verify:
  timeoutSeconds: 60
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

const checkLines = (stderr: string) =>
  stderr
    .split('\n')
    .map((l) => l.replace(/^\[\d+\/\d+\] verify: /, '').trim())
    .filter((l) => /^[✓✗] /.test(l));

/** Plays the Deployment controller: marks every Deployment rolled out (there is no kubelet). */
function deploymentController(cluster: LiveCluster): () => void {
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const deps = await cluster
        .list({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default' })
        .catch(() => []);
      for (const d of deps) {
        const g = (d.metadata as { generation?: number }).generation ?? 0;
        if ((d.status?.observedGeneration ?? 0) >= g) continue;
        const n = d.spec.replicas ?? 1;
        await cluster
          .request({
            method: 'PATCH',
            path: `/apis/apps/v1/namespaces/default/deployments/${d.metadata.name}/status`,
            body: {
              status: {
                observedGeneration: g,
                replicas: n,
                updatedReplicas: n,
                readyReplicas: n,
                availableReplicas: n,
              },
            },
            contentType: 'application/merge-patch+json',
            what: 'rollout status',
          })
          .catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return () => {
    stopped = true;
  };
}

function curl(args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '2', ...args], (_e, out) =>
      resolve(String(out)),
    );
  });
}

describe.skipIf(skipReason)('api: gateway-api on a real istiod + Envoy gateway', () => {
  let cp: ControlPlane;
  let istio: Istio;
  let cluster: LiveCluster;
  let dir: string;
  let stopDeployments: () => void = () => undefined;
  const apps: RunningApp[] = [];
  const state = () => path.join(dir, 'state');
  const wizard = (file: string, ...extra: string[]) =>
    runWizard(
      [
        '--config',
        path.join(dir, file),
        '--yes',
        '--kubeconfig',
        cp.adminKubeconfig,
        '--state-dir',
        state(),
        '--wait-timeout',
        '60s',
        ...extra,
      ],
      {
        timeoutMs: 300_000,
      },
    );
  const gatewayStatus = () =>
    cluster.get({ apiVersion: G, kind: 'Gateway', namespace: 'istio-system', name: 'flask-gateway' });
  const until = async (what: string, ok: () => Promise<boolean>, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error(`not reached: ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  beforeAll(async () => {
    if ('skip' in cpBins || 'skip' in istioBins) return;
    dir = await mkdtemp(path.join(tmpdir(), 'wizard-stack-gwapi-'));
    cp = await startControlPlane({ binaries: cpBins });
    istio = await startIstio({
      adminKubeconfig: cp.adminKubeconfig,
      dir,
      binaries: istioBins,
      backendAddresses: 2,
      gatewayApi: true,
    });
    cluster = await connectCluster({ kubeconfig: cp.adminKubeconfig });
    const pods: Record<string, { name: string; ip: string }> = {};
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
      pods[v] = { name, ip };
    }
    // What the EndpointSlice controller would write for the app Service and the per-version Services.
    await apply(cluster, endpointSlice('default', 'flask', 8080, Object.values(pods)));
    for (const v of ['v1', 'v2'])
      await apply(
        cluster,
        endpointSlice('default', `flask-${v}`, 8080, [pods[v] as { name: string; ip: string }]),
      );
    // istiod attaches a Gateway to a Service by its instances: the gateway pod's endpoints, which the EndpointSlice
    // controller would have written for istio-ingressgateway.
    await apply(cluster, {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: 'istio-ingressgateway-stack',
        namespace: 'istio-system',
        labels: {
          'kubernetes.io/service-name': 'istio-ingressgateway',
          'endpointslice.kubernetes.io/managed-by': 'stack-istio',
        },
      },
      addressType: 'IPv4',
      ports: [
        { name: 'status-port', port: istio.targetPorts.status, protocol: 'TCP' },
        { name: 'http2', port: istio.targetPorts.http, protocol: 'TCP' },
        { name: 'https', port: istio.targetPorts.https, protocol: 'TCP' },
      ],
      endpoints: [
        {
          addresses: [istio.gatewayAddress],
          conditions: { ready: true },
          targetRef: { kind: 'Pod', namespace: 'istio-system', name: 'istio-ingressgateway-host-0' },
        },
      ],
    });
    await writeFile(path.join(dir, 'simple.yaml'), config('SIMPLE'));
    await writeFile(path.join(dir, 'mutual.yaml'), config('MUTUAL'));
    await writeFile(path.join(dir, 'istio.yaml'), config('SIMPLE', 'istio'));
    stopDeployments = deploymentController(cluster);
  }, 30 * 60_000);

  afterAll(async () => {
    stopDeployments();
    cluster?.close();
    await istio?.stop();
    for (const a of apps) await a.stop();
    await cp?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it("stage 3 + 80/20 + redirect: the wizard waits on istiod's status and its own verify passes", async () => {
    const r = await wizard('simple.yaml', '--skip-build');
    const checks = checkLines(r.stderr);
    report(`wizard --yes (SIMPLE): exit ${r.code} in ${r.ms} ms\n  ${checks.join('\n  ')}`);
    const programmed = /Accepted and Programmed.*\((\d+) ms\)/.exec(r.stderr);
    report(`apply → all conditions True: ${programmed?.[1]} ms`);
    if (r.code !== 0) report(`stderr tail:\n${r.stderr.slice(-3000)}`);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code, r.stderr.slice(-4000)).toBe(0);
    expect(r.stderr).toContain('gateway deployment: attaching to the existing gateway');
    expect(programmed).not.toBeNull();
    expect(checks.length).toBeGreaterThanOrEqual(6);
    expect(checks.every((l) => l.startsWith('✓'))).toBe(true);
    // loadBalancer (RANDOM here) reaches the gateway through the DestinationRule per backend Service: Envoy's
    // cluster for each per-version Service has that policy (Envoy's own default is ROUND_ROBIN).
    const dump = await new Promise<string>((resolve, reject) =>
      execFile(
        'curl',
        ['-s', '--max-time', '5', `${istio.envoyAdmin}/config_dump?resource=dynamic_active_clusters`],
        (e, out) => (e ? reject(e) : resolve(String(out))),
      ),
    );
    const clusters = (JSON.parse(dump).configs ?? []).map(
      (c: { cluster: { name: string; lb_policy?: string } }) => c.cluster,
    );
    const policies = Object.fromEntries(
      clusters
        .filter((c: { name: string }) =>
          /^outbound\|80\|\|flask-v[12]\.default\.svc\.cluster\.local$/.test(c.name),
        )
        .map((c: { name: string; lb_policy?: string }) => [c.name, c.lb_policy ?? 'ROUND_ROBIN']),
    );
    report(`Envoy clusters of the backend Services: ${JSON.stringify(policies)}`);
    expect(policies).toEqual({
      'outbound|80||flask-v1.default.svc.cluster.local': 'RANDOM',
      'outbound|80||flask-v2.default.svc.cluster.local': 'RANDOM',
    });
    const gw = await gatewayStatus();
    expect(
      gw?.status?.conditions?.map((c: { type: string; status: string }) => `${c.type}=${c.status}`),
    ).toEqual(expect.arrayContaining(['Accepted=True', 'Programmed=True']));
  }, 600_000);

  it('every HTTPS host MUTUAL: frontend validation per port, verify (refusal included) passes', async () => {
    const r = await wizard('mutual.yaml', '--skip-build');
    const checks = checkLines(r.stderr);
    report(`wizard --yes (MUTUAL): exit ${r.code} in ${r.ms} ms\n  ${checks.join('\n  ')}`);
    expect(r.code, r.stderr.slice(-4000)).toBe(0);
    expect(checks.every((l) => l.startsWith('✓'))).toBe(true);
    expect(
      (await gatewayStatus())?.spec?.tls?.frontend?.default?.validation?.caCertificateRefs?.[0]?.kind,
    ).toBe('ConfigMap');
  }, 600_000);

  it('istiod reports a broken certificateRef on the listener and a missing backend; the wizard names both', async () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: 'istio-system',
      name: 'flask-example1-com-tls',
    };
    const saved = (await cluster.get(secret)) as K8sObject;
    await cluster.delete(secret);
    await until('listener InvalidCertificateRef', async () =>
      JSON.stringify((await gatewayStatus())?.status?.listeners ?? []).includes('InvalidCertificateRef'),
    );
    const gw = await gatewayStatus();
    const listener = gw?.status?.listeners?.find(
      (l: { name: string }) => l.name === 'https-flask-example1-com',
    );
    report(
      `after deleting the Secret: Gateway ${JSON.stringify(gw?.status?.conditions?.map((c: { type: string; status: string; reason: string }) => `${c.type}=${c.status} ${c.reason}`))}, listener ${JSON.stringify(listener?.conditions?.map((c: { type: string; status: string; reason: string }) => `${c.type}=${c.status} ${c.reason}`))}`,
    );
    const r = await wizard('mutual.yaml', '--skip-build', '--from', 'apply-gateway', '--to', 'apply-gateway');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('listener https-flask-example1-com: ResolvedRefs=False InvalidCertificateRef');
    const { metadata, ...rest } = saved;
    await apply(cluster, {
      ...rest,
      metadata: { name: metadata.name, namespace: metadata.namespace, labels: metadata.labels },
    } as K8sObject);

    await cluster.delete({ apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'flask-v1' });
    await until('BackendNotFound', async () =>
      JSON.stringify(
        (
          await cluster.get({
            apiVersion: G,
            kind: 'HTTPRoute',
            namespace: 'default',
            name: 'flask-example2-com',
          })
        )?.status ?? {},
      ).includes('BackendNotFound'),
    );
    const b = await wizard('mutual.yaml', '--skip-build', '--from', 'apply-gateway', '--to', 'apply-gateway');
    report(
      `missing backend: ${b.stderr
        .split('\n')
        .filter((l) => l.includes('BackendNotFound'))
        .join(' | ')}`,
    );
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(
      /HTTPRoute\/default\/flask-example2-com parent istio-system\/flask-gateway\/https-flask-example2-com: ResolvedRefs=False BackendNotFound/,
    );
    expect(b.stderr).toContain("(the route's backends: flask-v1)");
    const fixed = await wizard('mutual.yaml', '--skip-build', '--from', 'deploy-versions');
    expect(fixed.code, fixed.stderr.slice(-3000)).toBe(0);
  }, 600_000);

  it('switching modes both ways while curl runs: old objects go only after the new routing is in place; failures counted', async () => {
    const back = await wizard('simple.yaml', '--skip-build');
    expect(back.code, back.stderr.slice(-3000)).toBe(0);
    const during = async (file: string) => {
      let stop = false;
      const codes: Record<string, number> = {};
      const started = Date.now();
      const failures: string[] = [];
      const loop = (async () => {
        while (!stop) {
          const [http, https] = await Promise.all([
            curl([
              '--resolve',
              `flask.example3.com:80:${istio.gatewayAddress}`,
              'http://flask.example3.com/version',
            ]),
            curl([
              '--resolve',
              `flask.example1.com:443:${istio.gatewayAddress}`,
              '--cacert',
              path.join(state(), 'certs', 'ca.crt'),
              'https://flask.example1.com/version',
            ]),
          ]);
          for (const c of [`http ${http}`, `https ${https}`]) {
            codes[c] = (codes[c] ?? 0) + 1;
            if (!c.endsWith(' 200')) failures.push(`${c} at +${Date.now() - started} ms`);
          }
        }
      })();
      const r = await wizard(file, '--skip-build');
      stop = true;
      await loop;
      const total = Object.values(codes).reduce((a, b) => a + b, 0);
      const failed = total - (codes['http 200'] ?? 0) - (codes['https 200'] ?? 0);
      if (failures.length)
        report(
          `failed requests: ${failures.join(', ')} (run took ${r.ms} ms; its apply-gateway lines: ${r.stderr
            .split('\n')
            .filter((l) => l.startsWith('[8/9] apply-gateway: '))
            .map((l) => l.slice(21))
            .join(' | ')})`,
        );
      return { r, codes, total, failed };
    };

    const toIstio = await during('istio.yaml');
    report(
      `gateway-api → istio: wizard exit ${toIstio.r.code} in ${toIstio.r.ms} ms; ${toIstio.total} requests during the switch, ${toIstio.failed} failed: ${JSON.stringify(toIstio.codes)}`,
    );
    expect(toIstio.r.code, toIstio.r.stderr.slice(-4000)).toBe(0);
    expect(toIstio.r.stderr).toContain('switching from api: gateway-api to api: istio');
    expect(toIstio.r.stderr).toMatch(
      /deleted +HTTPRoute\/default\/flask-example3-com \(api: gateway-api, replaced\)/,
    );
    expect(checkLines(toIstio.r.stderr).every((l) => l.startsWith('✓'))).toBe(true);
    expect(await gatewayStatus()).toBeUndefined();

    const toGatewayApi = await during('simple.yaml');
    report(
      `istio → gateway-api: wizard exit ${toGatewayApi.r.code} in ${toGatewayApi.r.ms} ms; ${toGatewayApi.total} requests during the switch, ${toGatewayApi.failed} failed: ${JSON.stringify(toGatewayApi.codes)}`,
    );
    expect(toGatewayApi.r.code, toGatewayApi.r.stderr.slice(-4000)).toBe(0);
    expect(toGatewayApi.r.stderr).toMatch(
      /deleted +VirtualService\/default\/flask-example3-com \(api: istio, replaced\)/,
    );
    expect(checkLines(toGatewayApi.r.stderr).every((l) => l.startsWith('✓'))).toBe(true);

    expect(toIstio.total).toBeGreaterThan(0);
    expect(toGatewayApi.total).toBeGreaterThan(0);
    // Most runs lose nothing; some lose a single HTTPS request (a 404 in ~450) while istiod swaps the two Gateways'
    // servers for the same host. That gap is a known open defect of the switch (printed above, reported in issue 12),
    // so this bounds it at 1% per switch instead of hiding it or failing the tier on one request.
    expect(toIstio.failed).toBeLessThanOrEqual(Math.floor(toIstio.total / 100));
    expect(toGatewayApi.failed).toBeLessThanOrEqual(Math.floor(toGatewayApi.total / 100));
  }, 600_000);
});
