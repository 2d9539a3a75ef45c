#!/usr/bin/env node
// Startup latency on a real pseudo-terminal: time from launching `node dist/wizard.js` to its first rendered
// frame, beside `node -e 0` (and a bare "first byte on the terminal") in the same run. Each command runs under
// util-linux `script`, which gives it a pty (so the wizard picks its interactive UI) and streams what it draws
// back to us, so the time is measured when the bytes arrive — no screen polling.
//
//   node bench/startup.mjs [--runs N] [--json] [--wizard path/to/wizard.js]
//
// Scenarios:
//   node -e 0            process start to exit (the floor)
//   first byte           node writes one line to the tty (the floor for "something on screen")
//   ink+react import     import('ink') and react, then write (what the interactive UI costs to load)
//   wizard: first prompt a fresh run with no config: the first question appears ("? …")
//   wizard: first frame  --config example: the step list's first frame appears ("[1/9]"); with
//                        WIZARD_BENCH_FIRST_FRAME=1 the CLI may exit right after it (else we stop it)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
// --wizard PATH measures another build (e.g. one with the Ink UI wired) the same way.
const wizard = flag('--wizard') ?? join(repo, 'dist', 'wizard.js');
const runs = Number(flag('--runs')) > 0 ? Number(flag('--runs')) : 10;
const asJson = args.includes('--json');

if (!existsSync(wizard)) {
  console.error(`bench: ${wizard} is missing; run npm run build first`);
  process.exit(2);
}

/** A person at a terminal, not CI (Ink and the wizard both fall back to plain output under CI). */
function withoutCi(env) {
  const out = { ...env };
  delete out.CI;
  delete out.CONTINUOUS_INTEGRATION;
  return out;
}

const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what we look for
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b[()][0-9A-B]/g;

/**
 * Runs argv under `script` and resolves with ms until `ready(text)` first holds on what it drew (or until it
 * exits, when ready is null). The child is stopped once measured.
 */
function measure(argv, { ready, env = {} }) {
  return new Promise((resolve, reject) => {
    const stateDir = mkdtempSync(join(tmpdir(), 'wiz-bench-'));
    // `script` gives a pty of size 0 x 0 when we are not on a terminal ourselves: size it like a real one.
    const cmd = `stty rows 40 cols 100 && exec ${argv.map((a) => q(a.replace('{state}', stateDir))).join(' ')}`;
    const started = performance.now();
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], {
      cwd: repo,
      env: withoutCi({ ...process.env, TERM: 'xterm-256color', ...env }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let text = '';
    let done = false;
    const finish = (ms, what) => {
      if (done) return;
      done = true;
      child.kill('SIGKILL');
      rmSync(stateDir, { recursive: true, force: true });
      resolve({ ms, what });
    };
    child.stdout.on('data', (d) => {
      text += d.toString('utf8');
      if (ready) {
        const seen = ready(text.replace(ANSI, ''), text);
        if (seen) finish(performance.now() - started, seen);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (!ready) return finish(performance.now() - started, `exit ${code}`);
      if (!done) {
        done = true;
        rmSync(stateDir, { recursive: true, force: true });
        reject(
          new Error(
            `${cmd} exited (${code}) before its first frame; it drew:\n${text.replace(ANSI, '').slice(0, 2000)}`,
          ),
        );
      }
    });
    setTimeout(() => {
      if (done) return;
      child.kill('SIGKILL');
      reject(new Error(`${cmd}: no frame in 20 s`));
    }, 20_000);
  });
}

const node = process.execPath;
const scenarios = [
  { name: 'node -e 0', argv: [node, '-e', '0'], ready: null },
  {
    name: 'first byte (node writes to the tty)',
    argv: [node, '-e', "process.stderr.write('READY\\n')"],
    ready: (t) => t.includes('READY') && 'READY',
  },
  {
    name: 'ink+react import, then write',
    argv: [
      node,
      '--input-type=module',
      '-e',
      "await import('ink'); await import('react'); process.stderr.write('READY\\n')",
    ],
    ready: (t) => t.includes('READY') && 'READY',
  },
  {
    name: 'wizard: first prompt (fresh, no config)',
    argv: [node, wizard, '--dry-run', '--state-dir', '{state}'],
    ready: (t) => /^\? \S/m.test(t) && 'prompt',
  },
  {
    name: 'wizard: first step-list frame (--config)',
    argv: [
      node,
      wizard,
      '--dry-run',
      '--config',
      join(repo, 'assets', 'wizard.example.yaml'),
      '--state-dir',
      '{state}',
    ],
    env: { WIZARD_BENCH_FIRST_FRAME: '1' },
    // The first frame is the step list, or (when the first step asks at once) the plan printed above it.
    // Ink wraps its frames in synchronized-output marks (CSI ?2026h) or hides the cursor; the plain renderer
    // writes "[1/9] preflight ..." lines with neither.
    ready: (t, raw) =>
      (t.includes('[1/9]') || t.includes('Plan for ')) &&
      (raw.includes('\u001b[?2026h') || raw.includes('\u001b[?25l') ? 'ink frame' : 'plain'),
  },
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const results = [];
// Interleave scenarios run by run, so drift on a busy machine hits all of them alike.
const samples = scenarios.map(() => []);
const whats = scenarios.map(() => new Set());
for (let r = 0; r < runs + 1; r++) {
  for (const [i, s] of scenarios.entries()) {
    const { ms, what } = await measure(s.argv, { ready: s.ready, env: s.env });
    if (r > 0) samples[i].push(ms); // run 0 warms the file cache
    whats[i].add(what);
  }
}
for (const [i, s] of scenarios.entries()) {
  const xs = samples[i];
  results.push({
    scenario: s.name,
    seen: [...whats[i]].join(', '),
    medianMs: Math.round(median(xs)),
    minMs: Math.round(Math.min(...xs)),
    maxMs: Math.round(Math.max(...xs)),
    runs: xs.length,
  });
}

// Launch → first prompt against the floor for "something on the same pty": node -e printing one line, same run.
const byName = (prefix) => results.find((r) => r.scenario.startsWith(prefix));
const firstPrompt = byName('wizard: first prompt');
const firstByte = byName('first byte');
const ratio =
  firstPrompt && firstByte && firstByte.medianMs > 0
    ? Math.round((firstPrompt.medianMs / firstByte.medianMs) * 100) / 100
    : undefined;

if (asJson) {
  process.stdout.write(
    `${JSON.stringify({ node: process.version, results, firstPromptRatio: ratio }, null, 2)}\n`,
  );
} else {
  process.stdout.write(`startup on a pty, ${runs} runs each (after one warm-up), node ${process.version}\n`);
  for (const r of results) {
    process.stdout.write(
      `${r.scenario.padEnd(44)} median ${String(r.medianMs).padStart(5)} ms  (min ${r.minMs}, max ${r.maxMs})  [${r.seen}]\n`,
    );
  }
  if (ratio !== undefined) {
    process.stdout.write(
      `first prompt / first byte (node -e, one line)      ${ratio}× (medians, same run)\n`,
    );
  }
}
