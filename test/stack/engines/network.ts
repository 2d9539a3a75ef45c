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

const ip = (args: string[]) =>
  execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

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
  ip(['link', 'add', name, 'type', 'bridge']);
  const remove = () => {
    if (bridgeExists(name)) ip(['link', 'del', name]);
  };
  try {
    for (let attempt = 0; attempt < 10; attempt++) {
      const used = taken();
      const free = Array.from({ length: 254 }, (_, i) => i + 1).filter((c) => !used.has(c));
      // A PID-dependent start makes two runs at once unlikely to pick the same /24; if they do, the later one
      // sees the other's address after adding its own, steps back and tries another.
      const third = free[(process.pid + attempt * 37) % free.length];
      if (third === undefined) throw new Error('no free /24 left in 10.250.0.0/16 for the engine bridge');
      const subnet = `10.250.${third}.0/24`;
      const gateway = `10.250.${third}.1`;
      ip(['addr', 'add', `${gateway}/24`, 'dev', name]);
      const holders = ip(['-4', '-o', 'addr', 'show', 'to', subnet]).split('\n').filter(Boolean);
      if (holders.length === 1) {
        ip(['link', 'set', name, 'up']);
        return { name, gateway, subnet, remove };
      }
      ip(['addr', 'del', `${gateway}/24`, 'dev', name]);
    }
    throw new Error('could not claim a /24 in 10.250.0.0/16 for the engine bridge after 10 tries');
  } catch (e) {
    remove();
    throw e;
  }
}
