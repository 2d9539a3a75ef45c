/**
 * OCI images made on this machine from one static C program each (no registry can be pulled from here): the pod
 * sandbox's pause image and a tiny HTTP server for test pods. Each becomes an OCI image-layout tar that
 * `ctr images import` takes; the `io.containerd.image.name` annotation names the image.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
const STATIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'static');

export const PAUSE_IMAGE = 'wizard.local/pause:1';
export const HTTPD_IMAGE = 'wizard.local/httpd:1';

async function run(cmd: string, args: string[], cwd?: string): Promise<void> {
  try {
    await execFileP(cmd, args, { cwd });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${(err.stderr ?? err.message).trim()}`);
  }
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** Compiles `static/<source>.c` with `gcc -static` and writes an OCI archive holding it as `/<source>`. */
export async function buildStaticImage(opts: {
  source: 'pause' | 'httpd';
  name: string;
  workDir: string;
}): Promise<string> {
  const work = path.join(opts.workDir, `image-${opts.source}`);
  await rm(work, { recursive: true, force: true });
  const rootfs = path.join(work, 'rootfs');
  const layout = path.join(work, 'layout');
  await mkdir(rootfs, { recursive: true });
  await mkdir(path.join(layout, 'blobs', 'sha256'), { recursive: true });
  await run('gcc', [
    '-static',
    '-O2',
    '-o',
    path.join(rootfs, opts.source),
    path.join(STATIC_DIR, `${opts.source}.c`),
  ]);
  const layerTar = path.join(work, 'layer.tar');
  // Fixed owner and mtime: the same source gives the same digest, so a re-import is a no-op.
  await run('tar', [
    '--numeric-owner',
    '--owner=0',
    '--group=0',
    '--mtime=@0',
    '--sort=name',
    '-C',
    rootfs,
    '-cf',
    layerTar,
    opts.source,
  ]);
  const layer = await readFile(layerTar);
  const layerDigest = sha(layer);
  const blob = async (content: Buffer | string) => {
    const d = sha(content);
    await writeFile(path.join(layout, 'blobs', 'sha256', d), content);
    return d;
  };
  await blob(layer);
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: { Entrypoint: [`/${opts.source}`], WorkingDir: '/' },
    rootfs: { type: 'layers', diff_ids: [`sha256:${layerDigest}`] },
    history: [{ created_by: `gcc -static ${opts.source}.c (test/stack/node/static)` }],
  });
  const configDigest = await blob(config);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: `sha256:${configDigest}`,
      size: Buffer.byteLength(config),
    },
    layers: [
      {
        mediaType: 'application/vnd.oci.image.layer.v1.tar',
        digest: `sha256:${layerDigest}`,
        size: layer.length,
      },
    ],
  });
  const manifestDigest = await blob(manifest);
  const tag = opts.name.slice(opts.name.lastIndexOf(':') + 1);
  await writeFile(path.join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    path.join(layout, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: `sha256:${manifestDigest}`,
          size: Buffer.byteLength(manifest),
          platform: { architecture: 'amd64', os: 'linux' },
          annotations: { 'io.containerd.image.name': opts.name, 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  const archive = path.join(work, `${opts.source}.oci.tar`);
  await run('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', layout, '-cf', archive, '.']);
  return archive;
}
