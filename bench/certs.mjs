// Certificate generation speed, all in the same run so a busy machine slows every contender alike:
// - the wizard (src/certs/ensure.ts: CA + N leaves minted concurrently, files written 0600/0644), and a re-run
//   that reuses them all;
// - selfsigned 5.5 doing the same CA + N leaves concurrently (the library first asked for; see src/certs/mint.ts);
// - openssl, one `openssl req -x509 -CA …` process per leaf, one at a time and one per core at a time.
// The wizard and selfsigned run in a fresh Node process per round, as the CLI would (cold JIT); times are taken
// inside it around the work (Node's startup and module loading are not counted). Wall and CPU (user+sys) time
// are both shown: CPU tells slow code apart from a busy machine. openssl's CPU is the kernel's count for
// waited-for children (/proc/self/stat, Linux only).
// Usage: node bench/certs.mjs [hosts=50] [rounds=3] [types=ecdsa-p256,rsa-2048]
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { importTs } from './lib/importTs.mjs';

const run = promisify(execFile);
const SELF = fileURLToPath(import.meta.url);
const root = join(dirname(SELF), '..');
const CORES = availableParallelism();

const selfCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** CPU ms of finished children (cutime + cstime from /proc/self/stat), or NaN where there is no procfs. */
async function childCpuMs() {
  try {
    const stat = await readFile('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): cutime and cstime are fields 16 and 17.
    return (Number(fields[13]) + Number(fields[14])) * 10; // USER_HZ is 100 on Linux
  } catch {
    return Number.NaN;
  }
}

/** Wall and CPU ms of fn() in this process. */
async function measure(fn) {
  const c = selfCpuMs();
  const t = performance.now();
  const value = await fn();
  return { wall: performance.now() - t, cpu: selfCpuMs() - c, value };
}

const hostName = (i) => `h${i}.bench.example.com`;

// ---- children -------------------------------------------------------------------------------------------------

/** CA + n leaves from an empty state dir, then the same again (all reused). */
async function childWizard(bundle, keyType, n) {
  const { ensureCerts } = await import(pathToFileURL(bundle).href);
  const dir = await mkdtemp(join(tmpdir(), 'bench-wizard-'));
  try {
    const hosts = Array.from({ length: n }, (_, i) => ({
      name: hostName(i),
      protocol: 'HTTPS',
      tls: { mode: 'SIMPLE' },
      routes: [{ subset: 'v1', weight: 100 }],
    }));
    const cfg = { hosts, certs: { storage: 'credentialName', keyType, validityDays: 365 } };
    const mint = await measure(() => ensureCerts(cfg, dir));
    const reuse = await measure(() => ensureCerts(cfg, dir));
    const count = (r, o) => Object.values(r.value.outcome).filter((x) => x === o).length;
    if (count(mint, 'minted') !== n || count(reuse, 'reused') !== n) throw new Error('unexpected outcomes');
    return { mint, reuse };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** selfsigned: CA + n leaves signed by it, concurrently, written to files like the others. */
async function childSelfsigned(keyType, n) {
  const { generate } = createRequire(join(root, 'package.json'))('selfsigned');
  const dir = await mkdtemp(join(tmpdir(), 'bench-selfsigned-'));
  const kt = keyType === 'rsa-2048' ? 'rsa' : 'ec';
  try {
    const mint = await measure(async () => {
      const ca = await generate([{ name: 'commonName', value: 'bench CA' }], {
        keyType: kt,
        algorithm: 'sha256',
        extensions: [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
        ],
      });
      await Promise.all(
        Array.from({ length: n }, async (_, i) => {
          const leaf = await generate([{ name: 'commonName', value: hostName(i) }], {
            keyType: kt,
            algorithm: 'sha256',
            ca: { cert: ca.cert, key: ca.private },
            extensions: [
              { name: 'basicConstraints', cA: false },
              { name: 'keyUsage', digitalSignature: true, keyEncipherment: kt === 'rsa', critical: true },
              { name: 'extKeyUsage', serverAuth: true },
              { name: 'subjectAltName', altNames: [{ type: 2, value: hostName(i) }] },
            ],
          });
          await writeFile(join(dir, `${i}.key`), leaf.private, { mode: 0o600 });
          await writeFile(join(dir, `${i}.crt`), leaf.cert);
        }),
      );
    });
    return { mint };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---- openssl --------------------------------------------------------------------------------------------------

const NEWKEY = {
  'ecdsa-p256': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  'rsa-2048': ['-newkey', 'rsa:2048'],
};

async function opensslCa(dir, keyType) {
  await run('openssl', [
    ...['req', '-x509', ...NEWKEY[keyType], '-nodes', '-sha256', '-days', '3650', '-subj', '/CN=bench CA'],
    ...['-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt')],
    ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
  ]);
}

function opensslLeaf(dir, keyType, i) {
  const host = hostName(i);
  return run('openssl', [
    ...[
      'req',
      '-x509',
      '-CA',
      join(dir, 'ca.crt'),
      '-CAkey',
      join(dir, 'ca.key'),
      ...NEWKEY[keyType],
      '-nodes',
    ],
    ...['-sha256', '-days', '365', '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host}`],
    ...[
      '-addext',
      'extendedKeyUsage=serverAuth',
      '-keyout',
      join(dir, `${i}.key`),
      '-out',
      join(dir, `${i}.crt`),
    ],
  ]);
}

/** n leaves, at most `parallel` openssl processes at a time; the CA is made before timing starts. */
async function opensslLeaves(keyType, n, parallel) {
  const dir = await mkdtemp(join(tmpdir(), 'bench-openssl-'));
  try {
    await opensslCa(dir, keyType);
    let next = 0;
    const c0 = await childCpuMs();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < n) await opensslLeaf(dir, keyType, next++);
      }),
    );
    return { wall: performance.now() - t0, cpu: (await childCpuMs()) - c0 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---- main -----------------------------------------------------------------------------------------------------

async function inChild(...args) {
  const { stdout } = await run(process.execPath, [SELF, '--child', ...args.map(String)], {
    maxBuffer: 1 << 24,
  });
  return JSON.parse(stdout);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(hosts, rounds, types) {
  // src/certs/ensure.ts bundled once, so the bench needs no build step; each child imports the bundle.
  const { file: bundle, cleanup } = await importTs(
    "export { ensureCerts } from './src/certs/ensure.ts';",
    'certs',
  );
  const rows = [];
  try {
    for (const keyType of types) {
      const t = { wizard: [], reuse: [], selfsigned: [], seq: [], par: [] };
      for (let r = 0; r < rounds; r++) {
        process.stderr.write(`${keyType} round ${r + 1}/${rounds}\n`);
        const w = await inChild('wizard', bundle, keyType, hosts);
        t.wizard.push(w.mint);
        t.reuse.push(w.reuse);
        t.selfsigned.push((await inChild('selfsigned', keyType, hosts)).mint);
        t.seq.push(await opensslLeaves(keyType, hosts, 1));
        t.par.push(await opensslLeaves(keyType, hosts, CORES));
      }
      const row = (what, xs) =>
        rows.push([keyType, what, median(xs.map((x) => x.wall)), median(xs.map((x) => x.cpu))]);
      row(`wizard: CA + ${hosts} leaves`, t.wizard);
      row(`wizard: re-run, ${hosts} reused`, t.reuse);
      row(`selfsigned: CA + ${hosts} leaves`, t.selfsigned);
      row(`openssl: ${hosts} leaves, 1 process at a time`, t.seq);
      row(`openssl: ${hosts} leaves, ${CORES} processes at a time`, t.par);
    }
  } finally {
    await cleanup();
  }
  const load = (await readFile('/proc/loadavg', 'utf8').catch(() => '?')).split(' ')[0];
  console.log(
    `# certs bench: ${hosts} hosts, median of ${rounds} rounds, ${CORES} cores, load ${load}, node ${process.version}`,
  );
  const cols = ['key type'.padEnd(11), 'what'.padEnd(42), 'wall ms'.padStart(8), 'ms/host'.padStart(8)];
  console.log([...cols, 'cpu ms'.padStart(8), 'cpu/host'.padStart(8)].join(' '));
  for (const [keyType, what, wall, cpu] of rows) {
    const cells = [
      keyType.padEnd(11),
      what.padEnd(42),
      wall.toFixed(0).padStart(8),
      (wall / hosts).toFixed(1).padStart(8),
    ];
    console.log([...cells, cpu.toFixed(0).padStart(8), (cpu / hosts).toFixed(1).padStart(8)].join(' '));
  }
}

const [, , first, ...rest] = process.argv;
if (first === '--child') {
  const [kind, ...args] = rest;
  const out =
    kind === 'wizard'
      ? await childWizard(args[0], args[1], Number(args[2]))
      : await childSelfsigned(args[0], Number(args[1]));
  for (const v of Object.values(out)) delete v.value; // results hold key material: never printed
  console.log(JSON.stringify(out));
} else {
  await main(Number(first ?? 50), Number(rest[0] ?? 3), (rest[1] ?? 'ecdsa-p256,rsa-2048').split(','));
}
