// A real image registry (Debian's docker-registry, i.e. distribution 2.8) on a free loopback port, plain HTTP,
// with its own config and storage under dir. Engines treat 127.0.0.0/8 as insecure (docker) or are told so
// (podman's registries.conf, containerd's mirror config), so no certificate is involved.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sweepStaleEngines, takeLease } from './leases.js';
import { type Daemon, freePort, startDaemon, waitFor } from './proc.js';

export const REGISTRY_BIN = 'docker-registry';

export interface Registry {
  /** host:port, the registry part of an image name (127.0.0.1:PORT/name:tag). */
  host: string;
  pid: number;
  /** The name an engine or a kubelet pulls: host/repository:tag. */
  image(repository: string, tag: string): string;
  /** The tags the registry holds for a repository ([] when it has none). */
  tags(repository: string): Promise<string[]>;
  /** The manifest a tag points at (undefined when there is none): its digest and its image config's digest. */
  manifest(repository: string, tag: string): Promise<Manifest | undefined>;
  stop(): Promise<void>;
}

export interface Manifest {
  digest: string;
  mediaType: string;
  /** sha256:… of the image config: the image ID docker and podman show for the image. */
  configDigest: string;
}

// Both single-image manifest formats: docker pushes Docker v2 schema 2, podman OCI unless told otherwise.
const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
].join(', ');

function config(root: string, addr: string): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(root)}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${addr}`,
    '',
  ].join('\n');
}

export async function startRegistry(opts: { dir: string; bin?: string }): Promise<Registry> {
  await sweepStaleEngines();
  mkdirSync(opts.dir, { recursive: true });
  const dropLease = takeLease({ owner: process.pid, dir: path.resolve(opts.dir) });
  const storage = path.join(opts.dir, 'storage');
  mkdirSync(storage, { recursive: true });
  // The port is free when asked and bound a moment later; a clash (another process took it) shows as an early
  // exit, so try a few ports.
  let last: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const host = `127.0.0.1:${await freePort()}`;
    const file = path.join(opts.dir, 'config.yml');
    writeFileSync(file, config(storage, host));
    const d: Daemon = startDaemon(opts.bin ?? REGISTRY_BIN, ['serve', file], {
      log: path.join(opts.dir, 'registry.log'),
    });
    try {
      await waitFor(
        `registry on ${host}`,
        async () => {
          try {
            return (await fetch(`http://${host}/v2/`)).status === 200;
          } catch {
            return false;
          }
        },
        { timeoutMs: 15000, daemon: d },
      );
    } catch (e) {
      last = e;
      await d.stop();
      continue;
    }
    return {
      host,
      pid: d.pid,
      image: (repository, tag) => `${host}/${repository}:${tag}`,
      async manifest(repository, tag) {
        const res = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, {
          headers: { Accept: MANIFEST_TYPES },
        });
        if (res.status === 404) return undefined;
        if (!res.ok) throw new Error(`registry ${host}: manifest ${repository}:${tag}: HTTP ${res.status}`);
        const body = (await res.json()) as { mediaType?: string; config?: { digest?: string } };
        return {
          digest: res.headers.get('docker-content-digest') ?? '',
          mediaType: body.mediaType ?? res.headers.get('content-type') ?? '',
          configDigest: body.config?.digest ?? '',
        };
      },
      async tags(repository) {
        const res = await fetch(`http://${host}/v2/${repository}/tags/list`);
        if (res.status === 404) return [];
        if (!res.ok) throw new Error(`registry ${host}: tags of ${repository}: HTTP ${res.status}`);
        return ((await res.json()) as { tags?: string[] | null }).tags ?? [];
      },
      async stop() {
        await d.stop();
        dropLease();
      },
    };
  }
  dropLease();
  throw last;
}
