// The stream Ink draws on: the real terminal, plus what Ink cannot know about a resize. Ink redraws its live area
// by erasing as many rows as its last frame had lines. When the terminal narrows, a reflowing terminal (tmux,
// VTE, iTerm2, kitty, Windows Terminal…) rewraps each line wider than the new width onto several rows, so that
// count falls short and the top of the old frame (the header) stays on screen; and a frame still in flight
// when the terminal rewrapped is taken in at the new width and wraps itself, leaving more (after 100→70→100
// columns the header was there three times). So:
//  - before anything is written, the real size is read (an ioctl, not the SIGWINCH that may still be queued);
//    if the terminal narrowed since the last frame, the rows that frame takes once rewrapped are cleared, and
//    the cursor is put where Ink's own erase then ends at the frame's first row;
//  - frames are written with autowrap off: each line is one row whatever width the terminal takes them in at
//    (Ink's lines fit the width it laid them out for, so nothing is cut unless the terminal is narrower).
// Consecutive frames have the same lines (a clock moves), so the same count covers a frame rewrapped by the
// terminal and one that arrived after the rewrap. Static output (finished lines) is written as it is: it may wrap.
import { EventEmitter } from 'node:events';
import { stripVTControlCharacters } from 'node:util';

const ESC = '\u001b[';
const ERASE_LINE = `${ESC}2K`;
const UP = `${ESC}1A`;
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what is matched
const ERASE_PREFIX = /^(?:\u001b\[2K|\u001b\[1A|\u001b\[G)+/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what is matched
const ONLY_ESCAPES = /^(?:\u001b\[[0-?]*[ -/]*[@-~])*$/;

/** Terminal columns a line takes: code points, wide East Asian ones as two (the UI's text is nearly all ASCII). */
export function columnsOf(line: string): number {
  let n = 0;
  for (const ch of stripVTControlCharacters(line)) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x20 || (c >= 0x300 && c < 0x370) || c === 0x200d || (c >= 0xfe00 && c <= 0xfe0f)) continue;
    n +=
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0x1f300 && c <= 0x1faff)
        ? 2
        : 1;
  }
  return n;
}

/** Rows lines of these widths (in columns) take once a reflowing terminal rewraps them at `width` columns. */
export function reflowedRows(widths: readonly number[], width: number): number {
  return widths.reduce((sum, w) => sum + Math.max(1, Math.ceil(w / Math.max(1, width))), 0);
}

/** xterm and rxvt cut lines on a resize instead of rewrapping them. */
export function terminalReflows(env: NodeJS.ProcessEnv = process.env): boolean {
  return !env.XTERM_VERSION && !/^rxvt/.test(env.TERM ?? '');
}

type Real = NodeJS.WriteStream & { getWindowSize?: () => [number, number] };

export class LiveTerminal extends EventEmitter {
  readonly #real: Real;
  readonly #reflows: boolean;
  /** The columns each line of the last frame on screen (Ink's live area) takes, and the width it was drawn at. */
  #frame: number[] = [];
  #drawnAt: number;
  /** What the next content write is: Ink writes its static output right after a clear, then the frame. */
  #next: 'static' | 'frame' = 'frame';
  /** A resize was handled: the clear that follows is Ink's resize clear, not the one before static output. */
  #resized = false;

  constructor(real: NodeJS.WriteStream, opts: { reflows?: boolean } = {}) {
    super();
    this.#real = real as Real;
    this.#reflows = opts.reflows ?? terminalReflows();
    this.#drawnAt = this.#width();
  }

  get columns(): number {
    return this.#real.columns;
  }
  get rows(): number {
    return this.#real.rows;
  }
  get isTTY(): boolean {
    return this.#real.isTTY;
  }
  get writable(): boolean {
    return this.#real.writable;
  }
  get writableEnded(): boolean {
    return this.#real.writableEnded;
  }
  get destroyed(): boolean {
    return this.#real.destroyed;
  }
  get writableLength(): number {
    return this.#real.writableLength;
  }

  // Listeners (Ink's and useStdout's 'resize') go to the real stream, which emits them on SIGWINCH.
  override on(event: string | symbol, fn: (...args: unknown[]) => void): this {
    (this.#real as EventEmitter).on(event, fn);
    return this;
  }
  override addListener(event: string | symbol, fn: (...args: unknown[]) => void): this {
    return this.on(event, fn);
  }
  override once(event: string | symbol, fn: (...args: unknown[]) => void): this {
    (this.#real as EventEmitter).once(event, fn);
    return this;
  }
  override off(event: string | symbol, fn: (...args: unknown[]) => void): this {
    (this.#real as EventEmitter).off(event, fn);
    return this;
  }
  override removeListener(event: string | symbol, fn: (...args: unknown[]) => void): this {
    return this.off(event, fn);
  }

  /** The size the terminal has now, asked of the pty itself (`columns` waits for the SIGWINCH to be handled). */
  #width(): number {
    try {
      const size = this.#real.getWindowSize?.();
      if (size && size[0] > 0) return size[0];
    } catch {
      // Not a tty (tests): what the stream says.
    }
    return this.#real.columns || 80;
  }

  write(data: string | Uint8Array, cb?: (err?: Error | null) => void): boolean {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    const now = this.#width();
    const narrowed = now < this.#drawnAt && this.#frame.length > 0;
    if (narrowed) this.#clearReflowed(now);
    this.#drawnAt = Math.min(this.#drawnAt, now);
    if (ONLY_ESCAPES.test(text)) {
      // Ink's clear (an erase, or nothing when there was no frame): the frame is gone. What Ink writes next is
      // its static output — unless the clear is the one Ink makes on a resize, followed by the frame itself.
      if (text === '' || text.includes(ERASE_LINE)) {
        this.#frame = [];
        this.#next = narrowed || this.#resized ? 'frame' : 'static';
        this.#resized = false;
      }
      return this.#real.write(text, cb);
    }
    if (this.#next === 'static' && !ERASE_PREFIX.test(text)) {
      // Finished lines above the live area: they may wrap (nothing erases them).
      this.#next = 'frame';
      return this.#real.write(text, cb);
    }
    // The frame. Its lines fit the width Ink laid them out for; written with autowrap off, a frame the terminal
    // takes in at a smaller width (bytes still in flight when it rewrapped) is cut at the edge, one row per line,
    // so the next erase by line count still covers it.
    const body = text.replace(ERASE_PREFIX, '');
    const lines = body.split('\n');
    if (body.endsWith('\n')) lines.pop();
    this.#frame = lines.map((l) => Math.min(columnsOf(l), now));
    this.#drawnAt = now;
    this.#next = 'frame';
    return this.#real.write(`${ESC}?7l${text}${ESC}?7h`, cb);
  }

  /**
   * The last frame was drawn wider than the terminal is now: clear the rows it takes after the rewrap, then stand
   * where Ink expects the frame's end, so its erase of `lines + 1` rows ends at the frame's first row.
   */
  #clearReflowed(width: number): void {
    const lines = this.#frame.length;
    const rows = this.#reflows ? reflowedRows(this.#frame, width) : lines;
    this.#frame = this.#frame.map(() => 0);
    this.#resized = true;
    if (rows <= lines) return;
    this.#real.write(`${ERASE_LINE}${`${UP}${ERASE_LINE}`.repeat(rows)}${ESC}${lines}B`);
  }
}
