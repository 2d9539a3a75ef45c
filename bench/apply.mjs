#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
// Apply cost against a real kube-apiserver + etcd (test/control-plane): API requests and wall time of a full
// apply and of the no-op re-apply, for the example plan and a 200-host plan. Prints a table on stdout.
//   node bench/apply.mjs [--hosts N]      (default 200)
// TypeScript sources are bundled on the fly (bench/lib/importTs.mjs), then imported.
import path from 'node:path';
import { importTs, repo } from './lib/importTs.mjs';

const hostsArg = process.argv.indexOf('--hosts');
const manyHosts = hostsArg > 0 ? Number(process.argv[hostsArg + 1]) : 200;

const entry = `
export { connectCluster } from './src/io/kube/connect.ts';
export { buildManifests } from './src/manifests/index.ts';
export { startControlPlane } from './test/control-plane/controlPlane.ts';
export { installCrds, wizardCrds } from './test/support/crds.ts';
export { createGatewayStandIn } from './test/support/gatewayStandIn.ts';
export { runPreflight } from './src/steps/preflight.ts';
export { exampleConfig, fakeCerts, manyHostsConfig } from './test/support/configs.ts';
`;

const { m, cleanup } = await importTs(entry, 'apply');
let cp;
try {
  const bins = binaries();
  console.error('starting kube-apiserver + etcd …');
  cp = await m.startControlPlane({ binaries: bins });
  const admin = await m.connectCluster({ kubeconfig: cp.adminKubeconfig });
  await installCrds(m, admin);
  await m.createGatewayStandIn(admin, { lbIp: '172.18.255.200' });
  admin.close();

  const rows = [];
  for (const [label, config] of [
    ['example (2 hosts)', m.exampleConfig()],
    [`${manyHosts} hosts`, m.manyHostsConfig(manyHosts)],
  ]) {
    const objects = m.buildManifests(config, {
      apiVersion: 'networking.istio.io/v1',
      certs: m.fakeCerts(config),
    });
    {
      // Preflight before anything exists (what a first `wizard` run does).
      const cluster = await m.connectCluster({ kubeconfig: cp.adminKubeconfig });
      const t0 = performance.now();
      await m.runPreflight(cluster, config, () => undefined);
      const ms = performance.now() - t0;
      rows.push({
        plan: label,
        objects: objects.length,
        phase: 'preflight',
        requests: cluster.requestCount,
        'wall ms': Math.round(ms),
        'ms/object': (ms / objects.length).toFixed(1),
        outcomes: 'passed',
      });
      cluster.close();
    }
    for (const phase of ['full apply', 'no-op re-apply']) {
      // A fresh client per phase, like a new `wizard` run: request counter, discovery and list caches start empty.
      const cluster = await m.connectCluster({ kubeconfig: cp.adminKubeconfig });
      const before = cluster.requestCount;
      const t0 = performance.now();
      const outcomes = {};
      for (const obj of objects) {
        const r = await cluster.apply(obj);
        outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
      }
      const ms = performance.now() - t0;
      rows.push({
        plan: label,
        objects: objects.length,
        phase,
        requests: cluster.requestCount - before,
        'wall ms': Math.round(ms),
        'ms/object': (ms / objects.length).toFixed(1),
        outcomes: Object.entries(outcomes)
          .map(([k, v]) => `${v} ${k}`)
          .join(', '),
      });
      cluster.close();
    }
  }
  printTable(rows);
} finally {
  await cp?.stop();
  await cleanup();
}

async function installCrds(mod, admin) {
  const t0 = performance.now();
  await mod.installCrds(admin, {
    filter: mod.wizardCrds,
    file: path.resolve(repo, '../shared/fixtures/crds/istio-1.30.3.yaml'),
  });
  console.error(`CRDs installed in ${Math.round(performance.now() - t0)} ms`);
}

/** build.sh (not ensureBinaries: bundled, it would look for build.sh next to the bundle). Exit 3: no Go. */
function binaries() {
  const r = spawnSync('bash', [path.join(repo, 'test/control-plane/build.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status === 3) {
    console.error(
      'SKIPPED bench/apply.mjs: no Go toolchain to build kube-apiserver/etcd (see test/control-plane/build.sh)',
    );
    process.exit(0);
  }
  const apiserver = /^KUBE_APISERVER=(.+)$/m.exec(r.stdout)?.[1];
  const etcd = /^ETCD=(.+)$/m.exec(r.stdout)?.[1];
  if (r.status !== 0 || !apiserver || !etcd)
    throw new Error(`test/control-plane/build.sh failed (exit ${r.status})`);
  return { apiserver, etcd };
}

function printTable(rows) {
  const cols = Object.keys(rows[0]);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(width[i])).join('  ');
  console.log(line(cols));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(cols.map((c) => r[c])));
  console.log(`\nnode ${process.version}, ${new Date().toISOString()}`);
}
