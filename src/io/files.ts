// Reading a file the wizard was pointed at (config, kubeconfig, PEM, state) without being fooled by what is there:
// only regular files (a FIFO would block forever, /dev/zero never ends), a size cap checked before reading and again
// while reading (the file may grow), an encoding named when it is not UTF-8, and — for files under the state
// directory — no symbolic link followed (O_NOFOLLOW). The one module every such read goes through.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { shownValue } from '../secrets/keyLike.js';

export const MiB = 1024 * 1024;

/** Caps: far above any real file of the kind, far below what makes reading it slow or exhausts memory. */
export const SIZE_LIMITS = {
  config: 4 * MiB,
  kubeconfig: 4 * MiB,
  pem: 1 * MiB,
  state: 16 * MiB,
} as const;

export type FileKind = keyof typeof SIZE_LIMITS;

export interface ReadOptions {
  /** Which cap applies (and how the file is named in messages: "config file", "PEM file", …). */
  kind: FileKind;
  /** Refuse a symbolic link instead of following it (files under the state directory). */
  noFollow?: boolean;
}

/** Why a file could not be read: `problem` is for a person and never holds the file's bytes. */
export class FileReadError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly code?: string,
  ) {
    super(`cannot read ${shownValue(file)}: ${problem}`);
    this.name = 'FileReadError';
  }
}

const { O_RDONLY, O_NONBLOCK, O_NOFOLLOW } = constants;

function flags(noFollow: boolean | undefined): number {
  // O_NONBLOCK: opening a FIFO with no writer would otherwise block here, before the type check could refuse it.
  return O_RDONLY | O_NONBLOCK | (noFollow ? O_NOFOLLOW : 0);
}

export function formatSize(bytes: number): string {
  return bytes >= MiB
    ? `${(bytes / MiB).toFixed(bytes % MiB ? 1 : 0)} MiB`
    : `${Math.ceil(bytes / 1024)} KiB`;
}

/** "a FIFO (named pipe)", "a character device", …: what a non-regular file is. */
export function describeType(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function openProblem(err: NodeJS.ErrnoException, noFollow: boolean | undefined): string {
  switch (err.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return noFollow
        ? 'it is a symbolic link (links are not followed inside the state directory)'
        : 'too many symbolic links';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ENAMETOOLONG':
      return 'the file name is too long';
    case 'ENXIO':
      return 'it is a socket or device with nothing behind it';
    default:
      return err.code ?? 'read error';
  }
}

function checkStat(file: string, st: Stats, opts: ReadOptions): void {
  if (!st.isFile()) {
    const what = describeType(st);
    throw new FileReadError(
      file,
      st.isDirectory() ? `it is ${what}` : `it is ${what}, not a regular file`,
      'ENOTREG',
    );
  }
  const limit = SIZE_LIMITS[opts.kind];
  if (st.size > limit) throw tooLarge(file, opts.kind, st.size);
}

function tooLarge(file: string, kind: FileKind, size?: number): FileReadError {
  const got = size === undefined ? 'larger than' : `${formatSize(size)}, more than`;
  return new FileReadError(
    file,
    `it is ${got} ${formatSize(SIZE_LIMITS[kind])}, the limit for a ${KIND_NAMES[kind]}`,
    'EFBIG',
  );
}

const KIND_NAMES: Record<FileKind, string> = {
  config: 'config file',
  kubeconfig: 'kubeconfig file',
  pem: 'PEM file',
  state: 'state file',
};

/** The bytes as UTF-8 text; other encodings are named instead of being read as garbage. */
export function decodeText(file: string, bytes: Buffer): string {
  const encoding = foreignEncoding(bytes);
  if (encoding) {
    throw new FileReadError(file, `it is encoded as ${encoding}; save it as UTF-8`, 'EENCODING');
  }
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function foreignEncoding(b: Buffer): string | undefined {
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0)
    return 'UTF-32 (little-endian)';
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff)
    return 'UTF-32 (big-endian)';
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'UTF-16 (little-endian)';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'UTF-16 (big-endian)';
  // No byte-order mark: ASCII text in UTF-16 has a NUL in every other byte.
  if (b.length >= 4) {
    const n = Math.min(b.length, 512) & ~1;
    let evenNul = 0;
    let oddNul = 0;
    for (let i = 0; i < n; i += 2) {
      if (b[i] === 0) evenNul++;
      if (b[i + 1] === 0) oddNul++;
    }
    if (oddNul * 2 > n / 2 && evenNul === 0) return 'UTF-16 (little-endian, no byte-order mark)';
    if (evenNul * 2 > n / 2 && oddNul === 0) return 'UTF-16 (big-endian, no byte-order mark)';
  }
  return undefined;
}

/** The error for a file that could not be opened (both readers). */
function openFailed(file: string, err: unknown, noFollow: boolean | undefined): FileReadError {
  const e = err as NodeJS.ErrnoException;
  return new FileReadError(file, openProblem(e, noFollow), e.code);
}

/** Reads a regular file of at most the kind's cap. Throws FileReadError naming the file and the problem. */
export async function readBytes(file: string, opts: ReadOptions): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, flags(opts.noFollow));
  } catch (err) {
    throw openFailed(file, err, opts.noFollow);
  }
  try {
    checkStat(file, await handle.stat(), opts);
    const limit = SIZE_LIMITS[opts.kind];
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(64 * 1024);
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit) throw tooLarge(file, opts.kind);
      chunks.push(buf.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

export async function readText(file: string, opts: ReadOptions): Promise<string> {
  return decodeText(file, await readBytes(file, opts));
}

/** The synchronous twin, for the config cross-checks and kubeconfig loading (both synchronous). */
export function readBytesSync(file: string, opts: ReadOptions): Buffer {
  let fd: number;
  try {
    fd = openSync(file, flags(opts.noFollow));
  } catch (err) {
    throw openFailed(file, err, opts.noFollow);
  }
  try {
    checkStat(file, fstatSync(fd), opts);
    const limit = SIZE_LIMITS[opts.kind];
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(64 * 1024);
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > limit) throw tooLarge(file, opts.kind);
      chunks.push(buf.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

export function readTextSync(file: string, opts: ReadOptions): string {
  return decodeText(file, readBytesSync(file, opts));
}

/** The text, or undefined when the file does not exist (other problems still throw). */
export async function readTextIfExists(file: string, opts: ReadOptions): Promise<string | undefined> {
  try {
    return await readText(file, opts);
  } catch (err) {
    if (err instanceof FileReadError && err.code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Only the owner may read or write a key (ssh's rule); a directory holding keys likewise. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

export interface PrivateCheck {
  /** Called when a looser mode was tightened: the file, its old mode and the new one. */
  onTighten?: (file: string, from: number, to: number) => void;
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

function defaultTighten(file: string, from: number, to: number): void {
  process.stderr.write(
    `warning: ${shownValue(file)} was readable by others (mode ${octal(from)}); tightened to ${octal(to)}\n`,
  );
}

function ownerProblem(file: string, st: Stats): FileReadError | undefined {
  const uid = process.getuid?.();
  if (uid === undefined || st.uid === uid) return undefined;
  return new FileReadError(
    file,
    `it is owned by uid ${st.uid}, not by this user (uid ${uid}); the wizard uses only keys its own user controls`,
    'EOWNER',
  );
}

/**
 * A private key (or other secret) under the state directory, read the way ssh reads one: a regular file, not a
 * link, owned by this user; a mode looser than 0600 is tightened (on the open descriptor, so it is this file) and
 * reported. Returns undefined when the file does not exist.
 */
export async function readPrivateText(file: string, check: PrivateCheck = {}): Promise<string | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, flags(true));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new FileReadError(
      file,
      openProblem(err as NodeJS.ErrnoException, true),
      (err as NodeJS.ErrnoException).code,
    );
  }
  try {
    const st = await handle.stat();
    checkStat(file, st, { kind: 'pem' });
    const owner = ownerProblem(file, st);
    if (owner) throw owner;
    if ((st.mode & 0o777 & ~PRIVATE_FILE_MODE) !== 0) {
      await handle.chmod(PRIVATE_FILE_MODE);
      (check.onTighten ?? defaultTighten)(file, st.mode, PRIVATE_FILE_MODE);
    }
    const bytes = await handle.readFile();
    if (bytes.length > SIZE_LIMITS.pem) throw tooLarge(file, 'pem', bytes.length);
    return decodeText(file, bytes);
  } finally {
    await handle.close();
  }
}

/**
 * A directory under the state directory that holds keys: a real directory (a link is refused, never followed),
 * owned by this user, tightened to 0700 through its own descriptor. Returns false when it does not exist.
 */
export async function securePrivateDir(dir: string, check: PrivateCheck = {}): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(dir, O_RDONLY | O_NOFOLLOW | constants.O_DIRECTORY);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    if (code === 'ELOOP' || code === 'ENOTDIR') {
      // O_NOFOLLOW | O_DIRECTORY on a link answers ENOTDIR on Linux: ask what is there.
      const link = code === 'ELOOP' || lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink();
      throw new FileReadError(
        dir,
        link
          ? 'it is a symbolic link; links are not followed inside the state directory (remove it)'
          : 'it is not a directory',
        link ? 'ELOOP' : code,
      );
    }
    throw new FileReadError(dir, openProblem(err as NodeJS.ErrnoException, true), code);
  }
  try {
    const st = await handle.stat();
    const owner = ownerProblem(dir, st);
    if (owner) throw owner;
    if ((st.mode & 0o777) !== PRIVATE_DIR_MODE) {
      await handle.chmod(PRIVATE_DIR_MODE);
      if (st.mode & 0o077) (check.onTighten ?? defaultTighten)(dir, st.mode, PRIVATE_DIR_MODE);
    }
    return true;
  } finally {
    await handle.close();
  }
}
