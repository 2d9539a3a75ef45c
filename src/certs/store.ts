// Where certificate files live under the state directory, and how they are read and written: files with the final
// mode set on the handle before any byte is written (a key is never readable by anyone else, not even for a
// moment); nothing under the state directory followed if it is a symbolic link; keys and their directories checked
// for owner and mode on every read, the way ssh checks ~/.ssh (a looser mode is tightened and reported).
import { lstat, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { httpsHosts } from '../config/hosts.js';
import type { HostConfig } from '../config/types.js';
import { EXIT, WizardError } from '../errors.js';
import { FileReadError, readPrivateText, readTextIfExists, securePrivateDir } from '../io/files.js';
import type { CertPaths } from '../steps/types.js';

export { httpsHosts };

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

/**
 * mkdir (one level: the parent is already checked), then 0700 through the directory's own descriptor; a symbolic
 * link or a file in its place is refused, never followed or chmod-ed.
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { mode: DIR_MODE });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  await guarded(() => securePrivateDir(dir));
}

/** A refusal from the file checks (a link, another owner, not a regular file): exit 2, the person must look. */
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof FileReadError) {
      const refused = ['ELOOP', 'ENOTDIR', 'EOWNER', 'ENOTREG', 'EFBIG', 'EENCODING'].includes(
        err.code ?? '',
      );
      throw new WizardError(err.message, refused ? EXIT.usage : EXIT.failed);
    }
    throw err;
  }
}

/**
 * Checks certs/ and each host directory that exists (not a link, ours, 0700): before any key under them is read,
 * since O_NOFOLLOW guards only the last part of a path.
 */
export async function checkCertDirs(paths: CertPaths): Promise<void> {
  const root = dirname(paths.caCert);
  if (!(await guarded(() => securePrivateDir(root)))) return;
  const dirs = new Set(Object.values(paths.hosts).map((h) => dirname(h.cert)));
  for (const dir of dirs) await guarded(() => securePrivateDir(dir));
  // Every key of the set, read or not by this step: one chmod-ed 0644 since the last run does not stay so.
  const keys = [paths.caKey, ...Object.values(paths.hosts).flatMap((h) => [h.key, h.clientKey ?? ''])];
  for (const key of keys.filter(Boolean)) await readKeyIfExists(key);
}

/** A certificate's text (not followed if it is a link), or undefined when it does not exist. */
export async function readIfExists(path: string): Promise<string | undefined> {
  return guarded(() => readTextIfExists(path, { kind: 'pem', noFollow: true }));
}

/** A private key's text, checked like ssh checks one (owner, mode 0600 tightened, no link); undefined if absent. */
export async function readKeyIfExists(path: string): Promise<string | undefined> {
  return guarded(() => readPrivateText(path));
}

/** Whether anything (file, directory, link) has this name. */
export async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
