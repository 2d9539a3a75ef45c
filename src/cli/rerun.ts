// The command line a hint suggests, with the flags that decide what it does: pasted back, `wizard --from X` must
// resume the same dry-run against the same state, config and cluster — not start a live run somewhere else.
import { statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CliArgs } from './args.js';

type Flags = Pick<CliArgs, 'mode' | 'stateDir' | 'config' | 'kubeconfig' | 'context' | 'recommended'>;

const q = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** `--dry-run --state-dir DIR --config FILE --kubeconfig K --context C`, each only when it was given. */
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
  if (args.kubeconfig) out.push('--kubeconfig', q(args.kubeconfig));
  if (args.context) out.push('--context', q(args.context));
  return out;
}

/** Every `wizard …` command quoted in a hint gets the flags it lacks, right after `wizard`. */
export function withModeFlags(hint: string, args: Flags): string {
  return hint.replace(/`wizard((?: [^`]*)?)`/g, (_, rest: string) => {
    const flags = modeFlags(args).join(' ');
    const missing = flags
      .split(/ (?=--)/)
      .filter((f) => f && !rest.includes(f.split(' ')[0] as string))
      .join(' ');
    return `\`wizard${missing ? ` ${missing}` : ''}${rest}\``;
  });
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
