// A failed write under the state directory, said the way a person can act on it: which directory, and what the file
// system answered (read-only, full, not ours) — never a stack trace, and exit 1 (a step could not finish; the state
// saved before stays whole, as every write is a temp file renamed into place).
import { EXIT, WizardError } from '../errors.js';
import { FileReadError } from '../io/files.js';
import { shownValue } from '../secrets/keyLike.js';

const WHY: Record<string, string> = {
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'a file is in the way',
  ELOOP: 'a symbolic link is in the way (links are not followed inside the state directory)',
  EMLINK: 'too many links',
  EIO: 'input/output error',
};

export class StateDirWriteError extends WizardError {
  constructor(
    readonly stateDir: string,
    readonly code: string,
  ) {
    super(
      `cannot write the state directory ${shownValue(stateDir)}: ${WHY[code] ?? code}`,
      EXIT.failed,
      code === 'ENOSPC' || code === 'EDQUOT'
        ? 'free some space and run again: the state saved before is unchanged'
        : code === 'EROFS'
          ? 'pass --state-dir DIR on a writable file system: the state saved before is unchanged'
          : 'the state saved before is unchanged',
    );
    this.name = 'StateDirWriteError';
  }
}

/** Turns a file-system error from a write under `stateDir` into the message above; other errors pass through. */
export function asStateDirError(err: unknown, stateDir: string): unknown {
  if (err instanceof WizardError) return err;
  if (err instanceof FileReadError) return new WizardError(err.message, EXIT.failed);
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code && code in WHY) return new StateDirWriteError(stateDir, code);
  return err;
}

/** Runs `fn`, reporting a file-system failure as a StateDirWriteError. */
export async function writingStateDir<T>(stateDir: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw asStateDirError(err, stateDir);
  }
}
