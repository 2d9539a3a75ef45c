// Reading and writing stateDir/state.json. Writes are atomic (src/io/writeAtomic.ts: temp file, fsync, rename) so
// a crash or Ctrl-C mid-write leaves either the old file or the new one, never a truncated one. A file we cannot
// understand is never silently overwritten: loading it throws, and the way out (--reset) is in the message.
import { readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EXIT, UsageError, WizardError } from '../errors.js';
import { FileReadError, readText } from '../io/files.js';
import { tempPrefix, writeFileAtomic } from '../io/writeAtomic.js';
import { redactText } from '../secrets/keyLike.js';
import { STEP_IDS } from '../steps/index.js';
import type { RunMode, StepId, StepStatus } from '../steps/types.js';
import { writingStateDir } from './fsErrors.js';
import { ensureStateDir } from './lock.js';
import { STATE_FILE, STATE_TOOL, STATE_VERSION, type StepRecord, type WizardState } from './types.js';

const DEFAULT_STATE_DIR = '.wizard';
const STATUSES: readonly StepStatus[] = ['pending', 'running', 'done', 'skipped', 'failed'];
const MODES: readonly RunMode[] = ['live', 'server-dry-run', 'client-dry-run'];
const TEMP_PREFIX = tempPrefix(STATE_FILE);

/**
 * The state file exists but cannot be used. Exit 2: nothing has run yet and the person has to choose (--reset, or
 * fix/restore the file) — it is bad input, not a failed step.
 */
export class StateFileError extends WizardError {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`state file ${path} ${problem}; it was left untouched`, EXIT.usage, resetHint(dirname(path)));
    this.name = 'StateFileError';
  }
}

/**
 * The command that starts over, for every command that reads the state (`wizard steps --reset` would not reset):
 * only `wizard` (run) resets, and it needs the same --state-dir.
 */
function resetHint(stateDir: string): string {
  const dir = /^[\w@%+=:,./-]+$/.test(stateDir) ? stateDir : JSON.stringify(stateDir);
  const flag = stateDir === DEFAULT_STATE_DIR ? '' : ` --state-dir ${dir}`;
  return `start over with \`wizard --reset${flag}\` (certificates in the state directory are kept)`;
}

/** Refusing to write key material: the state file is not a secret store. */
export class SecretInStateError extends WizardError {
  constructor(
    readonly path: string,
    readonly field: string,
  ) {
    super(
      `internal: refusing to save ${path}: ${field} contains a PRIVATE KEY (key material belongs in the certificate files, not the state file)`,
      EXIT.failed,
    );
    this.name = 'SecretInStateError';
  }
}

export function statePath(stateDir: string): string {
  return join(stateDir, STATE_FILE);
}

/** A fresh state for these answers, no step recorded. */
export function newState(answers: WizardState['answers']): WizardState {
  return {
    version: STATE_VERSION,
    tool: STATE_TOOL,
    answers,
    steps: {},
    updatedAt: new Date().toISOString(),
  };
}

/** The state, or undefined when there is none. Throws StateFileError for a corrupt, foreign or newer file. */
export async function loadState(stateDir: string): Promise<WizardState | undefined> {
  const path = statePath(stateDir);
  let text: string;
  try {
    // Not followed if it is a link, refused if it is not a regular file or absurdly large.
    text = await readText(path, { kind: 'state', noFollow: true });
  } catch (err) {
    const code = err instanceof FileReadError ? err.code : (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') throw notADirectory(stateDir);
    const why = err instanceof FileReadError ? err.problem : (err as Error).message;
    throw new StateFileError(path, `cannot be read (${why})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    // JSON.parse quotes the text around the error: it could hold anything, so it goes through the redaction.
    throw new StateFileError(path, `is not valid JSON (${redactText((err as Error).message)})`);
  }
  return checkShape(path, raw);
}

function checkShape(path: string, raw: unknown): WizardState {
  const bad = (what: string): never => {
    throw new StateFileError(path, `is not an istio-ingress-wizard state file (${what})`);
  };
  if (!isObject(raw)) return bad('expected a JSON object');
  if (raw.tool !== STATE_TOOL) return bad(`"tool" is ${JSON.stringify(raw.tool)}, expected "${STATE_TOOL}"`);
  if (typeof raw.version !== 'number' || !Number.isInteger(raw.version)) return bad('"version" is missing');
  if (raw.version > STATE_VERSION) {
    throw new StateFileError(
      path,
      `was written by a newer istio-ingress-wizard (state version ${raw.version}; this version reads version ${STATE_VERSION})`,
    );
  }
  if (raw.version !== STATE_VERSION) return bad(`unsupported state version ${raw.version}`);
  if (!isObject(raw.answers)) return bad('"answers" must be an object');
  if (typeof raw.updatedAt !== 'string') return bad('"updatedAt" must be a string');
  if (!isObject(raw.steps)) return bad('"steps" must be an object');
  if (raw.answersMode !== undefined && !MODES.includes(raw.answersMode as RunMode))
    return bad('"answersMode"');
  for (const [id, rec] of Object.entries(raw.steps)) {
    if (!(STEP_IDS as readonly string[]).includes(id)) return bad(`unknown step "${id}"`);
    if (!isObject(rec)) return bad(`steps.${id} must be an object`);
    if (!STATUSES.includes(rec.status as StepStatus))
      return bad(`steps.${id}.status ${JSON.stringify(rec.status)}`);
    if (typeof rec.inputsHash !== 'string') return bad(`steps.${id}.inputsHash must be a string`);
    if (rec.inputHashes !== undefined && !isObject(rec.inputHashes)) return bad(`steps.${id}.inputHashes`);
    if (rec.outputs !== undefined && !isObject(rec.outputs))
      return bad(`steps.${id}.outputs must be an object`);
    if (rec.finishedAt !== undefined && typeof rec.finishedAt !== 'string')
      return bad(`steps.${id}.finishedAt`);
    if (rec.error !== undefined && typeof rec.error !== 'string') return bad(`steps.${id}.error`);
    if (rec.mode !== undefined && !MODES.includes(rec.mode as RunMode)) return bad(`steps.${id}.mode`);
  }
  return raw as unknown as WizardState;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** JSON path of the first string holding a private key, or undefined. */
export function findPrivateKey(value: unknown, at = '$'): string | undefined {
  if (typeof value === 'string') return value.includes('PRIVATE KEY') ? at : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findPrivateKey(value[i], `${at}[${i}]`);
      if (hit) return hit;
    }
    return undefined;
  }
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('PRIVATE KEY')) return `${at}.${k}`;
      const hit = findPrivateKey(v, `${at}.${k}`);
      if (hit) return hit;
    }
  }
  return undefined;
}

/**
 * Atomically replaces stateDir/state.json (created 0600, in a 0700 directory if we create it). Sets updatedAt.
 * Throws SecretInStateError, before touching the disk, if anything in the state holds a private key.
 */
export async function saveState(
  stateDir: string,
  state: WizardState,
  opts: { durable?: boolean } = {},
): Promise<void> {
  // durable (default): fsync the file and the directory, so a power cut cannot lose a step that changed a cluster.
  // A client dry-run changes nothing outside this directory and skips the ~25 ms of fsyncs per save; the rename
  // keeps the file whole either way.
  const durable = opts.durable ?? true;
  const path = statePath(stateDir);
  const toWrite: WizardState = { ...state, updatedAt: new Date().toISOString() };
  const text = `${JSON.stringify(toWrite, null, 2)}\n`;
  const leak = findPrivateKey(toWrite);
  if (leak || text.includes('PRIVATE KEY')) throw new SecretInStateError(path, leak ?? '$');

  await ensureStateDir(stateDir);
  // Read-only, full, not ours: said as "cannot write the state directory DIR: …" (exit 1); the old file stays.
  await writingStateDir(stateDir, () => writeFileAtomic(path, text, { mode: 0o600, durable }));
  state.updatedAt = toWrite.updatedAt;
}

/** --state-dir names a file: neither loading nor --reset can help, so say what is wrong with the flag. */
function notADirectory(stateDir: string): UsageError {
  return new UsageError(
    `--state-dir: "${stateDir}" is not a directory`,
    [],
    'pass a directory for the state and certificates (default .wizard)',
  );
}

/** Removes state.json (and temp files a crash left behind); certificates and everything else stay. */
export async function resetState(stateDir: string): Promise<void> {
  try {
    await rm(statePath(stateDir), { force: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw notADirectory(stateDir);
    throw new WizardError(
      `--reset: cannot remove ${statePath(stateDir)} (${(err as Error).message})`,
      EXIT.failed,
    );
  }
  let names: string[] = [];
  try {
    names = await readdir(stateDir);
  } catch {
    return;
  }
  await Promise.all(
    names.filter((n) => n.startsWith(TEMP_PREFIX)).map((n) => rm(join(stateDir, n), { force: true })),
  );
}

/** Returns the state with one step's record replaced (the runner saves it right after). */
export function withStep(state: WizardState, id: StepId, record: StepRecord): WizardState {
  return { ...state, steps: { ...state.steps, [id]: record } };
}
