// Verify wall time against the nginx gateway stand-in for 1, 10 and 50 HTTPS hosts, with the default concurrency
// (8 checks in flight) beside one check at a time — the point of the bounded concurrency.
// Two networks: plain loopback, where a check costs what starting a curl process costs (CPU-bound), and loopback
// behind a relay that delays every chunk by RTT/2 each way, like a gateway a few milliseconds away (latency-bound,
// which is what a real cluster is).
// Usage: node bench/verify.mjs [sizes=1,10,50] [rounds=3] [rttMs=40]   — a table on stdout, progress on stderr.
// Needs nginx and the Flask venv: test/setup/nginx.sh and test/setup/python.sh run on first use.
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = (process.argv[2] ?? '1,10,50').split(',').map(Number);
const ROUNDS = Number(process.argv[3] ?? 3);
const RTT_MS = Number(process.argv[4] ?? 40);

/** A TCP relay on a loopback port that forwards to `port`, holding every chunk for delayMs (order kept). */
function delayRelay(port, delayMs) {
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port });
    const pipe = (from, to) => {
      from.on('data', (chunk) => setTimeout(() => to.writable && to.write(chunk), delayMs));
      from.on('end', () => setTimeout(() => to.end(), delayMs));
      from.on('error', () => to.destroy());
    };
    pipe(client, upstream);
    pipe(upstream, client);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({ port: server.address().port, close: () => server.close() }),
    );
  });
}

/** Bundles the test support (Flask runner, nginx gateway, openssl certs) and verify into one temp ESM file. */
async function load(dir) {
  const entry = join(dir, 'entry.ts');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(
    entry,
    [
      `export { startFlaskApp } from ${JSON.stringify(join(root, 'test/support/flaskApp.ts'))};`,
      `export { startNginxGateway } from ${JSON.stringify(join(root, 'test/support/nginxGateway.ts'))};`,
      `export { makeCertPaths } from ${JSON.stringify(join(root, 'test/verify/certs.ts'))};`,
      `export { plan } from ${JSON.stringify(join(root, 'test/verify/plans.ts'))};`,
      `export { runVerification } from ${JSON.stringify(join(root, 'src/verify/run.ts'))};`,
      `export { createExec } from ${JSON.stringify(join(root, 'src/io/exec.ts'))};`,
    ].join('\n'),
  );
  const outfile = join(dir, 'verify-bench.mjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  // The bundle lives in a temp dir: tell the test support where the repository (flask/, test/setup/) is.
  process.env.WIZARD_REPO_ROOT = root;
  return import(pathToFileURL(outfile).href);
}

function hosts(n) {
  return Array.from({ length: n }, (_, i) => ({
    name: `h${i}.bench.example.com`,
    protocol: 'HTTPS',
    tls: { mode: 'SIMPLE' },
    routes: [{ subset: i % 2 ? 'v1' : 'v2', weight: 100 }],
  }));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'verify-bench-'));
  const m = await load(dir);
  const apps = await Promise.all([m.startFlaskApp({ version: 'v1' }), m.startFlaskApp({ version: 'v2' })]);
  const upstreams = { v1: apps[0].url, v2: apps[1].url };
  const exec = m.createExec();
  const rows = [];
  try {
    for (const n of SIZES) {
      const config = m.plan(hosts(n));
      const certs = await m.makeCertPaths(config, join(dir, `state-${n}`));
      const gw = await m.startNginxGateway({ config, certs, upstreams });
      const relays = [await delayRelay(gw.httpPort, RTT_MS / 2), await delayRelay(gw.httpsPort, RTT_MS / 2)];
      try {
        for (const net of ['loopback', `rtt ${RTT_MS} ms`]) {
          const [httpPort, httpsPort] =
            net === 'loopback' ? [gw.httpPort, gw.httpsPort] : [relays[0].port, relays[1].port];
          const timeOf = async (concurrency) => {
            const t0 = performance.now();
            const r = await m.runVerification({
              config,
              certs,
              address: gw.address,
              httpPort,
              httpsPort,
              exec,
              timeoutSeconds: 120,
              concurrency,
            });
            if (!r.ok)
              throw new Error(
                `verify failed for ${n} hosts: ${JSON.stringify(r.checks.filter((c) => !c.ok))}`,
              );
            return { ms: performance.now() - t0, checks: r.checks.length };
          };
          const par = [];
          const seq = [];
          let checks = 0;
          for (let i = 0; i < ROUNDS; i++) {
            const a = await timeOf(8);
            par.push(a.ms);
            checks = a.checks;
            seq.push((await timeOf(1)).ms);
            process.stderr.write(
              `  ${net}, ${n} hosts, round ${i + 1}: ${a.ms.toFixed(0)} ms (8 in flight), ${seq.at(-1).toFixed(0)} ms (1)\n`,
            );
          }
          rows.push({ net, n, checks, par: median(par), seq: median(seq) });
        }
      } finally {
        for (const r of relays) r.close();
        await gw.stop();
      }
    }
  } finally {
    await Promise.all(apps.map((a) => a.stop()));
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`verify wall time, median of ${ROUNDS}: one curl per check; nginx stand-in on loopback`);
  console.log('network       hosts  checks  8 in flight (ms)  1 in flight (ms)  speedup  n x 1-host / this');
  for (const r of rows) {
    const one = rows.find((x) => x.net === r.net && x.n === 1);
    const linear = one ? `${((one.par * r.n) / r.par).toFixed(1)}x` : '-';
    console.log(
      `${r.net.padEnd(12)}  ${String(r.n).padStart(5)}  ${String(r.checks).padStart(6)}  ${r.par
        .toFixed(0)
        .padStart(
          16,
        )}  ${r.seq.toFixed(0).padStart(16)}  ${(r.seq / r.par).toFixed(1).padStart(6)}x  ${linear.padStart(
        18,
      )}`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
