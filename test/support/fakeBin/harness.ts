/**
 * A hermetic PATH for the recording stand-ins: a temp dir holding symlinks to the chosen stand-ins plus the few
 * essentials their sh wrappers need (node, readlink, dirname) — and nothing else, so a real docker on the
 * machine can never be found. `use()` swaps process.env (PATH, FAKEBIN_*) and returns the restore function.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const STAND_INS = ['docker', 'podman', 'nerdctl', 'kind', 'minikube', 'k3d'] as const;
export type StandIn = (typeof STAND_INS)[number];

export interface Rule {
  match: string;
  stdout?: string[];
  stderr?: string[];
  exit?: number;
  delayMs?: number;
  ackDir?: string;
}

export interface Call {
  tool: string;
  args: string[];
}

export interface FakeBin {
  dir: string;
  binDir: string;
  /** Recorded invocations, in start order. */
  calls(): Call[];
  /** "tool arg arg" strings, handy for toEqual. */
  lines(): string[];
  use(opts?: { fail?: string[]; rules?: Rule[] }): () => void;
  cleanup(): void;
}

function whichSystem(cmd: string): string {
  return execFileSync('/bin/sh', ['-c', 'command -v "$1"', 'sh', cmd], { encoding: 'utf8' }).trim();
}

export function createFakeBin(tools: readonly StandIn[]): FakeBin {
  const dir = mkdtempSync(path.join(tmpdir(), 'fakebin-'));
  const binDir = path.join(dir, 'bin');
  mkdirSync(binDir);
  for (const t of tools) symlinkSync(path.join(here, t), path.join(binDir, t));
  symlinkSync(process.execPath, path.join(binDir, 'node'));
  for (const essential of ['readlink', 'dirname'])
    symlinkSync(whichSystem(essential), path.join(binDir, essential));
  const log = path.join(dir, 'calls.jsonl');
  writeFileSync(log, '');
  const calls = (): Call[] =>
    readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Call & { exit?: number })
      .filter((c) => c.exit === undefined)
      .map(({ tool, args }) => ({ tool, args }));
  return {
    dir,
    binDir,
    calls,
    lines: () => calls().map((c) => [c.tool, ...c.args].join(' ')),
    use(opts = {}) {
      const saved = {
        PATH: process.env.PATH,
        FAKEBIN_LOG: process.env.FAKEBIN_LOG,
        FAKEBIN_FAIL: process.env.FAKEBIN_FAIL,
        FAKEBIN_RULES: process.env.FAKEBIN_RULES,
      };
      process.env.PATH = binDir;
      process.env.FAKEBIN_LOG = log;
      process.env.FAKEBIN_FAIL = (opts.fail ?? []).join(',');
      const rulesFile = path.join(dir, 'rules.json');
      writeFileSync(rulesFile, JSON.stringify(opts.rules ?? []));
      process.env.FAKEBIN_RULES = rulesFile;
      return () => {
        for (const [k, v] of Object.entries(saved)) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
