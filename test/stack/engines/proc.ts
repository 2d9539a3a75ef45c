// The few process chores the engines share: start a daemon with its output in a log file, stop exactly that PID
// (never a name), wait for a condition, and find a free loopback port.
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import net from 'node:net';

export interface Daemon {
  pid: number;
  log: string;
  /** SIGTERM, then SIGKILL after graceMs; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
  /** Set once the process has exited (by itself or stopped). */
  exited(): boolean;
}

export function startDaemon(
  cmd: string,
  args: string[],
  opts: { log: string; env?: NodeJS.ProcessEnv; cwd?: string },
): Daemon {
  const fd = openSync(opts.log, 'a');
  const child: ChildProcess = spawn(cmd, args, {
    stdio: ['ignore', fd, fd],
    env: opts.env ?? process.env,
    cwd: opts.cwd,
  });
  if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
  const pid = child.pid;
  let done = false;
  const gone = new Promise<void>((resolve) => {
    child.once('exit', () => {
      done = true;
      resolve();
    });
    child.once('error', () => {
      done = true;
      resolve();
    });
  });
  return {
    pid,
    log: opts.log,
    exited: () => done,
    async stop(graceMs = 15000) {
      if (done) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
    },
  };
}

export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  opts: { timeoutMs: number; daemon?: Daemon; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (await check()) return;
    if (opts.daemon?.exited()) throw new Error(`${what}: the process exited\n${tail(opts.daemon.log)}`);
    if (Date.now() > deadline)
      throw new Error(
        `${what}: not ready after ${opts.timeoutMs} ms\n${opts.daemon ? tail(opts.daemon.log) : ''}`,
      );
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}

/** A port nothing listens on right now (the kernel picks it); the caller binds it soon after. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
