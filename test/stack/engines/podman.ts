// Podman (Debian's 4.3) for one test run, configured only through environment variables that point at files
// under dir — the host's /etc/containers, /var/lib/containers, /run/containers, /run/libpod and /dev/shm are
// never written:
//   CONTAINERS_CONF           engine: cgroupfs, runc, file locks and events, tmp dirs, its own CNI config dir
//   CONTAINERS_STORAGE_CONF   graphroot/runroot under dir
//   CONTAINERS_REGISTRIES_CONF  the loopback registries marked insecure = true (plain HTTP): the wizard runs
//                               `podman push IMAGE` without --tls-verify=false, as a user would
//   BUILDAH_ISOLATION=chroot  the only isolation that works here (no user namespaces for rootful OCI builds with
//                             runc in this VM); chroot isolation shares the host's network, so pip reaches PyPI
//                             directly and podman creates no bridge or firewall rule
//   REGISTRY_AUTH_FILE, TMPDIR  no auth.json in /run/containers, no build files in /var/tmp
// One path no setting moves: podman as root keeps its blob-info cache (layer digests it has seen, metadata only)
// in /var/lib/containers/cache. When that directory was not there before, stop() removes what podman made there.
// Podman has no daemon: "start" writes the files and imports the base image; stop() unmounts whatever podman
// left mounted under dir (its overlay driver's private bind of the storage).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureBaseImageTarball, importArgs } from './baseImage.js';

const exec = promisify(execFile);

export type PodmanEnv = {
  CONTAINERS_CONF: string;
  CONTAINERS_STORAGE_CONF: string;
  CONTAINERS_REGISTRIES_CONF: string;
  BUILDAH_ISOLATION: string;
  REGISTRY_AUTH_FILE: string;
  TMPDIR: string;
};

export interface Podman {
  env: PodmanEnv;
  /** Unique strings in the command line of anything this podman leaves running (for leak checks). */
  marks: string[];
  podman(args: string[], opts?: { timeoutMs?: number }): Promise<{ stdout: string; stderr: string }>;
  /** Mounts under dir that are still there (should be none once podman commands have exited). */
  mounts(): string[];
  stop(): Promise<void>;
}

const toml = (s: string) => JSON.stringify(s);

/** Where root's podman keeps its blob-info cache whatever the configuration says (containers/image). */
export const BLOB_INFO_CACHE_DIR = '/var/lib/containers/cache';

export function podmanFiles(dir: string, insecureRegistries: string[]): Record<string, string> {
  const p = (...x: string[]) => path.join(dir, ...x);
  return {
    'containers.conf': [
      '[containers]',
      // podman run would otherwise default to a CNI bridge with iptables rules on the host.
      'netns = "none"',
      '[engine]',
      'cgroup_manager = "cgroupfs"',
      'runtime = "runc"',
      'events_logger = "file"',
      `events_logfile_path = ${toml(p('events.log'))}`,
      'lock_type = "file"',
      `tmp_dir = ${toml(p('libpod-tmp'))}`,
      `static_dir = ${toml(p('storage', 'libpod'))}`,
      `volume_path = ${toml(p('storage', 'volumes'))}`,
      `image_copy_tmp_dir = ${toml(p('tmp'))}`,
      '[network]',
      `network_config_dir = ${toml(p('cni'))}`,
      '',
    ].join('\n'),
    'storage.conf': [
      '[storage]',
      'driver = "overlay"',
      `graphroot = ${toml(p('storage'))}`,
      `runroot = ${toml(p('run'))}`,
      '',
    ].join('\n'),
    'registries.conf': [
      // FROM python:… is a short name: resolve it to docker.io (where the base image is imported) without asking.
      'unqualified-search-registries = ["docker.io"]',
      'short-name-mode = "permissive"',
      ...insecureRegistries.flatMap((r) => ['[[registry]]', `location = ${toml(r)}`, 'insecure = true']),
      '',
    ].join('\n'),
  };
}

export async function preparePodman(opts: {
  dir: string;
  /** host:port of plain-HTTP registries podman may push to. */
  insecureRegistries: string[];
  importBase?: boolean;
}): Promise<Podman> {
  const dir = path.resolve(opts.dir);
  const cacheTop = path.dirname(BLOB_INFO_CACHE_DIR);
  const cacheWasThere = existsSync(cacheTop);
  for (const d of ['storage', 'run', 'tmp', 'libpod-tmp', 'cni'])
    mkdirSync(path.join(dir, d), { recursive: true });
  for (const [name, text] of Object.entries(podmanFiles(dir, opts.insecureRegistries)))
    writeFileSync(path.join(dir, name), text);
  // podman reads REGISTRY_AUTH_FILE even when no registry needs a login; it must exist.
  writeFileSync(path.join(dir, 'auth.json'), '{"auths":{}}\n');
  const env: PodmanEnv = {
    CONTAINERS_CONF: path.join(dir, 'containers.conf'),
    CONTAINERS_STORAGE_CONF: path.join(dir, 'storage.conf'),
    CONTAINERS_REGISTRIES_CONF: path.join(dir, 'registries.conf'),
    BUILDAH_ISOLATION: 'chroot',
    REGISTRY_AUTH_FILE: path.join(dir, 'auth.json'),
    TMPDIR: path.join(dir, 'tmp'),
  };
  const podman = (a: string[], o: { timeoutMs?: number } = {}) =>
    exec('podman', a, {
      env: { ...process.env, ...env },
      timeout: o.timeoutMs ?? 600_000,
      maxBuffer: 64 << 20,
    });
  const mounts = () =>
    readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '))
      .filter((m) => m === dir || m.startsWith(`${dir}/`));
  const stop = async () => {
    // Deepest first: a layer mounted inside the storage bind must go before the bind itself.
    for (const m of mounts().sort((a, b) => b.length - a.length)) {
      try {
        await exec('umount', [m]);
      } catch {
        // reported by mounts() afterwards
      }
    }
    if (!cacheWasThere) {
      // Only what podman put there; rmdir (not rm -r) leaves anything else that appeared meanwhile.
      rmSync(path.join(BLOB_INFO_CACHE_DIR, 'blob-info-cache-v1.boltdb'), { force: true });
      for (const d of [BLOB_INFO_CACHE_DIR, cacheTop]) {
        try {
          rmdirSync(d);
        } catch {
          // not empty or not there
        }
      }
    }
  };
  if (opts.importBase !== false) {
    try {
      await podman(importArgs(ensureBaseImageTarball()));
    } catch (e) {
      await stop();
      throw e;
    }
  }
  return { env, marks: [dir], podman, mounts, stop };
}
