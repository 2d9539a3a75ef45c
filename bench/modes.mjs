#!/usr/bin/env node
// api: istio vs api: gateway-api on the whole real stack (test/stack/stack.ts: a real node and kubelet, Flask pods
// from the image pushed to the loopback registry, istiod, the Envoy gateway pod): for one HTTP host, the time from the
// start of applying the routing objects to `Programmed` (gateway-api: the Gateway Programmed and the route Accepted
// with resolved refs, read from istiod's status; the Istio API has no such status) and to the first correct answer
// (curl through the gateway returning the routed version), side by side, ROUNDS rounds alternating the modes.
// Baseline in the same process: one curl round trip through the same gateway to a host it does not serve (404).
//   node bench/modes.mjs [--rounds N]      (default 5; needs what the real-stack tier needs: root, Go, apt)
import { execFile } from 'node:child_process';
import { importTs } from './lib/importTs.mjs';

const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 5;

const entry = `
export { connectCluster } from './src/io/kube/connect.ts';
export { buildManifests } from './src/manifests/index.ts';
export { defaultConfig } from './src/config/defaults.ts';
export { judgeStatus } from './src/steps/gatewayApi/status.ts';
export { stackBinaries, startStack } from './test/stack/stack.ts';
export { pushFlaskImage } from './test/stack/engines/engines.ts';
`;

const curl = (args) =>
  new Promise((resolve) =>
    execFile('curl', ['-s', '--max-time', '2', '-w', '\\n%{http_code}', ...args], (_e, out) => {
      const lines = String(out).trim().split('\n');
      resolve({ code: lines.at(-1), body: lines.slice(0, -1).join('\n').trim() });
    }),
  );
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let stack;
let cleanup;
try {
  const bundle = await importTs(entry, 'modes');
  cleanup = bundle.cleanup;
  const m = bundle.m;
  const bins = await m.stackBinaries();
  if ('skip' in bins) {
    console.error(`SKIPPED bench/modes.mjs: ${bins.skip}`);
    process.exit(0);
  }
  console.error('starting the real stack (node, registry, docker, istiod, the Envoy gateway pod) …');
  stack = await m.startStack({ gatewayApi: true });
  const image = await m.pushFlaskImage(stack.engines);
  const cluster = await m.connectCluster({ kubeconfig: stack.kubeconfig });
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
  const gatewayAddress = stack.gatewayAddress;

  const host = 'bench.example.com';
  const get = () => curl(['--resolve', `${host}:80:${gatewayAddress}`, `http://${host}/version`]);
  const ROUTING = new Set(['Gateway', 'VirtualService', 'HTTPRoute']);
  const plan = (api) => {
    const c = m.defaultConfig();
    c.api = api;
    c.image = image;
    c.hosts = [{ name: host, protocol: 'HTTP', routes: [{ subset: 'v2', weight: 100 }] }];
    return m.buildManifests(c, { apiVersion: 'networking.istio.io/v1' });
  };
  // Everything but the routing, for both modes, applied once: the Deployments run real Flask pods from the pushed
  // image, the per-version Services get their endpoints from the real EndpointSlice controller.
  for (const api of ['istio', 'gateway-api'])
    for (const o of plan(api)) if (!ROUTING.has(o.kind)) await apply(o);
  for (const v of ['v1', 'v2']) await cluster.waitForRollout('default', `flask-${v}`, { timeoutMs: 300_000 });

  const baseline = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await curl(['--resolve', `unknown.invalid:80:${gatewayAddress}`, 'http://unknown.invalid/']);
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
  await stack?.stop().catch(() => undefined);
  await cleanup?.();
}
