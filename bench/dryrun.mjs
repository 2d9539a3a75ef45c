// Dry-run wall time, beside `node -e 0` in the same run (the target: the example at most 3x node's own start).
// Certificates are created before timing, so this measures the steady state a user sees on re-runs.
// Usage: node bench/dryrun.mjs [runs]   (needs `npm run build` first)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const wizard = path.join(repo, 'dist', 'wizard.js');
const runs = Number(process.argv[2] ?? 15);

function time(args) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], min: samples[0], max: samples.at(-1) };
}

function manyHosts(n) {
  const hosts = Array.from({ length: n }, (_, i) =>
    i % 2
      ? `  - name: app${i}.example.com\n    protocol: HTTP\n    routes: [{ subset: v1, weight: 80 }, { subset: v2, weight: 20 }]`
      : `  - name: app${i}.example.com\n    protocol: HTTPS\n    route: v${(i % 4) / 2 + 1}`,
  );
  return `versions: [{ name: v1 }, { name: v2 }]\nhosts:\n${hosts.join('\n')}\n`;
}

const dir = mkdtempSync(path.join(tmpdir(), 'wizard-bench-'));
const big = path.join(dir, 'hosts-200.yaml');
writeFileSync(big, manyHosts(200));
const example = ['--dry-run', '--yes', '--state-dir', path.join(dir, 'example')];
const large = ['--dry-run', '--yes', '--config', big, '--state-dir', path.join(dir, 'large')];
// Warm-up: creates the certificates once (not timed).
spawnSync(process.execPath, [wizard, ...example], { cwd: repo, stdio: 'ignore' });
spawnSync(process.execPath, [wizard, ...large], { cwd: repo, stdio: 'ignore' });

const base = time(['-e', '0']);
const ex = time([wizard, ...example]);
const lg = time([wizard, ...large]);
const row = (name, r) =>
  `${name.padEnd(36)} ${r.median.toFixed(0).padStart(6)} ms  (min ${r.min.toFixed(0)}, max ${r.max.toFixed(0)})  ${(r.median / base.median).toFixed(2)}x node -e 0`;
console.log(`dry-run wall time, median of ${runs} runs, node ${process.version}`);
console.log(row('node -e 0', base));
console.log(row('wizard --dry-run (example, 2 hosts)', ex));
console.log(row('wizard --dry-run (200 hosts)', lg));
