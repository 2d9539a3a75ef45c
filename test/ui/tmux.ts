// A tiny tmux driver for pseudo-terminal tests: a real TTY for the wizard, keys in with send-keys, the screen
// out with capture-pane. tmux is a test dependency (Debian/Ubuntu package `tmux`).
import { execFileSync } from 'node:child_process';

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

  /** Starts `command` (a shell string: it may redirect stdout) in a detached session of the given size. */
  constructor(command: string, opts: { width?: number; height?: number; env?: Record<string, string> } = {}) {
    this.name = `wiz-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const env = Object.entries(opts.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    execFileSync('tmux', [
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
  }

  /** The whole scrollback plus the visible screen, trailing blanks removed. */
  screen(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-J', '-S', '-5000', '-t', this.name], {
      encoding: 'utf8',
    })
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .trimEnd();
  }

  /** Just the visible screen. */
  visible(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-t', this.name], { encoding: 'utf8' });
  }

  keys(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, ...keys]);
  }

  type(text: string): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, '-l', text]);
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

  /** The exit code the command printed, once it has finished. */
  async exitCode(timeoutMs = 30_000): Promise<number> {
    const m = (await this.waitFor(/^RC=(\d+)$/m, timeoutMs)) as RegExpMatchArray;
    return Number(m[1]);
  }

  kill(): void {
    try {
      execFileSync('tmux', ['kill-session', '-t', this.name], { stdio: 'ignore' });
    } catch {
      // Already gone.
    }
  }
}
