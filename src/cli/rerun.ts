// The command line a hint suggests, with the flags that decide what it does: pasted back, `wizard --from X` must
// resume the same dry-run against the same state, config, answers and cluster — not start a live run somewhere
// else, or in another namespace. Every hint the CLI prints that quotes a `wizard …` command goes through here.
import { statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { StepEvent } from '../steps/types.js';
import type { CliArgs } from './args.js';

type Flags = Pick<
  CliArgs,
  | 'mode'
  | 'stateDir'
  | 'config'
  | 'kubeconfig'
  | 'context'
  | 'recommended'
  | 'namespace'
  | 'api'
  | 'buildTool'
  | 'skipBuild'
  | 'address'
  | 'httpPort'
  | 'httpsPort'
>;

const q = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * `--dry-run --state-dir DIR --config FILE -n NS … --kubeconfig K --context C`, each only when it was given: the
 * mode, where the state and answers are, the flags that change the answers (namespace, api, build) and the
 * verify target, and the cluster.
 */
export function modeFlags(args: Flags): string[] {
  const out: string[] = [];
  if (args.mode === 'client-dry-run') out.push('--dry-run');
  if (args.mode === 'server-dry-run') out.push('--dry-run=server');
  if (args.stateDir !== path.resolve('.wizard')) {
    const rel = path.relative(process.cwd(), args.stateDir);
    out.push('--state-dir', q(rel && !rel.startsWith('..') ? rel : args.stateDir));
  }
  if (args.config) out.push('--config', q(args.config));
  if (args.recommended) out.push('--recommended');
  // Flags that win over the saved answers (cli/answers.ts applyOverrides): without them a rerun sees other answers.
  if (args.namespace) out.push('--namespace', q(args.namespace));
  if (args.api) out.push('--api', args.api);
  if (args.buildTool) out.push('--build-tool', args.buildTool);
  if (args.skipBuild) out.push('--skip-build');
  if (args.address) out.push('--address', q(args.address));
  if (args.httpPort !== undefined) out.push('--http-port', String(args.httpPort));
  if (args.httpsPort !== undefined) out.push('--https-port', String(args.httpsPort));
  if (args.kubeconfig) out.push('--kubeconfig', q(args.kubeconfig));
  if (args.context) out.push('--context', q(args.context));
  return out;
}

/** `wizard` with this run's flags and `extra` after them, quoted as a hint quotes a command. */
export function rerunCommand(args: Flags | undefined, extra = ''): string {
  return `\`${['wizard', ...(args ? modeFlags(args) : [])].join(' ')}${extra}\``;
}

/** The flag pairs of modeFlags: `--state-dir DIR` stays one piece. */
function flagPieces(args: Flags): string[] {
  const pieces: string[] = [];
  for (const part of modeFlags(args)) {
    if (part.startsWith('-') || pieces.length === 0) pieces.push(part);
    else pieces[pieces.length - 1] += ` ${part}`;
  }
  return pieces;
}

/**
 * Every `wizard …` command quoted in a hint gets the flags it lacks, right after `wizard` (after the
 * subcommand for `wizard verify` / `wizard steps` / `wizard teardown`). `wizard --help` is left as it is, and
 * verify gets no --dry-run (it has nothing to dry-run and refuses the flag).
 */
export function withModeFlags(hint: string, args: Flags): string {
  return hint.replace(/`wizard((?: [^`]*)?)`/g, (whole, rest: string) => {
    if (/(^| )--help\b/.test(rest)) return whole;
    const sub = /^ (verify|steps|teardown|run)\b/.exec(rest)?.[1];
    const tail = sub ? rest.slice(sub.length + 1) : rest;
    const missing = flagPieces(args)
      .filter((f) => !(sub === 'verify' && f.startsWith('--dry-run')))
      .filter((f) => !new RegExp(`(^| )${f.split(' ')[0]}(=| |$)`).test(tail))
      .join(' ');
    return `\`wizard${sub ? ` ${sub}` : ''}${missing ? ` ${missing}` : ''}${tail}\``;
  });
}

/**
 * The runner's events with every quoted `wizard …` command in a step's error, summary and output lines given this
 * run's flags, so the hints the UI shows under a step are as pasteable as the CLI's own.
 */
export function eventWithModeFlags(ev: StepEvent, args: Flags): StepEvent {
  const fix = (s: string | undefined) => (s?.includes('`wizard') ? withModeFlags(s, args) : s);
  switch (ev.type) {
    case 'step-log':
      return { ...ev, line: fix(ev.line) ?? ev.line };
    case 'step-end':
      return { ...ev, error: fix(ev.error), summary: fix(ev.summary) };
    case 'run-end':
      return { ...ev, summary: ev.summary.map((s) => fix(s) ?? s) };
    default:
      return ev;
  }
}

/** Whether this process wrote the state file (so "progress is saved" is true), or it was there before, or not at all. */
export function stateWritten(stateDir: string): 'now' | 'before' | 'never' {
  try {
    const st = statSync(path.join(stateDir, 'state.json'));
    return st.mtimeMs >= performance.timeOrigin ? 'now' : 'before';
  } catch {
    return 'never';
  }
}
