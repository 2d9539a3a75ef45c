/**
 * Everything the node changes on the host, made and undone here, synchronously (teardown must also run from a
 * process 'exit' handler after SIGINT/SIGTERM): the bridge and its Service route, the FORWARD guard, the private
 * mount namespace's masks, the kubelet's cgroup subtree, the KUBE-* iptables chains, and a state file that lets a
 * later start clean up after a run that died before its stop().
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

export const STATE_DIR = '/run/wizard-node';
const STATE_FILE = path.join(STATE_DIR, 'state.json');

export function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}
const tryRun = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });

export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// ---- processes --------------------------------------------------------------------------------------------------

/** Start time of a PID (field 22 of /proc/PID/stat): with the PID it names one process, never a reused PID. */
export function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    return fields[19];
  } catch {
    return undefined;
  }
}

export interface ProcRef {
  pid: number;
  start: string;
  name: string;
}

const alive = (p: ProcRef) => startTime(p.pid) === p.start;

/** SIGKILLs each still-running process (and its process group when it leads one) and waits until all are gone. */
export function killAll(procs: ProcRef[], timeoutMs = 10_000): void {
  for (const p of procs) {
    if (!alive(p)) continue;
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      /* not a group leader */
    }
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (procs.some(alive) && Date.now() < deadline) sleepSync(50);
}

export function mountNsOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/mnt`);
  } catch {
    return undefined;
  }
}

/** Every process in the given mount namespace: containerd and the shims it forked off (they leave its group). */
export function procsInMountNs(ns: string): ProcRef[] {
  const out: ProcRef[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid || mountNsOf(pid) !== ns) continue;
    const start = startTime(pid);
    if (start) out.push({ pid, start, name: comm(pid) });
  }
  return out;
}

export function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

// ---- cgroups ----------------------------------------------------------------------------------------------------

/** Mount points of every cgroup hierarchy (v1 controllers and the v2 unified one of a hybrid setup). */
export function cgroupMounts(): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' '))
    .filter((f) => f[2] === 'cgroup' || f[2] === 'cgroup2')
    .map((f) => f[1] as string);
}

/** kubelet refuses a cgroupRoot that does not exist; cpuset children start empty, so copy the parent's sets. */
export function makeCgroupRoot(root: string): void {
  for (const m of cgroupMounts()) {
    const d = path.join(m, root);
    mkdirSync(d, { recursive: true });
    if (existsSync(path.join(m, 'cpuset.cpus')) && existsSync(path.join(d, 'cpuset.cpus'))) {
      for (const f of ['cpuset.cpus', 'cpuset.mems'])
        writeFileSync(path.join(d, f), readFileSync(path.join(m, f)));
    }
  }
}

function cgroupDirs(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: string[] = [];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e);
      try {
        if (statSync(p).isDirectory()) walk(p);
      } catch {
        /* raced away */
      }
    }
    out.push(d);
  };
  walk(dir);
  return out; // children before parents
}

/** Kills every process left in the subtree (containers whose shim is gone), then removes the subtree. */
export function removeCgroupRoot(root: string): string[] {
  const left: string[] = [];
  for (const m of cgroupMounts()) {
    const top = path.join(m, root);
    if (!existsSync(top)) continue;
    for (let round = 0; round < 50; round++) {
      let any = false;
      for (const d of cgroupDirs(top)) {
        let pids: string[] = [];
        try {
          pids = readFileSync(path.join(d, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean);
        } catch {
          /* gone */
        }
        for (const pid of pids) {
          any = true;
          try {
            process.kill(Number(pid), 'SIGKILL');
          } catch {
            /* gone */
          }
        }
      }
      if (!any) break;
      sleepSync(100);
    }
    for (const d of cgroupDirs(top)) {
      try {
        rmdirSync(d);
      } catch (e) {
        left.push(`${d}: ${(e as Error).message}`);
      }
    }
  }
  return left;
}

// ---- network ----------------------------------------------------------------------------------------------------

export function linkExists(name: string): boolean {
  return tryRun('ip', ['link', 'show', 'dev', name]).status === 0;
}

export function createBridge(o: {
  bridge: string;
  nodeIP: string;
  podCIDR: string;
  serviceCIDR: string;
}): void {
  const bits = o.podCIDR.split('/')[1];
  run('ip', ['link', 'add', 'name', o.bridge, 'type', 'bridge']);
  run('ip', ['addr', 'add', `${o.nodeIP}/${bits}`, 'dev', o.bridge]);
  run('ip', ['link', 'set', 'dev', o.bridge, 'up']);
  // Host → ClusterIP leaves by the bridge with the node's address, never by the default route.
  run('ip', ['route', 'add', o.serviceCIDR, 'dev', o.bridge, 'src', o.nodeIP]);
}

export function removeBridge(bridge: string): void {
  if (linkExists(bridge)) tryRun('ip', ['link', 'del', 'dev', bridge]); // its addresses and routes go with it
}

/**
 * A chain of the tier's own, first in FORWARD: whatever a pod sends anywhere but the bridge (or `allowOut`) is dropped,
 * and so is whatever another interface forwards into the bridge.
 */
export function addForwardGuard(chain: string, bridge: string, allowOut: string[]): void {
  run('iptables', ['-w', '-N', chain]);
  for (const i of allowOut) run('iptables', ['-w', '-A', chain, '-i', bridge, '-o', i, '-j', 'RETURN']);
  run('iptables', ['-w', '-A', chain, '-i', bridge, '!', '-o', bridge, '-j', 'DROP']);
  // And nothing but the allowed interfaces forwards into the pod network (ip_forward may be on for them).
  for (const i of allowOut) run('iptables', ['-w', '-A', chain, '-i', i, '-o', bridge, '-j', 'RETURN']);
  run('iptables', ['-w', '-A', chain, '!', '-i', bridge, '-o', bridge, '-j', 'DROP']);
  run('iptables', ['-w', '-I', 'FORWARD', '1', '-j', chain]);
}

export function removeForwardGuard(chain: string): void {
  while (tryRun('iptables', ['-w', '-D', 'FORWARD', '-j', chain]).status === 0) {
    /* every copy */
  }
  tryRun('iptables', ['-w', '-F', chain]);
  tryRun('iptables', ['-w', '-X', chain]);
}

const TABLES = ['filter', 'nat', 'mangle', 'raw'];

/** Names of KUBE-* chains left in iptables / ip6tables (kube-proxy's and kubelet's). */
export function kubeChains(): string[] {
  const found: string[] = [];
  for (const bin of ['iptables', 'ip6tables']) {
    for (const t of TABLES) {
      const r = tryRun(`${bin}-save`, ['-t', t]);
      for (const m of (r.stdout ?? '').matchAll(/^:(KUBE-\S+)/gm)) found.push(`${bin}/${t}/${m[1]}`);
    }
  }
  return found;
}

/**
 * Removes every KUBE-* chain and every rule jumping to one, in both families. Only one node tier runs per machine
 * (the state file's lock), and the host had none before (checked at start), so all of them are the tier's.
 */
export function removeKubeChains(): void {
  for (const bin of ['iptables', 'ip6tables']) {
    for (const t of TABLES) {
      const save = tryRun(`${bin}-save`, ['-t', t]).stdout ?? '';
      const chains = [...save.matchAll(/^:(KUBE-\S+)/gm)].map((m) => m[1] as string);
      if (chains.length === 0) continue;
      for (const line of save.split('\n')) {
        const m = /^-A (\S+) (.*-j (KUBE-\S+).*)$/.exec(line);
        if (!m || (m[1] as string).startsWith('KUBE-')) continue;
        // iptables-save prints rules in the syntax -D takes back.
        tryRun('sh', ['-c', `${bin} -w -t "$1" -D ${m[1]} ${m[2]}`, 'sh', t]);
      }
      for (const c of chains) tryRun(bin, ['-w', '-t', t, '-F', c]);
      for (const c of chains) tryRun(bin, ['-w', '-t', t, '-X', c]);
    }
  }
}

// ---- sysctls ----------------------------------------------------------------------------------------------------

export function readSysctl(key: string): string {
  return readFileSync(`/proc/sys/${key}`, 'utf8').trim();
}

export function writeSysctl(key: string, value: string): void {
  writeFileSync(`/proc/sys/${key}`, `${value}\n`);
}

// ---- the state file (one node tier per machine) -----------------------------------------------------------------

export interface NodeState {
  owner: ProcRef;
  dir: string;
  keepDir: boolean;
  bridge: string;
  forwardChain: string;
  cgroupRoot: string;
  mountNs?: string;
  procs: ProcRef[];
  /** ip_forward before the tier set it, when it did */
  ipForwardBefore?: string;
  createdRunNetns: boolean;
  kubeProxy?: string;
}

export function readState(): NodeState | undefined {
  try {
    return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as NodeState;
  } catch {
    return undefined;
  }
}

export function writeState(s: NodeState): void {
  mkdirSync(STATE_DIR, { recursive: true, mode: 0o700 });
  writeFileSync(STATE_FILE, JSON.stringify(s, null, 2), { mode: 0o600 });
}

export function clearState(): void {
  try {
    unlinkSync(STATE_FILE);
    rmdirSync(STATE_DIR);
  } catch {
    /* already gone */
  }
}

/** Undoes everything a state file records; returns what could not be undone (empty when clean). */
export function teardown(s: NodeState): string[] {
  const problems: string[] = [];
  // containerd, its shims and the namespace holder; then containers whose shim is gone (cgroup subtree).
  const inNs = s.mountNs ? procsInMountNs(s.mountNs) : [];
  killAll([...s.procs, ...inNs]);
  problems.push(...removeCgroupRoot(s.cgroupRoot));
  if (s.kubeProxy && existsSync(s.kubeProxy)) tryRun(s.kubeProxy, ['--cleanup', '--v=0']);
  removeKubeChains();
  removeForwardGuard(s.forwardChain);
  removeBridge(s.bridge);
  if (s.ipForwardBefore !== undefined) {
    try {
      writeSysctl('net/ipv4/ip_forward', s.ipForwardBefore);
    } catch (e) {
      problems.push(`restoring ip_forward: ${(e as Error).message}`);
    }
  }
  if (s.createdRunNetns) {
    try {
      rmdirSync('/run/netns');
    } catch {
      /* someone else uses it now */
    }
  }
  if (!s.keepDir) {
    try {
      rmSync(s.dir, { recursive: true, force: true });
    } catch (e) {
      problems.push(`removing ${s.dir}: ${(e as Error).message}`);
    }
  }
  const left = s.procs.filter(alive).map((p) => `${p.name} (${p.pid})`);
  if (left.length) problems.push(`still running: ${left.join(', ')}`);
  const chains = kubeChains();
  if (chains.length) problems.push(`iptables chains left: ${chains.join(', ')}`);
  if (linkExists(s.bridge)) problems.push(`bridge ${s.bridge} still exists`);
  return problems;
}
