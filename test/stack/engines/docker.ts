// A real dockerd (Debian's docker.io 20.10) that belongs to one test run and leaves nothing behind:
// - its own --data-root, --exec-root, --pidfile, socket (DOCKER_HOST), daemon.json, trust key and cgroup parent,
//   all under dir or named after it;
// - started inside a private mount namespace (unshare), so every overlay, netns and bind mount it or its containerd
//   makes disappears with it, even after a crash;
// - --oom-score-adjust=0: the machine lacks CAP_SYS_RESOURCE, and dockerd's default -500 fails;
// - networking without touching the host's firewall: --iptables=false --ip-forward=false --ip-masq=false on a
//   bridge of its own (network.ts). Builds still reach PyPI (flask/Dockerfile runs pip) through egress-proxy.mjs on
//   the bridge's address, which the docker CLI passes to every build as HTTPS_PROXY (DOCKER_CONFIG/config.json
//   "proxies"). NAT would have needed ip_forward=1 and MASQUERADE rules on the host; a host-network build would
//   have needed `--network host`, which the wizard's `docker build -t IMAGE CONTEXT` does not pass.
// The test points the real wizard at it through env (DOCKER_HOST, DOCKER_CONFIG): the wizard's argv stays the same.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureBaseImageTarball, importArgs } from './baseImage.js';
import { cgroupDirs, killMentioning, removeCgroup, sweepStaleEngines, takeLease } from './leases.js';
import { type Bridge, createBridge } from './network.js';
import { type Daemon, freePort, startDaemon, tail, waitFor } from './proc.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));

export const DOCKERD_BIN = 'dockerd';
/** Hosts docker build containers may reach through the proxy: the package index pip uses. */
export const EGRESS_ALLOW = ['pypi.org:443', 'files.pythonhosted.org:443'];

export interface Docker {
  /** What a child process needs to use this engine with the plain `docker` CLI. */
  env: { DOCKER_HOST: string; DOCKER_CONFIG: string };
  /** dockerd's PID (its containerd and shims are its descendants, in its mount namespace). */
  pid: number;
  bridge: Bridge;
  /** The cgroup (under each hierarchy's root) every container of this engine runs in. */
  cgroupParent: string;
  /** Unique strings that appear in the command line of every process this engine runs (for leak checks). */
  marks: string[];
  /** Runs the docker CLI against this engine. */
  docker(args: string[], opts?: { timeoutMs?: number }): Promise<{ stdout: string; stderr: string }>;
  /** Stops dockerd (which stops its containers and containerd), the proxy, then removes bridge and cgroups. */
  stop(): Promise<void>;
}

export async function startDocker(opts: { dir: string; importBase?: boolean }): Promise<Docker> {
  await sweepStaleEngines();
  const dir = path.resolve(opts.dir);
  for (const d of ['data', 'exec', 'config']) mkdirSync(path.join(dir, d), { recursive: true });
  const id = `${process.pid.toString(36)}${Date.now().toString(36).slice(-3)}`;
  const socket = path.join(dir, 'docker.sock');
  const cgroupParent = `wzd-${id}`;
  const bridgeName = `wzd-${id}`.slice(0, 15);
  const dropLease = takeLease({ owner: process.pid, dir, bridge: bridgeName, cgroupParent });
  let bridge: Bridge;
  try {
    bridge = createBridge(bridgeName);
  } catch (e) {
    dropLease();
    throw e;
  }
  const cleanups: Array<() => Promise<void> | void> = [dropLease, () => bridge.remove()];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c();
  };
  try {
    const proxyPort = await freePort(bridge.gateway);
    const proxy: Daemon = startDaemon(
      process.execPath,
      [path.join(here, 'egress-proxy.mjs'), bridge.gateway, String(proxyPort), EGRESS_ALLOW.join(','), dir],
      { log: path.join(dir, 'egress-proxy.log') },
    );
    cleanups.push(() => proxy.stop());
    await waitFor('egress proxy', () => tail(proxy.log).includes('listening'), {
      timeoutMs: 10000,
      daemon: proxy,
    });
    const proxyUrl = `http://${bridge.gateway}:${proxyPort}`;
    const dockerConfig = path.join(dir, 'config');
    writeFileSync(
      path.join(dockerConfig, 'config.json'),
      JSON.stringify({
        proxies: { default: { httpProxy: proxyUrl, httpsProxy: proxyUrl, noProxy: 'localhost,127.0.0.1' } },
      }),
    );
    // 20.10 writes a trust key to /etc/docker/key.json unless told where (a deprecated key only daemon.json takes).
    writeFileSync(
      path.join(dir, 'daemon.json'),
      `${JSON.stringify({ 'deprecated-key-path': path.join(dir, 'key.json') })}\n`,
    );
    const args = [
      '--mount',
      '--propagation',
      'private',
      DOCKERD_BIN,
      `--config-file=${path.join(dir, 'daemon.json')}`,
      `--data-root=${path.join(dir, 'data')}`,
      `--exec-root=${path.join(dir, 'exec')}`,
      `--pidfile=${path.join(dir, 'docker.pid')}`,
      `--host=unix://${socket}`,
      '--oom-score-adjust=0',
      `--cgroup-parent=/${cgroupParent}`,
      `--bridge=${bridge.name}`,
      '--iptables=false',
      '--ip6tables=false',
      '--ip-forward=false',
      '--ip-masq=false',
    ];
    const daemon = startDaemon('unshare', args, { log: path.join(dir, 'dockerd.log') });
    const env = { DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: dockerConfig };
    const docker = async (a: string[], o: { timeoutMs?: number } = {}) =>
      run('docker', a, {
        env: { ...process.env, ...env },
        timeout: o.timeoutMs ?? 600_000,
        maxBuffer: 64 << 20,
      });
    const marks = [dir];
    let stopped = false;
    cleanups.push(async () => {
      stopped = true;
      await daemon.stop(30000);
      // Shims outlive a dockerd that was killed; they carry dir in their argv (containerd's socket path).
      killMentioning(marks);
      for (const d of cgroupDirs(cgroupParent)) removeCgroup(d);
    });
    await waitFor(
      'dockerd',
      async () => {
        try {
          await docker(['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 5000 });
          return true;
        } catch {
          return false;
        }
      },
      { timeoutMs: 60000, daemon, intervalMs: 250 },
    );
    if (opts.importBase !== false) await docker(importArgs(ensureBaseImageTarball()));
    return {
      env,
      pid: daemon.pid,
      bridge,
      cgroupParent,
      marks,
      docker,
      async stop() {
        if (stopped) return;
        await cleanup();
      },
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
