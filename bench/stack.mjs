#!/usr/bin/env node
// The wizard on the real stack (test/stack/stack.ts: a real node, docker and a loopback registry, a real istiod and
// an Envoy ingress gateway pod), driven as a user drives it — the built `wizard` binary — for issue 8's numbers:
//  a. `wizard --config F --yes` (the tutorial's second stage: one HTTPS host, one HTTP host, a real docker build and
//     push): from the start of the process to the last verify check passing, per step — the wizard's own step time
//     and the wall clock between its step lines — with the image build on its own row. Baselines: the same
//     `docker build --no-cache` + `docker push` by hand, and `node -e 0`.
//  b. apply → first correct answer, p50/p95 over N route changes: one host's VirtualService, as the wizard applied
//     it, switched v1↔v2 and applied with the wizard's own client (server-side apply), then `curl --resolve` back to
//     back until the answer is the new version. Baseline: one curl of the same route before each change.
//  c. `wizard verify` wall time for 1, 10 and 120 HTTP hosts on their own Gateway (median of R runs each, and
//     verify's own time from `-o json`). Baselines: `node -e 0` and one curl, in the same rounds.
// Numbers only, no assertions. Tables on stdout, progress on stderr.
//   node bench/stack.mjs [--flips 20] [--sizes 1,10,120] [--rounds 3] [--json FILE]
// Needs what the stack tier needs (root, the node and istio binaries that `npm test` / .ci/run build); without
// them it prints SKIPPED and why. It takes the machine-wide stack lock, so it waits for a stack test running.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { importTs, repo } from './lib/importTs.mjs';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const FLIPS = Number(arg('flips', 20));
const SIZES = arg('sizes', '1,10,120').split(',').map(Number);
const ROUNDS = Number(arg('rounds', 3));
/** Where to write every sample as JSON as well (the tables are medians and percentiles of these). */
const JSON_OUT = arg('json');
const WIZARD = path.join(repo, 'dist', 'wizard.js');
const E1 = 'flask.example1.com';
const E2 = 'flask.example2.com';

const progress = (line) => process.stderr.write(`[bench/stack] ${line}\n`);
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
/** Nearest rank: the smallest value with at least p% of the samples at or below it. */
const percentile = (xs, p) => sorted(xs)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)];
const ms = (x) => (Number.isFinite(x) ? `${Math.round(x)} ms` : '—');

/** A process run, every stderr line stamped with the time it arrived (ms since the spawn). */
function run(cmd, args, env = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: repo, env: { ...process.env, ...env } });
    const lines = [];
    let stdout = '';
    let partial = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      const t = performance.now() - t0;
      const parts = (partial + d).split('\n');
      partial = parts.pop();
      for (const text of parts) lines.push({ t, text });
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (partial) lines.push({ t: performance.now() - t0, text: partial });
      resolve({ code, stdout, lines, ms: performance.now() - t0 });
    });
  });
}

const wizard = (args, env) => run(process.execPath, [WIZARD, ...args], env);

/** The run's end in the error; its whole stderr kept in a file (the stack's directory goes with the stack). */
async function failed(what, r) {
  const all = r.lines.map((l) => l.text);
  const log = path.join(os.tmpdir(), `bench-stack-failure-${process.pid}-${Date.now()}.log`);
  await writeFile(log, `${all.join('\n')}\n`);
  return new Error(`${what} exited ${r.code} (whole stderr: ${log}):\n${all.slice(-30).join('\n')}`);
}

function curl(host, port, address, extra = []) {
  const scheme = port === 443 ? 'https' : 'http';
  const t0 = performance.now();
  return new Promise((resolve) =>
    execFile(
      'curl',
      [
        '-sS',
        '--max-time',
        '5',
        ...extra,
        '--resolve',
        `${host}:${port}:${address}`,
        `${scheme}://${host}/version`,
      ],
      (_e, out) => resolve({ body: String(out).trim(), ms: performance.now() - t0 }),
    ),
  );
}

/** "12.3s", "1m 05s" (src/ui/format.ts formatDuration) back to ms. */
function parseDuration(s) {
  const m = /^(?:(\d+)m )?(\d+(?:\.\d+)?)s$/.exec(s);
  return m ? (Number(m[1] ?? 0) * 60 + Number(m[2])) * 1000 : Number.NaN;
}

/**
 * Per step: the wizard's own time (its "done (…)" line, tenths of a second) and the wall clock from its "running"
 * line to that one. build-image's commands (its `$ docker …` log lines) each from its line to the next one's.
 */
function stepTimes(lines) {
  const steps = new Map();
  const commands = [];
  let lastCheck;
  for (const { t, text } of lines) {
    const c = /^\[\d+\/\d+\] build-image: \$ (\S+ \S+)/.exec(text);
    if (c) commands.push({ cmd: c[1], start: t });
    let m = /^\[\d+\/\d+\] ([a-z-]+) \.\.\. running/.exec(text);
    if (m) steps.set(m[1], { start: t });
    m = /^\[\d+\/\d+\] ([a-z-]+) (done|failed) \(([^)]+)\)/.exec(text);
    if (m && steps.has(m[1]))
      Object.assign(steps.get(m[1]), { end: t, own: parseDuration(m[3]), status: m[2] });
    if (/^\[\d+\/\d+\] verify: +✓ /.test(text)) lastCheck = t;
  }
  const buildEnd = steps.get('build-image')?.end;
  for (const [i, c] of commands.entries()) c.ms = (commands[i + 1]?.start ?? buildEnd) - c.start;
  return { steps, commands, lastCheck };
}

function table(rows) {
  const cols = Object.keys(rows[0]);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (cells) =>
    cells
      .map((c, i) => String(c ?? '').padEnd(width[i]))
      .join('  ')
      .trimEnd();
  console.log(line(cols));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(cols.map((c) => r[c])));
}

async function nodeStartup() {
  const r = await run(process.execPath, ['-e', '0']);
  return r.ms;
}

/** A config for the flask app of the tutorial; its file is what `wizard --config` reads. */
const appConfig = (image, { app = 'flask', gateway = 'flask-gateway', hosts, build }) =>
  stringify({
    namespace: 'default',
    app,
    image,
    versions: [{ name: 'v1' }, { name: 'v2' }],
    gateway: { name: gateway },
    hosts,
    build,
  });

// The tutorial's second stage, built and pushed with docker.
const flowConfig = (image) =>
  appConfig(image, {
    hosts: [
      { name: E1, protocol: 'HTTPS', tls: { mode: 'SIMPLE' }, route: 'v2' },
      { name: E2, protocol: 'HTTP', route: 'v1' },
    ],
    build: { tool: 'docker' },
  });

// n HTTP hosts on a Gateway of their own, the image already in the registry.
const manyConfig = (image, n) =>
  appConfig(image, {
    app: 'bench',
    gateway: 'bench-gateway',
    hosts: Array.from({ length: n }, (_, i) => ({
      name: `h${i}.bench.example.com`,
      protocol: 'HTTP',
      route: i % 2 ? 'v1' : 'v2',
    })),
    build: { enabled: false },
  });

/** a. The whole flow, per step, image build apart. */
async function benchFlow(s, out) {
  const image = s.flaskImage('bench');
  const file = path.join(s.dir, 'flow.yaml');
  const state = path.join(s.dir, 'state-flow');
  await writeFile(file, flowConfig(image));
  const base = [];
  for (let i = 0; i < 3; i++) base.push(await nodeStartup());
  progress('a. wizard --config flow.yaml --yes (real docker build + push) …');
  const r = await wizard(
    ['--config', file, '--yes', '--kubeconfig', s.kubeconfig, '--state-dir', state],
    s.env('docker'),
  );
  if (r.code !== 0) throw await failed('wizard --yes', r);
  const { steps, commands, lastCheck } = stepTimes(r.lines);
  progress('a. baseline: docker build --no-cache + docker push by hand …');
  const byHand = s.flaskImage('bench-by-hand');
  let t = performance.now();
  await s.engines.docker.docker(['build', '--no-cache', '-t', byHand, path.join(repo, 'flask')], {
    timeoutMs: 900_000,
  });
  const buildMs = performance.now() - t;
  t = performance.now();
  await s.engines.docker.docker(['push', byHand], { timeoutMs: 300_000 });
  const pushMs = performance.now() - t;

  const rows = [
    {
      step: '(start-up: start → first step line)',
      'wizard says': '',
      'wall (running → done line)': ms(steps.get('preflight')?.start),
      'from start': ms(steps.get('preflight')?.start),
    },
  ];
  let others = 0;
  for (const [id, st] of steps) {
    if (id !== 'build-image') others += st.own;
    rows.push({
      step: id,
      'wizard says': ms(st.own),
      'wall (running → done line)': ms(st.end - st.start),
      'from start': ms(st.end),
    });
  }
  console.log('\na. wizard --config F --yes on the real stack (tutorial stage 2: 1 HTTPS + 1 HTTP host)');
  table(rows);
  const build = steps.get('build-image');
  table([
    {
      what: 'start → last verify check passed',
      measured: ms(lastCheck),
      baseline: `node -e 0: ${ms(median(base))} (median of 3)`,
    },
    { what: 'start → exit', measured: ms(r.ms), baseline: '' },
    {
      what: 'image build (the build-image step)',
      measured: ms(build?.own),
      baseline: `by hand: docker build --no-cache + push ${ms(buildMs + pushMs)}`,
    },
    ...commands.map((c) => ({
      what: `  $ ${c.cmd}`,
      measured: ms(c.ms),
      baseline: c.cmd.endsWith(' build')
        ? `by hand: docker build --no-cache ${ms(buildMs)}`
        : c.cmd.endsWith(' push')
          ? `by hand: docker push ${ms(pushMs)} (its base layers already in the registry)`
          : '',
    })),
    { what: 'all other steps (wizard says)', measured: ms(others), baseline: '' },
  ]);
  out.flow = {
    steps: Object.fromEntries(steps),
    commands,
    lastCheck,
    total: r.ms,
    buildMs,
    pushMs,
    node: median(base),
  };
  return { image };
}

/** b. Route changes: apply one host's VirtualService with the route switched, curl until the answer follows. */
async function benchFlips(s, m, out) {
  const cluster = await m.connectCluster({ kubeconfig: s.kubeconfig });
  try {
    const vs = (
      await cluster.list({
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        namespace: 'default',
      })
    ).find((o) => o.spec?.hosts?.includes(E2));
    if (!vs) throw new Error(`no VirtualService for ${E2}`);
    const withSubset = (subset) => ({
      apiVersion: vs.apiVersion,
      kind: vs.kind,
      metadata: {
        name: vs.metadata.name,
        namespace: vs.metadata.namespace,
        labels: vs.metadata.labels,
      },
      spec: {
        ...vs.spec,
        http: vs.spec.http.map((h) => ({
          ...h,
          route: h.route.map((r) => ({ ...r, destination: { ...r.destination, subset } })),
        })),
      },
    });
    const answer = [];
    const applyMs = [];
    const baseline = [];
    let current = (await curl(E2, 80, s.gatewayAddress)).body;
    progress(`b. ${FLIPS} route changes of ${E2} (now ${current}) …`);
    for (let i = 0; i < FLIPS; i++) {
      baseline.push((await curl(E2, 80, s.gatewayAddress)).ms);
      const next = current === 'v1' ? 'v2' : 'v1';
      const t0 = performance.now();
      await cluster.apply(withSubset(next));
      applyMs.push(performance.now() - t0);
      let got;
      const deadline = t0 + 30_000;
      while (performance.now() < deadline) {
        if ((await curl(E2, 80, s.gatewayAddress)).body === next) {
          got = performance.now() - t0;
          break;
        }
      }
      answer.push(got ?? Number.NaN);
      current = next;
    }
    console.log(`\nb. apply → first correct answer, ${FLIPS} route changes (${E2}: v1 ↔ v2)`);
    table([
      {
        what: 'apply → first correct answer',
        p50: ms(percentile(answer, 50)),
        p95: ms(percentile(answer, 95)),
        'min–max': `${ms(Math.min(...answer))}–${ms(Math.max(...answer))}`,
        missed: answer.filter((x) => !Number.isFinite(x)).length,
      },
      {
        what: 'the apply call itself',
        p50: ms(percentile(applyMs, 50)),
        p95: ms(percentile(applyMs, 95)),
        'min–max': `${ms(Math.min(...applyMs))}–${ms(Math.max(...applyMs))}`,
      },
      {
        what: 'baseline: one curl, route unchanged',
        p50: ms(percentile(baseline, 50)),
        p95: ms(percentile(baseline, 95)),
        'min–max': `${ms(Math.min(...baseline))}–${ms(Math.max(...baseline))}`,
      },
    ]);
    out.flips = { answer, applyMs, baseline };
  } finally {
    cluster.close();
  }
}

/** c. verify for 1, 10, 120 hosts. */
async function benchVerify(s, image, out) {
  const file = path.join(s.dir, 'many.yaml');
  const state = path.join(s.dir, 'state-many');
  const common = ['--config', file, '--kubeconfig', s.kubeconfig, '--state-dir', state];
  const rows = [];
  out.verify = [];
  for (const n of SIZES) {
    await writeFile(file, manyConfig(image, n));
    progress(`c. ${n} host(s): wizard --yes …`);
    const applied = await wizard([...common, '--yes'], s.env('docker'));
    if (applied.code !== 0) {
      // What the failing checks read (the CA verify hands curl), seen right after the run.
      const ca = path.join(state, 'certs', 'ca.crt');
      const seen = await stat(ca).then(
        (st) => `${ca}: ${st.size} bytes, mode ${(st.mode & 0o777).toString(8)}`,
        (e) => `${ca}: ${e.code}`,
      );
      progress(`c. ${n} host(s) failed; ${seen}`);
      throw await failed(`wizard --yes (${n} hosts)`, applied);
    }
    const walls = [];
    const owns = [];
    const nodes = [];
    const curls = [];
    let checks = 0;
    for (let i = 0; i < ROUNDS; i++) {
      nodes.push(await nodeStartup());
      curls.push((await curl('h0.bench.example.com', 80, s.gatewayAddress)).ms);
      const v = await wizard(['verify', ...common, '-o', 'json'], s.env('docker'));
      if (v.code !== 0) throw await failed(`wizard verify (${n} hosts)`, v);
      const report = JSON.parse(v.stdout);
      walls.push(v.ms);
      owns.push(report.durationMs);
      checks = report.checks.length;
      progress(`c. ${n} host(s), round ${i + 1}: ${ms(v.ms)}`);
    }
    rows.push({
      hosts: n,
      checks,
      'wizard verify wall (median)': ms(median(walls)),
      'verify says (median)': ms(median(owns)),
      'apply run (wizard --yes)': ms(applied.ms),
      'baseline: node -e 0': ms(median(nodes)),
      'baseline: one curl': ms(median(curls)),
    });
    out.verify.push({ n, checks, walls, owns, apply: applied.ms, nodes, curls });
  }
  console.log(`\nc. wizard verify, HTTP hosts on one Gateway, median of ${ROUNDS}`);
  table(rows);
}

async function main() {
  spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
  const { m, cleanup } = await importTs(
    `
export { connectCluster } from './src/io/kube/connect.ts';
export { stackBinaries, startStack } from './test/stack/stack.ts';
`,
    'stack',
  );
  let s;
  try {
    const b = await m.stackBinaries();
    if ('skip' in b) {
      console.log(`SKIPPED bench/stack.mjs: ${b.skip}`);
      return;
    }
    progress('starting the real stack (node, engines, istiod, Envoy) …');
    const t = performance.now();
    s = await m.startStack();
    progress(`stack up in ${ms(performance.now() - t)}`);
    const out = {};
    const { image } = await benchFlow(s, out);
    await benchFlips(s, m, out);
    await benchVerify(s, image, out);
    if (JSON_OUT) await writeFile(JSON_OUT, `${JSON.stringify(out, null, 2)}\n`);
    console.log(
      `\nnode ${process.version}, ${os.cpus().length} cores, load average ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}, ${new Date().toISOString()}`,
    );
  } finally {
    await s?.stop();
    await cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
