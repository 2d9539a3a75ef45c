// Where certificate files live under the state directory, and how they are written: atomically (temp file +
// rename) with the final mode set on the file handle before any byte is written, so a key is never readable by
// anyone else, not even for a moment, and a crash never leaves a half-written PEM behind.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { httpsHosts } from '../config/hosts.js';
import type { HostConfig } from '../config/types.js';

export { httpsHosts };

import { WizardError } from '../errors.js';
import type { CertPaths } from '../steps/types.js';

export const KEY_MODE = 0o600;
export const CERT_MODE = 0o644;
export const DIR_MODE = 0o700;

const WILDCARD_DIR = '_wildcard_';
/** Longest file name Linux file systems allow. */
const NAME_MAX = 255;

/**
 * Directory name for a host: `*` (only valid as the first label) becomes `_wildcard_`, or just `_` where that would
 * not fit in a file name (a wildcard host of 247+ characters); `_` never occurs in a host, so both stay unique.
 */
export function hostDirName(host: string): string {
  const lower = host.toLowerCase();
  let name = lower.replace(/^\*(?=\.)/, WILDCARD_DIR);
  if (name.length > NAME_MAX) name = lower.replace(/^\*(?=\.)/, '_');
  // Hosts are validated DNS names; this guards the file system against anything that slipped through.
  if (!/^[a-z0-9_][a-z0-9_.-]*$/.test(name) || name.includes('..')) {
    throw new WizardError(`host "${host}" cannot be used as a certificate directory name`);
  }
  return name;
}

export function certsDir(stateDir: string): string {
  return join(stateDir, 'certs');
}

export function isMutual(host: HostConfig): boolean {
  return host.tls?.mode === 'MUTUAL';
}

/** Paths of every file the certs step owns (whether or not they exist yet). */
export function certPaths(stateDir: string, hosts: readonly HostConfig[]): CertPaths {
  const dir = certsDir(stateDir);
  const paths: CertPaths = { caCert: join(dir, 'ca.crt'), caKey: join(dir, 'ca.key'), hosts: {} };
  for (const host of httpsHosts(hosts)) {
    const hostDir = join(dir, hostDirName(host.name));
    paths.hosts[host.name] = {
      cert: join(hostDir, 'tls.crt'),
      key: join(hostDir, 'tls.key'),
      ...(isMutual(host)
        ? { clientCert: join(hostDir, 'client.crt'), clientKey: join(hostDir, 'client.key') }
        : {}),
    };
  }
  return paths;
}

/** mkdir -p, then force 0700 on the directory itself (mkdir's mode is subject to the umask). */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  await chmod(dir, DIR_MODE);
}

export async function writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // 'wx': never follow or reuse an existing file; the mode applies from creation.
  const handle = await open(tmp, 'wx', mode & KEY_MODE);
  try {
    await handle.chmod(mode); // exact mode regardless of the umask
    // No fsync: a file lost in a crash is found missing or unreadable on the next run and minted again.
    await handle.writeFile(data, 'utf8');
  } catch (err) {
    await handle.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
}

/** The file's text, or undefined when it does not exist. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
