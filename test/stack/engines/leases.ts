// A run killed before its stop() (SIGKILL, a crashed worker) would leave dockerd, its bridge and cgroups behind,
// and the next run must still start clean. Each engine writes a lease naming what it made; a start first sweeps the
// leases whose owner process is gone: it kills only processes whose command line names the lease's own directory,
// then deletes that lease's bridge and cgroups.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { bridgeExists } from './network.js';

export interface Lease {
  owner: number;
  dir: string;
  bridge?: string;
  cgroupParent?: string;
}

export const LEASE_DIR = path.join(
  process.env.WIZARD_STACK_CACHE ?? path.join(homedir(), '.cache', 'istio-ingress-wizard', 'stack'),
  'engine-leases',
);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function takeLease(lease: Lease): () => void {
  mkdirSync(LEASE_DIR, { recursive: true });
  const file = path.join(LEASE_DIR, `${path.basename(lease.dir)}-${lease.owner}.json`);
  writeFileSync(file, JSON.stringify(lease));
  return () => rmSync(file, { force: true });
}

/** Leases whose owner is dead: cleaned by clean(lease), then forgotten. Returns what was swept. */
export async function sweepStale(clean: (l: Lease) => Promise<void> | void): Promise<Lease[]> {
  let files: string[] = [];
  try {
    files = readdirSync(LEASE_DIR).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  const swept: Lease[] = [];
  for (const f of files) {
    const file = path.join(LEASE_DIR, f);
    let lease: Lease;
    try {
      lease = JSON.parse(readFileSync(file, 'utf8')) as Lease;
    } catch {
      continue;
    }
    if (alive(lease.owner)) continue;
    await clean(lease);
    rmSync(file, { force: true });
    swept.push(lease);
  }
  return swept;
}

const CGROUP_ROOT = '/sys/fs/cgroup';

/** Where a cgroup parent shows up: a directory in every v1 hierarchy (and at the root of a v2 one). */
export function cgroupDirs(name: string): string[] {
  let hierarchies: string[] = [];
  try {
    hierarchies = readdirSync(CGROUP_ROOT);
  } catch {
    return [];
  }
  return [...hierarchies.map((h) => path.join(CGROUP_ROOT, h, name)), path.join(CGROUP_ROOT, name)];
}

/** rmdir a cgroup and its (empty) children, deepest first: cgroup dirs can only be removed that way. */
export function removeCgroup(dir: string): void {
  let kids: string[];
  try {
    kids = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => path.join(dir, e.name));
  } catch {
    return;
  }
  for (const k of kids) removeCgroup(k);
  try {
    rmdirSync(dir);
  } catch {
    // still has a process in it: the leak check reports it, nothing hides it here
  }
}

export function leftoverCgroups(name: string): string[] {
  return cgroupDirs(name).filter((d) => {
    try {
      readdirSync(d);
      return true;
    } catch {
      return false;
    }
  });
}

/** PIDs of live processes whose command line mentions any of the marks (a run's own directories). */
export function processesMentioning(marks: string[]): number[] {
  const pids: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (marks.some((m) => cmd.includes(m))) pids.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

export function killMentioning(marks: string[]): void {
  for (const pid of processesMentioning(marks)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** What engines whose test process died left: their processes (found by their own dir), bridges and cgroups. */
export async function sweepStaleEngines(): Promise<Lease[]> {
  return sweepStale(async (l) => {
    killMentioning([l.dir]);
    await new Promise((r) => setTimeout(r, 500));
    if (l.bridge && bridgeExists(l.bridge)) execFileSync('ip', ['link', 'del', l.bridge]);
    if (l.cgroupParent) for (const d of cgroupDirs(l.cgroupParent)) removeCgroup(d);
  });
}
