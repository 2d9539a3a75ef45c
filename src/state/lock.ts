// One run per state directory: an exclusive lock file (stateDir/lock) held for the whole command. It says who holds
// it (pid, when the process started, the command line), so a second run can say so and stop (exit 2) or wait
// (--wait-lock); a lock whose process is gone (crashed, SIGKILL) is stale and taken over.
//
// Taking it is atomic: the record is written to a private temp file and hard-linked to `lock` (link fails if the
// name exists), so a reader never sees a half-written lock. Taking over a stale one goes through `lock.takeover`,
// itself taken the same way, so two runs that both find the same stale lock cannot both win.
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, lstat, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { InterruptedError, UsageError } from '../errors.js';
import { sleep } from '../lib/async.js';
import { shownValue } from '../secrets/keyLike.js';
import { StateDirWriteError, writingStateDir } from './fsErrors.js';

export const LOCK_FILE = 'lock';
const TAKEOVER_FILE = 'lock.takeover';
/** A takeover marker older than this was left by a process that died mid-takeover. */
const TAKEOVER_STALE_MS = 10_000;
const POLL_MS = 200;

export interface LockRecord {
  pid: number;
  /** When the holding command started (ISO time). */
  startedAt: string;
  /** The holder's start time in clock ticks since boot (/proc/PID/stat), so a recycled pid is not taken for it. */
  procStart?: string;
  host: string;
  command: string;
}

export interface LockOptions {
  /** The command line, for the message a second run prints. */
  command: string;
  /** --wait-lock: wait for the holder instead of stopping. */
  wait?: boolean;
  signal?: AbortSignal;
  /** Told once when a run starts waiting (who holds the lock). */
  onWait?: (holder: string) => void;
}

export interface HeldLock {
  /** Removes the lock if it is still ours. Safe to call more than once and from a signal handler. */
  release(): void;
}

export function lockPath(stateDir: string): string {
  return join(stateDir, LOCK_FILE);
}

/** The process's start time in clock ticks since boot, or undefined where there is no /proc. */
function procStartOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(rec: LockRecord): boolean {
  if (rec.host !== hostname()) return true; // another machine's process (a shared file system): cannot tell
  try {
    process.kill(rec.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  // The pid exists: is it still the process that took the lock, or a new one given the same number?
  const now = procStartOf(rec.pid);
  return rec.procStart === undefined || now === undefined || now === rec.procStart;
}

function parseRecord(text: string): LockRecord | undefined {
  try {
    const r = JSON.parse(text) as Partial<LockRecord>;
    if (typeof r.pid === 'number' && typeof r.startedAt === 'string') {
      return {
        pid: r.pid,
        startedAt: r.startedAt,
        procStart: typeof r.procStart === 'string' ? r.procStart : undefined,
        host: typeof r.host === 'string' ? r.host : hostname(),
        command: typeof r.command === 'string' ? r.command : '(unknown command)',
      };
    }
  } catch {}
  return undefined;
}

export function describeHolder(rec: LockRecord): string {
  return `pid ${rec.pid}${rec.host !== hostname() ? ` on ${rec.host}` : ''}, \`${rec.command}\`, started ${rec.startedAt}`;
}

/** Hard-links a private temp file holding `text` to `target`; false when `target` already exists. */
async function linkNew(dir: string, target: string, text: string): Promise<boolean> {
  const temp = join(dir, `.lock.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
  } finally {
    await handle.close();
  }
  try {
    await link(temp, target);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') {
      // A file system without hard links: exclusive create (a reader may briefly see it empty: "being taken").
      try {
        const h = await open(target, 'wx', 0o600);
        await h.writeFile(text, 'utf8');
        await h.close();
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw e;
      }
    }
    throw err;
  } finally {
    await unlink(temp).catch(() => {});
  }
}

async function readLock(file: string): Promise<{ text: string; rec?: LockRecord } | undefined> {
  try {
    const st = await lstat(file);
    if (!st.isFile()) {
      throw new UsageError(
        `${shownValue(file)} is not a regular file (a symbolic link or device where the lock belongs); remove it`,
      );
    }
    const text = await readFile(file, 'utf8');
    return { text, rec: parseRecord(text) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Removes a stale lock, unless another run is already doing so or the lock changed meanwhile. */
async function takeOver(stateDir: string, staleText: string): Promise<void> {
  const marker = join(stateDir, TAKEOVER_FILE);
  if (!(await linkNew(stateDir, marker, String(process.pid)))) {
    const st = await lstat(marker).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > TAKEOVER_STALE_MS) await unlink(marker).catch(() => {});
    return;
  }
  try {
    const now = await readLock(lockPath(stateDir));
    if (now && now.text === staleText) await unlink(lockPath(stateDir));
  } finally {
    await unlink(marker).catch(() => {});
  }
}

/** mkdir -p by hand, from the deepest existing parent down; the error code of the first level that fails. */
async function mkdirOneByOne(dir: string): Promise<string | undefined> {
  const missing: string[] = [];
  for (let d = dir; !(await stat(d).catch(() => undefined)); d = dirname(d)) {
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      await mkdir(d, { mode: 0o700 });
    } catch (err) {
      return (err as NodeJS.ErrnoException).code;
    }
  }
  return undefined;
}

/** mkdir -p the state directory (0700 when created); a file in its place is a usage error naming the flag. */
export async function ensureStateDir(stateDir: string): Promise<void> {
  const notDir = () => new UsageError(`--state-dir: "${shownValue(stateDir)}" is not a directory`);
  try {
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    let code = (err as NodeJS.ErrnoException).code;
    // Node's recursive mkdir reports ENOENT on a read-only file system: one level at a time says EROFS.
    if (code === 'ENOENT') code = (await mkdirOneByOne(stateDir)) ?? code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw notDir();
    throw new StateDirWriteError(stateDir, code ?? 'EIO');
  }
  if (!(await stat(stateDir)).isDirectory()) throw notDir();
}

/**
 * Takes the state directory's lock (creating the directory, 0700, if needed). Throws UsageError (exit 2) naming the
 * holder when another live run has it and `wait` is not set; StateDirWriteError when the directory is not writable.
 */
export async function acquireStateLock(stateDir: string, opts: LockOptions): Promise<HeldLock> {
  const rec: LockRecord = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    procStart: procStartOf(process.pid),
    host: hostname(),
    command: opts.command,
  };
  const text = `${JSON.stringify(rec)}\n`;
  const file = lockPath(stateDir);
  let told = false;
  await ensureStateDir(stateDir);
  for (;;) {
    if (opts.signal?.aborted) throw new InterruptedError();
    const taken = await writingStateDir(stateDir, () => linkNew(stateDir, file, text));
    if (taken) break;
    const found = await readLock(file);
    if (!found) continue; // released meanwhile
    if (found.rec && !isAlive(found.rec)) {
      await writingStateDir(stateDir, () => takeOver(stateDir, found.text));
      continue;
    }
    const holder = found.rec ? describeHolder(found.rec) : 'a run that is starting';
    if (!opts.wait) {
      throw new UsageError(
        `the state directory ${shownValue(stateDir)} is in use by another wizard run (${holder})`,
        [],
        'wait for it to finish, or pass --wait-lock to wait for it',
      );
    }
    if (!told) opts.onWait?.(holder);
    told = true;
    await sleep(POLL_MS, opts.signal);
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      try {
        if (readFileSync(file, 'utf8') === text) unlinkSync(file);
      } catch {}
    },
  };
}
