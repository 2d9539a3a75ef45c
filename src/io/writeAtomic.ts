// Replacing a file under the state directory whole (state.json, certificates, keys): a crash or Ctrl-C mid-write
// leaves the old file or the new one, never a truncated one. The one way the wizard writes such a file.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The start of every temp file writeFileAtomic makes for `name`: what a cleanup after a crash looks for. */
export function tempPrefix(name: string): string {
  return `.${name}.`;
}

/**
 * Writes a temp file beside `path`, then renames it over `path`. The temp file is created exclusively ('wx': no
 * link or leftover reused) with the final mode from the first byte (a key is never readable by anyone else, not
 * even for a moment), and chmod-ed so the umask cannot change it. The rename replaces a link named `path` itself;
 * it never writes through it.
 * `durable`: also fsync the file and the directory, so a power cut cannot lose the rename — for a record of what
 * changed a cluster. Without it a file lost in a crash must be one the next run notices and makes again.
 */
export async function writeFileAtomic(
  path: string,
  data: string,
  opts: { mode: number; durable?: boolean },
): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `${tempPrefix(basename(path))}${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let renamed = false;
  try {
    const handle = await open(temp, 'wx', opts.mode & 0o600);
    try {
      await handle.chmod(opts.mode);
      await handle.writeFile(data, 'utf8');
      if (opts.durable) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    renamed = true;
    if (opts.durable) await syncDir(dir);
  } finally {
    if (!renamed) await rm(temp, { force: true }).catch(() => {});
  }
}

/** fsync the directory so the rename itself survives a power cut; not every platform allows it, so best effort. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows and some file systems refuse fsync on a directory; the rename is still atomic there.
  }
}
