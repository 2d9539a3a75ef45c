// Text helpers shared by the plain renderer and the Ink components (no ink/react here).
import type { ProgressInfo, StepStatus } from '../steps/types.js';

/** 0.4s, 12.3s, 1m 05s, 1h 02m — short enough for a status column. */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < 60_000) return `${(Math.floor(safe / 100) / 10).toFixed(1)}s`;
  const totalSeconds = Math.floor(safe / 1000);
  if (totalSeconds < 3600) {
    return `${Math.floor(totalSeconds / 60)}m ${String(totalSeconds % 60).padStart(2, '0')}s`;
  }
  const totalMinutes = Math.floor(totalSeconds / 60);
  return `${Math.floor(totalMinutes / 60)}h ${String(totalMinutes % 60).padStart(2, '0')}m`;
}

/** Whole seconds, for wait progress: "12s", "2m 00s". */
export function formatSeconds(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

/** "waiting for rollout: 12s / 2m 00s, 1m 48s left" (or without the timeout part). */
export function describeProgress(p: ProgressInfo): string {
  if (p.timeoutMs === undefined) return `${p.label}: ${formatSeconds(p.elapsedMs)}`;
  // Whole seconds on both sides, so elapsed + left always adds up to the timeout.
  const left = Math.max(0, p.timeoutMs - Math.round(p.elapsedMs / 1000) * 1000);
  return `${p.label}: ${formatSeconds(p.elapsedMs)} / ${formatSeconds(p.timeoutMs)}, ${formatSeconds(left)} left`;
}

/** Status words: the UI never relies on a symbol or a colour alone. */
export const STATUS_WORD: Record<StepStatus, string> = {
  pending: 'pending',
  running: 'running',
  done: 'done',
  skipped: 'skipped',
  failed: 'failed',
};

/** Cut to width columns with an ellipsis (code units; our text is ASCII apart from the ellipsis). */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  if (width === 1) return '…';
  return `${text.slice(0, width - 1)}…`;
}

/**
 * One shell word, quoted only when needed. Control characters (curl's `--write-out '\n…'`) use `$'…'` escapes, so a
 * command is always one line: the plain renderer promises one line per event, and the plan view cuts per line.
 */
export function shellQuote(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
  const control = /[\u0000-\u001f\u007f]/g;
  if (!control.test(arg)) return `'${arg.replace(/'/g, `'\\''`)}'`;
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  const escaped = arg
    .replace(/[\\']/g, (ch) => `\\${ch}`)
    .replace(control, (ch) => named[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `$'${escaped}'`;
}

/** A command as one shell-quoted line. */
export function commandLine(cmd: string, args: readonly string[]): string {
  return [cmd, ...args.map(shellQuote)].join(' ');
}

/** Each status's colour, by name (Ink) and as its ANSI SGR code (plain lines); pending is only dimmed. */
export const STATUS_COLOR = {
  pending: { name: 'gray', sgr: undefined },
  running: { name: 'cyan', sgr: 36 },
  done: { name: 'green', sgr: 32 },
  skipped: { name: 'yellow', sgr: 33 },
  failed: { name: 'red', sgr: 31 },
} as const satisfies Record<StepStatus, { name: string; sgr: number | undefined }>;

/**
 * Fits `text` to `width` columns by breaking at spaces instead of cutting: actionable text (a fix, a command) must
 * stay whole. A command (`shell`) gets ` \\` at each break so the lines still paste as one command; a word longer
 * than the line is split where it must be. Continuation lines are indented by `indent`.
 */
export function wrapText(
  text: string,
  width: number,
  opts: { shell?: boolean; indent?: string } = {},
): string[] {
  const indent = opts.indent ?? '  ';
  const tail = opts.shell ? ' \\' : '';
  const room = width - tail.length;
  if (text.length <= width || room <= indent.length + 4) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line !== indent && `${line} ${word}`.length > room) {
      lines.push(line + tail);
      line = indent;
    }
    line = line === '' || line === indent ? line + word : `${line} ${word}`;
    while (line.length > width) {
      lines.push(line.slice(0, width));
      line = indent + line.slice(width);
    }
  }
  lines.push(line);
  return lines;
}

/**
 * A step's error without the detail lines its output already showed: preflight's FAIL lines and verify's
 * diagnosis and `next:` lines are logged as they happen and listed again in the error, which read as the same
 * failure printed twice. The first line (what failed) always stays; a detail line goes when a shown output line
 * says the same (equal, or — for a line long enough not to match by chance — containing it).
 */
export function withoutShownLines(error: string, shown: readonly string[]): string {
  const [head = '', ...details] = error.split('\n');
  const said = shown.map((l) => l.trim()).filter((l) => l !== '');
  const repeated = (line: string) => {
    const text = line.trim().replace(/^- /, '');
    if (text === '') return false;
    return said.some((l) => l === text || (text.length >= 20 && l.includes(text)));
  };
  const kept = details.filter((d) => !repeated(d));
  if (kept.length === details.length) return error;
  if (kept.length === 0) return `${head.replace(/:$/, '')}: see above`;
  return [head, ...kept].join('\n');
}
