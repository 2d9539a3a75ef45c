/**
 * A network namespace of the tier's own for the ingress gateway, joined to the host by a veth pair on a /29.
 *
 * WHY: istiod programs a gateway's listeners on 0.0.0.0 (only a Gateway server's `bind` changes that, and the
 * wizard's Gateways have none). Envoy on the host's network would listen on every host interface; inside this
 * namespace 0.0.0.0 means the namespace's own veth address only — an address the tier owns. The host end of the
 * pair is where istiod's xDS port and the test backends listen for it. No route leaves the pair (no default route,
 * no forwarding), and `close()` deleting the namespace removes the pair with it.
 *
 * `ip netns add` also leaves something on the host that `ip netns del` does not remove: the first add makes
 * /run/netns a shared bind mount of itself (so the namespace files it mounts there propagate), and creates the
 * directory if it is missing. close() undoes what this process made — the mount only if it was not a mount point
 * before our first add, the directory only if it did not exist — and only once no namespace is left in it
 * (another user's, or another of ours, keeps both).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export interface GatewayNetns {
  name: string;
  /** The namespace's address: where Envoy listens, the gateway pod's IP and the LoadBalancer ingress IP. */
  podIP: string;
  /** The host end of the pair: reachable from inside the namespace (istiod, backends). */
  hostIP: string;
  /** More addresses on the host end (up to 4), e.g. one per backend "pod"; added on the host end when made. */
  backendIPs: string[];
  /** argv prefix that runs a program inside the namespace (`ip netns exec` execs it: the PID stays the program's). */
  exec: string[];
  close(): Promise<void>;
}

async function ip(args: string[]): Promise<string> {
  try {
    return (await execFileP('ip', args)).stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`ip ${args.join(' ')} failed: ${(err.stderr ?? err.message).trim()}`);
  }
}

export const NETNS_DIR = '/run/netns';

/**
 * Whether `dir` is a mount point in this process's mount namespace: /proc/self/mountinfo (field 5, in mount order)
 * lists one for it that no later mount on a parent directory hides (a tmpfs over /run hides /run/netns's).
 */
export function isMountPoint(dir: string): boolean {
  const points = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '');
  const at = points.lastIndexOf(dir);
  if (at < 0) return false;
  const hides = (p: string) => p !== '' && p !== '/' && dir.startsWith(`${p}/`);
  return !points.slice(at + 1).some(hides);
}

/** What this process found before its first `ip netns add`, and how many of its namespaces are open. */
const host = { checked: false, madeDir: false, madeMount: false, open: 0 };

function beforeAdd(): void {
  if (!host.checked) {
    host.checked = true;
    host.madeDir = !existsSync(NETNS_DIR);
    host.madeMount = host.madeDir || !isMountPoint(NETNS_DIR);
  }
  host.open++;
}

/** After our last namespace is deleted: remove the mount and directory `ip netns add` made, if nothing else uses them. */
async function afterDel(): Promise<void> {
  host.open--;
  if (host.open > 0 || !existsSync(NETNS_DIR)) return;
  if (readdirSync(NETNS_DIR).length > 0) return;
  if (host.madeMount && isMountPoint(NETNS_DIR))
    await execFileP('umount', [NETNS_DIR]).catch(() => undefined);
  if (host.madeDir && !isMountPoint(NETNS_DIR)) {
    try {
      rmdirSync(NETNS_DIR);
    } catch {
      /* someone made a namespace meanwhile */
    }
  }
  // A later add starts from what is there then.
  host.checked = false;
}

/** A /29 in 10.254.0.0/16 that no host route or address covers yet (10.254/16 is outside the tier's other ranges). */
async function freeSubnet(): Promise<number> {
  const used = await ip(['-4', 'route', 'show', 'table', 'all']);
  for (let i = 0; i < 64; i++) {
    const base = 8 * Math.floor(Math.random() * 8192);
    const prefix = `10.254.${base >> 8}.${base & 255}/29`;
    if (!used.includes(prefix)) return base;
  }
  throw new Error('no free /29 in 10.254.0.0/16 for the gateway network namespace');
}

export async function createGatewayNetns(tag: string, backends = 0): Promise<GatewayNetns> {
  if (backends > 4) throw new Error('at most 4 backend addresses fit the /29');
  const id = `${tag}${process.pid.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`.slice(0, 10);
  const name = `wizgw-${id}`;
  const hostIf = `wg${id}h`.slice(0, 15);
  const nsIf = `wg${id}n`.slice(0, 15);
  const base = await freeSubnet();
  const addr = (n: number) => `10.254.${(base + n) >> 8}.${(base + n) & 255}`;
  const hostIP = addr(1);
  const podIP = addr(2);
  const backendIPs = Array.from({ length: backends }, (_, i) => addr(3 + i));
  const inNs = (args: string[]) => ip(['netns', 'exec', name, 'ip', ...args]);
  let made = false;
  const close = async () => {
    if (!made) return;
    made = false;
    await ip(['netns', 'del', name]).catch(() => undefined);
    // The namespace end's deletion takes the host end with it; make sure.
    await ip(['link', 'del', hostIf]).catch(() => undefined);
    await afterDel();
  };
  try {
    beforeAdd();
    made = true;
    await ip(['netns', 'add', name]);
    await ip(['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf]);
    await ip(['link', 'set', nsIf, 'netns', name]);
    await ip(['addr', 'add', `${hostIP}/29`, 'dev', hostIf]);
    for (const b of backendIPs) await ip(['addr', 'add', `${b}/29`, 'dev', hostIf]);
    await ip(['link', 'set', hostIf, 'up']);
    await inNs(['link', 'set', 'lo', 'up']);
    await inNs(['addr', 'add', `${podIP}/29`, 'dev', nsIf]);
    await inNs(['link', 'set', nsIf, 'up']);
  } catch (e) {
    await close();
    throw e;
  }
  return { name, podIP, hostIP, backendIPs, exec: ['ip', 'netns', 'exec', name], close };
}

/**
 * Maps the Service ports onto the ports Envoy listens on, inside the namespace (its own nat table: nothing on the
 * host changes, and the rules vanish with the namespace) — what a LoadBalancer does in front of Istio's chart.
 */
export async function redirectPorts(ns: GatewayNetns, map: [number, number][]): Promise<void> {
  for (const [from, to] of map) {
    const args = ['-t', 'nat', '-A', 'PREROUTING', '-d', ns.podIP, '-p', 'tcp', '--dport', String(from)];
    try {
      const [cmd, ...prefix] = ns.exec as [string, ...string[]];
      await execFileP(cmd, [
        ...prefix,
        'iptables',
        '-w',
        ...args,
        '-j',
        'REDIRECT',
        '--to-ports',
        String(to),
      ]);
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new Error(`iptables in ${ns.name} (${from}→${to}) failed: ${(err.stderr ?? err.message).trim()}`);
    }
  }
}
