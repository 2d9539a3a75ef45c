// A tiny tmux driver for pseudo-terminal tests: a real TTY for the wizard, keys in with send-keys, the screen
// out with capture-pane. tmux is a test dependency (Debian/Ubuntu package `tmux`).
//
// Each session runs on a tmux server of its own (`-L`, a socket named for this process and session, no config
// file). On the shared default socket, killing the last session makes that server exit, and a `new-session` from
// a test file running beside it (or from anyone else on the machine) that reached the exiting server failed with
// "server exited unexpectedly" — about one run in three with the tmux files in parallel.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class TmuxSession {
  readonly name: string;
  /** `tmux -L <socket> -f /dev/null`: this session's own server. */
  readonly #server: string[];

  /** Starts `command` (a shell string: it may redirect stdout) in a detached session of the given size. */
  constructor(command: string, opts: { width?: number; height?: number; env?: Record<string, string> } = {}) {
    this.name = `wiz-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.#server = ['-L', this.name, '-f', '/dev/null'];
    const env = Object.entries(opts.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    this.#tmux([
      'new-session',
      '-d',
      '-s',
      this.name,
      '-x',
      String(opts.width ?? 100),
      '-y',
      String(opts.height ?? 40),
      ...env,
      // Keep the pane after the command ends so its last screen (and exit code line) can be read.
      `${command}; echo "RC=$?"; sleep 600`,
    ]);
    this.#socket = this.#tmux(['display-message', '-p', '#{socket_path}']).trim();
  }

  /** The server's socket file: kill-server leaves it behind, kill() removes it. */
  #socket: string;

  /** Copies everything the program writes to the pane into `file` (for looking at the bytes of a failure). */
  record(file: string): void {
    this.#tmux(['pipe-pane', '-o', '-t', this.name, `cat >> ${JSON.stringify(file)}`]);
  }

  #tmux(args: string[]): string {
    return execFileSync('tmux', [...this.#server, ...args], { encoding: 'utf8' });
  }

  /** The whole scrollback plus the visible screen, trailing blanks removed. */
  screen(): string {
    return this.#tmux(['capture-pane', '-p', '-J', '-S', '-5000', '-t', this.name])
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .trimEnd();
  }

  /** Just the visible screen. */
  visible(): string {
    return this.#tmux(['capture-pane', '-p', '-t', this.name]);
  }

  keys(...keys: string[]): void {
    this.#tmux(['send-keys', '-t', this.name, ...keys]);
  }

  type(text: string): void {
    this.#tmux(['send-keys', '-t', this.name, '-l', text]);
  }

  async waitFor(pattern: RegExp | string, timeoutMs = 15_000): Promise<RegExpMatchArray | string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.screen();
      if (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)) {
        return typeof pattern === 'string' ? pattern : (text.match(pattern) as RegExpMatchArray);
      }
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${pattern}; the screen was:\n${text.split('\n').slice(-40).join('\n')}`,
        );
      }
      await sleep(100);
    }
  }

  /** Waits for a pattern to be gone (an answered prompt is redrawn with ✔ instead of ?). */
  async waitGone(pattern: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.screen().includes(pattern)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for "${pattern}" to go away`);
      await sleep(100);
    }
  }

  /** Resizes the window (and so the pane and the program's terminal: it gets a SIGWINCH). */
  resize(width: number, height: number): void {
    this.#tmux(['resize-window', '-t', this.name, '-x', String(width), '-y', String(height)]);
  }

  /** The exit code the command printed, once it has finished. */
  async exitCode(timeoutMs = 30_000): Promise<number> {
    const m = (await this.waitFor(/^RC=(\d+)$/m, timeoutMs)) as RegExpMatchArray;
    return Number(m[1]);
  }

  kill(): void {
    try {
      // The whole server: it is this session's alone, and its socket file goes with it.
      execFileSync('tmux', [...this.#server, 'kill-server'], { stdio: 'ignore' });
    } catch {
      // Already gone.
    }
    if (this.#socket) rmSync(this.#socket, { force: true });
  }
}
