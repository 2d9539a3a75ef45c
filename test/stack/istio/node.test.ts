// The real istiod + Envoy gateway on the real node (test/stack/cluster.ts): the gateway is a real pod the kubelet
// runs and marks Ready on its readiness probe (Envoy's status port, answered from the pod's own network namespace
// Envoy joins), and a route through it reaches a real Deployment's pods on the node's bridge.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster } from '../../../src/io/kube/connect.js';
import type { LiveCluster } from '../../../src/io/kube/live.js';
import type { K8sObject } from '../../../src/manifests/types.js';
import {
  type Cluster,
  ensureNodeBinaries,
  HTTPD_IMAGE,
  nodeSkipReason,
  PAUSE_IMAGE,
  startCluster,
} from '../cluster.js';
import { buildStaticImage } from '../node/image.js';
import { ensureIstioBinaries, type Istio, startIstio } from './istio.js';

const execFileP = promisify(execFile);
const nodeBins = nodeSkipReason() ? undefined : await ensureNodeBinaries();
const istioBins = nodeBins && !('skip' in nodeBins) ? await ensureIstioBinaries() : undefined;
const skipReason =
  nodeSkipReason() ??
  (nodeBins && 'skip' in nodeBins ? nodeBins.skip : undefined) ??
  (istioBins && 'skip' in istioBins ? istioBins.skip : undefined);
if (skipReason) process.stderr.write(`\n*** SKIPPED: istiod + Envoy on the real node: ${skipReason}\n\n`);
const report = (line: string) => process.stderr.write(`[stack/istio node] ${line}\n`);

async function apply(cluster: LiveCluster, obj: K8sObject): Promise<void> {
  await cluster.request({
    method: 'PATCH',
    path: await cluster.resources.path({
      ...obj,
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
    }),
    query: { fieldManager: 'stack-istio-node-test', force: 'true' },
    body: obj,
    contentType: 'application/apply-patch+yaml',
    what: `apply ${obj.kind}/${obj.metadata.name}`,
  });
}

describe.skipIf(!!skipReason)('real istiod + Envoy gateway on the real node', () => {
  let node: Cluster;
  let istio: Istio;
  let cluster: LiveCluster;
  let dir: string;

  beforeAll(async () => {
    if (!nodeBins || 'skip' in nodeBins || !istioBins || 'skip' in istioBins) return;
    dir = await mkdtemp(path.join(tmpdir(), 'wizard-stack-istio-node-'));
    node = await startCluster({ binaries: nodeBins });
    await node.importImage(await buildStaticImage({ source: 'httpd', name: HTTPD_IMAGE, workDir: node.dir }));
    const t0 = Date.now();
    istio = await startIstio({
      adminKubeconfig: node.adminKubeconfig,
      dir,
      binaries: istioBins,
      node: { name: node.nodeName, address: node.nodeIP, image: PAUSE_IMAGE },
    });
    report(
      `istiod ready ${istio.timings.istiodReadyMs} ms, Envoy live ${istio.timings.envoyLiveMs} ms; gateway up in ${Date.now() - t0} ms`,
    );
    cluster = await connectCluster({ kubeconfig: node.adminKubeconfig });
  }, 30 * 60_000);

  afterAll(async () => {
    cluster?.close();
    await istio?.stop();
    await node?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 180_000);

  it('the gateway pod is Ready by the kubelet (probe on 15021), and a route reaches a Deployment on the node', async () => {
    const podReady = async () => {
      const pods = await cluster.list({
        apiVersion: 'v1',
        kind: 'Pod',
        namespace: 'istio-system',
        labelSelector: 'istio=ingressgateway',
      });
      return pods.some((p) =>
        (p.status?.conditions ?? []).some(
          (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
        ),
      );
    };
    for (let i = 0; i < 100 && !(await podReady()); i++) await new Promise((r) => setTimeout(r, 200));
    expect(await podReady()).toBe(true);

    await apply(cluster, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'hello', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'hello' } },
        template: {
          metadata: { labels: { app: 'hello' } },
          spec: {
            containers: [
              {
                name: 'httpd',
                image: HTTPD_IMAGE,
                imagePullPolicy: 'Never',
                args: ['8080'],
                env: [{ name: 'MESSAGE', value: 'through-envoy' }],
                ports: [{ containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 },
              },
            ],
          },
        },
      },
    });
    await apply(cluster, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'hello', namespace: 'default' },
      spec: { selector: { app: 'hello' }, ports: [{ name: 'http', port: 8080, targetPort: 8080 }] },
    });
    await apply(cluster, {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'hello', namespace: 'default' },
      spec: {
        selector: { istio: 'ingressgateway' },
        servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['n.example.com'] }],
      },
    });
    await apply(cluster, {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'hello', namespace: 'default' },
      spec: {
        hosts: ['n.example.com'],
        gateways: ['hello'],
        http: [
          { route: [{ destination: { host: 'hello.default.svc.cluster.local', port: { number: 8080 } } }] },
        ],
      },
    });
    const t0 = Date.now();
    let body = '';
    for (let i = 0; i < 600 && !body.startsWith('through-envoy'); i++) {
      const r = await execFileP('curl', [
        '--silent',
        '--noproxy',
        '*',
        '--max-time',
        '2',
        '--resolve',
        `n.example.com:80:${istio.gatewayAddress}`,
        'http://n.example.com/',
      ]).catch(() => ({ stdout: '' }));
      body = r.stdout;
      if (!body.startsWith('through-envoy')) await new Promise((r) => setTimeout(r, 100));
    }
    report(
      `Deployment + Gateway + VirtualService applied → first answer through Envoy ${Date.now() - t0} ms`,
    );
    expect(body).toMatch(/^through-envoy hello-/);
  });
});
