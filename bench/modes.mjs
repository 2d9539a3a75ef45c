#!/usr/bin/env node
// api: istio vs api: gateway-api on a real istiod + Envoy (test/stack/istio): for one HTTP host, the time from the
// start of applying the routing objects to `Programmed` (gateway-api: the Gateway Programmed and the route Accepted
// with resolved refs, read from istiod's status; the Istio API has no such status) and to the first correct answer
// (curl through the gateway returning the routed version), side by side, ROUNDS rounds alternating the modes.
// Baseline in the same process: one curl round trip through the same gateway to a host it does not serve (404).
//   node bench/modes.mjs [--rounds N]      (default 5; needs root, Go and python3, like test/stack/istio)
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importTs } from './lib/importTs.mjs';

const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 5;

const entry = `
export { connectCluster } from './src/io/kube/connect.ts';
export { buildManifests } from './src/manifests/index.ts';
export { defaultConfig } from './src/config/defaults.ts';
export { judgeStatus } from './src/steps/gatewayApi/status.ts';
export { ensureBinaries, startControlPlane } from './test/control-plane/controlPlane.ts';
export { ensureIstioBinaries, startIstio } from './test/stack/istio/istio.ts';
export { backendPod, endpointSlice, startFlaskOn } from './test/stack/istio/backends.ts';
`;

const curl = (args) =>
  new Promise((resolve) =>
    execFile('curl', ['-s', '--max-time', '2', '-w', '\\n%{http_code}', ...args], (_e, out) => {
      const lines = String(out).trim().split('\n');
      resolve({ code: lines.at(-1), body: lines.slice(0, -1).join('\n') });
    }),
  );
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = await mkdtemp(path.join(tmpdir(), 'bench-modes-'));
let cp;
let istio;
const apps = [];
let cleanup;
try {
  const bundle = await importTs(entry, 'modes');
  cleanup = bundle.cleanup;
  const m = bundle.m;
  const cpBins = await m.ensureBinaries();
  const istioBins = 'skip' in cpBins ? cpBins : await m.ensureIstioBinaries();
  if ('skip' in cpBins || 'skip' in istioBins) {
    console.error(`SKIPPED bench/modes.mjs: ${cpBins.skip ?? istioBins.skip}`);
    process.exit(0);
  }
  console.error('starting kube-apiserver + etcd, istiod, Envoy …');
  cp = await m.startControlPlane({ binaries: cpBins });
  istio = await m.startIstio({
    adminKubeconfig: cp.adminKubeconfig,
    dir,
    binaries: istioBins,
    backendAddresses: 2,
    gatewayApi: true,
  });
  const cluster = await m.connectCluster({ kubeconfig: cp.adminKubeconfig });
  const apply = async (obj) =>
    cluster.request({
      method: 'PATCH',
      path: await cluster.resources.path({
        ...obj,
        name: obj.metadata.name,
        namespace: obj.metadata.namespace,
      }),
      query: { fieldManager: 'bench', force: 'true' },
      body: obj,
      contentType: 'application/apply-patch+yaml',
      what: `apply ${obj.kind}/${obj.metadata.name}`,
    });
  const pods = {};
  for (const [i, v] of ['v1', 'v2'].entries()) {
    const ip = istio.backendAddresses[i];
    apps.push(await m.startFlaskOn(ip, v, 8080));
    const name = `flask-${v}-bench`;
    const { pod, status } = m.backendPod(
      'default',
      name,
      { app: 'flask', version: v },
      ip,
      istio.hostAddress,
    );
    await apply(pod);
    await cluster.request({
      method: 'PATCH',
      path: `/api/v1/namespaces/default/pods/${name}/status`,
      body: { status },
      contentType: 'application/merge-patch+json',
      what: 'pod status',
    });
    pods[v] = { name, ip };
  }
  await apply(m.endpointSlice('default', 'flask', 8080, Object.values(pods)));
  for (const v of ['v1', 'v2']) await apply(m.endpointSlice('default', `flask-${v}`, 8080, [pods[v]]));
  await apply({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: 'istio-ingressgateway-bench',
      namespace: 'istio-system',
      labels: { 'kubernetes.io/service-name': 'istio-ingressgateway' },
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

  const host = 'bench.example.com';
  const get = () => curl(['--resolve', `${host}:80:${istio.gatewayAddress}`, `http://${host}/version`]);
  const ROUTING = new Set(['Gateway', 'VirtualService', 'HTTPRoute']);
  const plan = (api) => {
    const c = m.defaultConfig();
    c.api = api;
    c.hosts = [{ name: host, protocol: 'HTTP', routes: [{ subset: 'v2', weight: 100 }] }];
    return m.buildManifests(c, { apiVersion: 'networking.istio.io/v1' });
  };
  // Everything but the routing, for both modes, applied once (Deployments have no kubelet here and do not matter).
  for (const api of ['istio', 'gateway-api'])
    for (const o of plan(api)) if (!ROUTING.has(o.kind) && o.kind !== 'Deployment') await apply(o);

  const baseline = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await curl(['--resolve', `unknown.invalid:80:${istio.gatewayAddress}`, 'http://unknown.invalid/']);
    baseline.push(performance.now() - t);
  }
  const results = { istio: { programmed: [], answer: [] }, 'gateway-api': { programmed: [], answer: [] } };
  for (let round = 0; round < ROUNDS; round++) {
    for (const api of ['istio', 'gateway-api']) {
      const routing = plan(api).filter((o) => ROUTING.has(o.kind));
      const t0 = performance.now();
      for (const o of routing) await apply(o);
      let programmedAt;
      let answeredAt;
      const deadline = Date.now() + 30_000;
      while (
        (answeredAt === undefined || (api === 'gateway-api' && programmedAt === undefined)) &&
        Date.now() < deadline
      ) {
        if (answeredAt === undefined) {
          const r = await get();
          if (r.code === '200' && r.body.includes('v2')) answeredAt = performance.now() - t0;
        }
        if (api === 'gateway-api' && programmedAt === undefined) {
          const objs = await Promise.all(
            routing.map((o) =>
              cluster.get({
                apiVersion: o.apiVersion,
                kind: o.kind,
                namespace: o.metadata.namespace,
                name: o.metadata.name,
              }),
            ),
          );
          const gw = objs.find((o) => o?.kind === 'Gateway');
          const routes = objs.filter((o) => o?.kind === 'HTTPRoute');
          if (m.judgeStatus(gw, routes, { gateway: 'gw', routes: routes.map((r) => r.metadata.name) }).ready)
            programmedAt = performance.now() - t0;
        }
      }
      results[api].answer.push(answeredAt ?? Number.NaN);
      if (programmedAt !== undefined) results[api].programmed.push(programmedAt);
      // Remove the routing and wait until the gateway no longer serves the host, so the next round starts clean.
      for (const o of [...routing].reverse())
        await cluster.delete({
          apiVersion: o.apiVersion,
          kind: o.kind,
          namespace: o.metadata.namespace,
          name: o.metadata.name,
        });
      for (let i = 0; i < 300 && (await get()).code === '200'; i++)
        await new Promise((r) => setTimeout(r, 50));
    }
  }
  cluster.close();
  const fmt = (xs) =>
    xs.length
      ? `${Math.round(median(xs))} ms (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`
      : '—';
  const rows = ['istio', 'gateway-api'].map((api) => ({
    mode: api,
    'apply → Programmed (median, range)':
      api === 'istio' ? '— (no status in the Istio API)' : fmt(results[api].programmed),
    'apply → first correct answer (median, range)': fmt(results[api].answer),
    rounds: ROUNDS,
  }));
  rows.push({
    mode: 'baseline',
    'apply → Programmed (median, range)': '',
    'apply → first correct answer (median, range)': `one curl round trip (404): ${fmt(baseline)}`,
    rounds: 5,
  });
  const cols = Object.keys(rows[0]);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(width[i])).join('  ');
  console.log(line(cols));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(cols.map((c) => r[c])));
  console.log(`\nnode ${process.version}, ${new Date().toISOString()}`);
} finally {
  for (const a of apps) await a.stop().catch(() => undefined);
  await istio?.stop().catch(() => undefined);
  await cp?.stop().catch(() => undefined);
  await cleanup?.();
  await rm(dir, { recursive: true, force: true });
}
