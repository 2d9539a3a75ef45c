// Issue 8: the tier must remove what it creates. `ip netns add` leaves /run/netns behind as a bind mount of itself
// (and the directory, if it made it) after `ip netns del`; netns.ts undoes exactly what it made. Checked twice:
// in this process's mount namespace (whatever was there before is there after, no namespace or link of ours
// left), and — because the host may already have that mount from someone else, which would hide the case that
// matters — in a private mount namespace with a fresh tmpfs on /run, where the mount and directory do not exist
// before, and must not exist after. Needs root and iproute2; skipped with the reason otherwise.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { createGatewayNetns, isMountPoint, NETNS_DIR } from './netns.js';

const execFileP = promisify(execFile);
const skip =
  process.getuid?.() !== 0
    ? 'not root: ip netns needs it'
    : spawnSync('ip', ['-V']).status !== 0
      ? 'iproute2 (ip) is not installed'
      : spawnSync('unshare', ['--version']).status !== 0
        ? 'unshare (util-linux) is not installed'
        : undefined;
if (skip)
  process.stderr.write(`\n*** SKIPPED: gateway netns cleanup (test/stack/istio/netns.test.ts): ${skip}\n\n`);

const look = () => ({
  exists: existsSync(NETNS_DIR),
  mounted: existsSync(NETNS_DIR) && isMountPoint(NETNS_DIR),
});
const netnsNames = async () => (await execFileP('ip', ['netns', 'list'])).stdout;
const links = async () => (await execFileP('ip', ['-o', 'link', 'show'])).stdout;

/** Runs netnsProbe.ts in a private mount namespace with a tmpfs on /run (`prepare` then runs there first). */
async function probe(prepare: string) {
  const dir = await mkdtemp(path.join(tmpdir(), 'wizard-netns-probe-'));
  try {
    const out = path.join(dir, 'probe.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('./netnsProbe.ts', import.meta.url))],
      outfile: out,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'warning',
    });
    const script = `mount -t tmpfs wizard-netns-probe /run && ${prepare} exec ${JSON.stringify(process.execPath)} ${JSON.stringify(out)}`;
    const { stdout } = await execFileP('unshare', [
      '--mount',
      '--propagation',
      'private',
      '--',
      'sh',
      '-c',
      script,
    ]);
    return JSON.parse(stdout.trim()) as Record<
      'before' | 'during' | 'afterOne' | 'after',
      ReturnType<typeof look>
    >;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe.skipIf(skip)('the gateway network namespace leaves nothing behind', () => {
  it('on this host: /run/netns is as it was, and no namespace or veth of ours is left', async () => {
    const before = look();
    const ns = await createGatewayNetns('t');
    try {
      expect(await netnsNames()).toContain(ns.name);
      expect(look().mounted, 'ip netns add mounts /run/netns').toBe(true);
    } finally {
      await ns.close();
    }
    expect(await netnsNames()).not.toContain(ns.name);
    expect(await links()).not.toContain(`wg${ns.name.slice('wizgw-'.length)}h`);
    // Someone else's namespace (or their mount) may be there; what we must guarantee is "as before".
    const others = (await netnsNames()).trim() !== '';
    if (!others) expect(look()).toEqual(before);
  });

  it('with no /run/netns at all: the directory and its mount are made, kept while one is open, then removed', async () => {
    const r = await probe('');
    expect(r.before).toEqual({ exists: false, mounted: false });
    expect(r.during).toEqual({ exists: true, mounted: true });
    expect(r.afterOne, 'the second namespace still needs the mount').toEqual({ exists: true, mounted: true });
    expect(r.after).toEqual({ exists: false, mounted: false });
  });

  it('with /run/netns a plain directory: the mount is removed, the directory (not ours) stays', async () => {
    const r = await probe('mkdir /run/netns &&');
    expect(r.before).toEqual({ exists: true, mounted: false });
    expect(r.after).toEqual({ exists: true, mounted: false });
  });

  it('with /run/netns already mounted by someone else: the mount stays', async () => {
    const r = await probe('mkdir /run/netns && mount --bind /run/netns /run/netns &&');
    expect(r.before).toEqual({ exists: true, mounted: true });
    expect(r.after).toEqual({ exists: true, mounted: true });
  });
});
