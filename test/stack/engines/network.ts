// The engine bridge: a Linux bridge with its own name and a /24 no route on the machine uses, made before dockerd
// starts (dockerd --bridge uses it as it is) and deleted on stop. Containers on it reach the host only at the
// bridge's own address; with no NAT and no forwarding that is all they reach.
import { execFileSync } from 'node:child_process';

export interface Bridge {
  name: string;
  /** The bridge's own address (the containers' gateway), e.g. 10.250.7.1. */
  gateway: string;
  /** CIDR, e.g. 10.250.7.0/24. */
  subnet: string;
  remove(): void;
}

const ip = (args: string[]) => execFileSync('ip', args, { encoding: 'utf8' });

const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);

/** The /24s of 10.250.0.0/16 that overlap some address or route on the machine. */
function taken(): Set<number> {
  const text = `${ip(['-4', '-o', 'addr', 'show'])}\n${ip(['-4', 'route', 'show', 'table', 'all'])}`;
  const ranges = [...text.matchAll(/\b(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?/g)].map((m) => {
    const size = 2 ** (32 - Number(m[2] ?? 32));
    const first = Math.floor(toInt(m[1] ?? '0') / size) * size;
    return [first, first + size - 1] as const;
  });
  const used = new Set<number>();
  for (let c = 0; c < 256; c++) {
    const lo = toInt(`10.250.${c}.0`);
    if (ranges.some(([a, b]) => a <= lo + 255 && b >= lo)) used.add(c);
  }
  return used;
}

export function bridgeExists(name: string): boolean {
  try {
    ip(['link', 'show', 'dev', name]);
    return true;
  } catch {
    return false;
  }
}

export function createBridge(name: string): Bridge {
  if (name.length > 15) throw new Error(`bridge name ${name} is longer than 15 characters`);
  const used = taken();
  const free = Array.from({ length: 254 }, (_, i) => i + 1).filter((c) => !used.has(c));
  // Start at a PID-dependent point so two runs at once rarely race for the same /24; the add fails if they do.
  const third = free[process.pid % free.length];
  if (third === undefined) throw new Error('no free /24 left in 10.250.0.0/16 for the engine bridge');
  const gateway = `10.250.${third}.1`;
  ip(['link', 'add', name, 'type', 'bridge']);
  const remove = () => {
    if (bridgeExists(name)) ip(['link', 'del', name]);
  };
  try {
    ip(['addr', 'add', `${gateway}/24`, 'dev', name]);
    ip(['link', 'set', name, 'up']);
  } catch (e) {
    remove();
    throw e;
  }
  return { name, gateway, subnet: `10.250.${third}.0/24`, remove };
}
