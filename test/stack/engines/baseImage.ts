// The base image flask/Dockerfile starts FROM, made locally (no image can be pulled here): base-image.sh builds a
// debootstrap'd bookworm rootfs tarball once (cached outside the repo), and each engine imports it at start under
// exactly the name the Dockerfile asks for, so flask/Dockerfile builds unchanged.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const BASE_IMAGE_SCRIPT = path.join(here, 'base-image.sh');
export const FLASK_CONTEXT = path.resolve(here, '../../../flask');

/** The image flask/Dockerfile names in its FROM line (the Dockerfile is the one place that says it). */
export function baseImageName(dockerfile = path.join(FLASK_CONTEXT, 'Dockerfile')): string {
  const from = readFileSync(dockerfile, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /^FROM\s/i.test(l));
  if (!from) throw new Error(`${dockerfile}: no FROM line`);
  return from.split(/\s+/)[1] ?? '';
}

/**
 * The fully qualified form: podman stores an unqualified import as localhost/NAME, which a FROM NAME would not
 * find; docker.io/library/NAME is what the short name means to both engines.
 */
export function qualified(name: string): string {
  const first = name.split('/')[0] ?? '';
  const hasRegistry =
    name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return name;
  return name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}`;
}

/** What the upstream python image's config sets that a bare rootfs import lacks. */
export const IMAGE_CHANGES = [
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'ENV LANG=C.UTF-8',
  'CMD ["python3"]',
];

/** Where the cached rootfs tarball is (or will be); nothing is built. */
export function baseImageTarball(): string {
  return execFileSync('bash', [BASE_IMAGE_SCRIPT, '--path'], { encoding: 'utf8' }).trim();
}

/** The tarball, built first when it is not cached yet (minutes, cold: debootstrap). */
export function ensureBaseImageTarball(): string {
  const tar = baseImageTarball();
  if (existsSync(tar)) return tar;
  execFileSync('bash', [BASE_IMAGE_SCRIPT], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (!existsSync(tar)) throw new Error(`${BASE_IMAGE_SCRIPT} did not produce ${tar}`);
  return tar;
}

/** `<tool> import --change … TAR NAME`: the same argv for docker and podman. */
export function importArgs(tar: string, name = qualified(baseImageName())): string[] {
  return ['import', ...IMAGE_CHANGES.flatMap((c) => ['--change', c]), tar, name];
}
