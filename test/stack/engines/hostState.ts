// What a test tier must leave as it found it: firewall rules, network links, ip_forward, and the mounts and
// processes that mention its own directories. Snapshot before, compare after.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { leftoverCgroups, processesMentioning } from './leases.js';

export interface HostState {
  iptables: string;
  links: string[];
  ipForward: string;
}

function quiet(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

export function hostState(): HostState {
  const iptables = ['iptables', 'ip6tables']
    .flatMap((t) =>
      ['filter', 'nat', 'mangle', 'raw'].map((tb) => `${t} ${tb}\n${quiet(t, ['-t', tb, '-S'])}`),
    )
    .join('\n');
  const links = quiet('ip', ['-o', 'link', 'show'])
    .split('\n')
    .map((l) => l.split(':')[1]?.trim().split('@')[0] ?? '')
    .filter(Boolean)
    .sort();
  return { iptables, links, ipForward: readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim() };
}

/** Mount points at or under any of the directories, in this process's mount namespace. */
export function mountsUnder(dirs: string[]): string[] {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '))
    .filter((m) => dirs.some((d) => m === d || m.startsWith(`${d}/`)));
}

export { leftoverCgroups, processesMentioning };
