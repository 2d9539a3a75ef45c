// Config validation time (schema + cross-checks + warnings, src/config/load.ts validateConfig) for 100, 1,000 and
// 10,000 hosts, beside a baseline run in the same process on the same input: structuredClone of the raw config, one
// plain linear pass over every host. Validation should grow like the baseline (linear), not like its square: the
// wildcard-overlap warning once compared every host with every other (15–32 s for 10,000 hosts).
// Usage: node bench/validate.mjs [rounds=5]   (no build needed: the module is bundled to a temp file)
import { importTs } from './lib/importTs.mjs';

const rounds = Number(process.argv[2] ?? 5);

/** n hosts: half HTTPS, weighted routes, and a wildcard every 50 hosts covering the next 49 (the overlap check). */
function rawConfig(n) {
  const hosts = Array.from({ length: n }, (_, i) => {
    const domain = `d${i - (i % 50)}.example.com`;
    return {
      name: i % 50 === 0 ? `*.${domain}` : `app${i}.${domain}`,
      protocol: i % 2 ? 'HTTP' : 'HTTPS',
      routes: [
        { subset: 'v1', weight: 80 },
        { subset: 'v2', weight: 20 },
      ],
    };
  });
  return { versions: [{ name: 'v1' }, { name: 'v2' }], hosts };
}

function median(fn) {
  const samples = [];
  let value;
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    value = fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)], value };
}

const { m, cleanup } = await importTs("export { validateConfig } from './src/config/load.ts';", 'validate');
try {
  const { validateConfig } = m;
  validateConfig(rawConfig(100)); // warm-up (JIT), not timed
  console.log(`config validation, median of ${rounds} rounds, node ${process.version}`);
  console.log(
    `${'hosts'.padStart(6)}  ${'validate'.padStart(10)}  ${'baseline'.padStart(10)}  ratio  per host`,
  );
  for (const n of [100, 1000, 10_000]) {
    const raw = rawConfig(n);
    const base = median(() => structuredClone(raw));
    const val = median(() => validateConfig(raw));
    const warnings = val.value.warnings.length;
    console.log(
      `${String(n).padStart(6)}  ${val.ms.toFixed(1).padStart(7)} ms  ${base.ms.toFixed(1).padStart(7)} ms  ${(val.ms / base.ms).toFixed(1).padStart(5)}x  ${((val.ms * 1000) / n).toFixed(1)} µs  (${warnings} warnings)`,
    );
  }
} finally {
  await cleanup();
}
