// Where prompts read and write, and the two ways a prompt can end without an answer: no terminal to ask on
// (UsageError naming the config key or flag, at once — never hang on a pipe) and Ctrl-C (InterruptedError, 130).
import { InterruptedError, UsageError } from '../../errors.js';
import { canPrompt } from '../env.js';
import type { PromptContext } from './kit.js';

export interface PromptIo {
  /** Default process.stdin. */
  input?: NodeJS.ReadableStream;
  /** Default process.stderr: stdout is for machine output only. */
  output?: NodeJS.WritableStream;
  /** Whether a person can answer; default: stdin is a TTY and CI is not set. */
  interactive?: boolean;
  signal?: AbortSignal;
  /** One plain line per question (no cursor movement); default: TERM=dumb. */
  plain?: boolean;
}

let processSignal: AbortSignal | undefined;

/**
 * The signal every prompt stops on unless its io names another: the CLI's, aborted by SIGINT/SIGTERM, so a SIGTERM
 * while a question waits ends the run (exit 130) instead of leaving it waiting for keys.
 */
export function setPromptSignal(signal: AbortSignal | undefined): void {
  processSignal = signal;
}

/** The @inquirer context for every prompt: stderr unless told otherwise. */
export function promptContext(io: PromptIo = {}): PromptContext {
  const ctx: PromptContext = { output: io.output ?? process.stderr };
  if (io.plain !== undefined) ctx.plain = io.plain;
  if (io.input) ctx.input = io.input;
  const signal = io.signal ?? processSignal;
  if (signal) ctx.signal = signal;
  return ctx;
}

export function isInteractive(io: PromptIo = {}): boolean {
  return io.interactive ?? canPrompt();
}

/** Runs one prompt; Ctrl-C (ExitPromptError) and an aborted prompt become InterruptedError. */
export async function ask<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const name = (err as Error | undefined)?.name;
    if (name === 'ExitPromptError' || name === 'AbortPromptError') throw new InterruptedError();
    throw err;
  }
}

/** Where each answer can come from when nobody can be asked. */
const SOURCES: Record<string, string> = {
  'verify.address': 'verify.address in the config file, or --address',
  'verify.httpPort': 'verify.httpPort in the config file, or --http-port',
  'verify.httpsPort': 'verify.httpsPort in the config file, or --https-port',
};

export function sourceOf(key: string): string {
  return SOURCES[key] ?? `${key} in the config file (--config)`;
}

/** Throws (exit 2) when answers are missing and no person can give them. */
export function requireInteractive(io: PromptIo, missing: readonly string[], what = 'answer'): void {
  if (missing.length === 0 || isInteractive(io)) return;
  throw new UsageError(
    `missing ${what}${missing.length === 1 ? '' : 's'} and no terminal to ask on (stdin is not a TTY or CI is set)`,
    missing.map((key) => `${key}: set ${sourceOf(key)}`),
    'pass --config <file> with these keys (see assets/wizard.example.yaml), or run in a terminal',
  );
}
