// The interactive UI for a run on a terminal: the Ink step list on stderr, and the prompts (confirm, edit) with
// Ink unmounted while they own the keyboard. Load this module with import() only when a TTY UI is wanted: it
// pulls in ink and react (~590 ms), which the plain path must never pay for.
import { ANSWER_KEYS } from '../config/answerKeys.js';
import type { WizardConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { RunnerHooks } from '../runner/types.js';
import { STEP_IDS, stepById } from '../steps/index.js';
import type { StepEvent, StepId } from '../steps/types.js';
import { colorFor } from './env.js';
import type { SummaryData } from './ink/Summary.js';
import type { InkSession } from './ink/session.js';
import {
  type AnswerKey,
  askAnswers,
  type DiscoveredDefaults,
  type PartialConfig,
} from './prompts/answers.js';
import { confirmStep } from './prompts/confirmStep.js';
import { ask as askOnce, type PromptIo, promptContext } from './prompts/io.js';
import { confirm } from './prompts/kit.js';
import { restoreTerminal } from './terminal.js';

export interface InteractiveOptions {
  /** Full validation of edited answers (the config loader's validateConfig(..).config). A UsageError asks again. */
  validate?: (config: WizardConfig) => WizardConfig;
  /** Values discovered on the cluster, offered as defaults when editing. */
  defaults?: DiscoveredDefaults;
  /** Where Ink draws (default process.stderr) and reads (default process.stdin). */
  stderr?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /** Prompt streams, for tests (default stdin / stderr). */
  io?: PromptIo;
  /** Default: NO_COLOR / FORCE_COLOR / TERM / isTTY of stderr. */
  color?: boolean;
  /** Called after every Ink frame (the startup bench exits after the first). */
  onFrame?: () => void;
}

/** Hooks for a run where a person answers: the Ink UI, or plain lines on a terminal Ink cannot draw on. */
export interface PromptHooks extends RunnerHooks {
  /** The last frame: the step list and the summary; Ink is gone afterwards. */
  finish(summary: SummaryData | string[]): Promise<void>;
  /** Unmount Ink now and restore the terminal (sync; for errors and Ctrl-C). Idempotent. */
  close(): void;
  /** Run any other prompt with Ink out of the way (e.g. askResume), then draw again. */
  prompt<T>(ask: () => Promise<T>): Promise<T>;
}

export interface InteractiveHooks extends PromptHooks {
  readonly session: InkSession;
  /** A line for the person: above the live area while Ink draws, else straight to stderr. */
  note(line: string): void;
}

/** The questions of both UIs; `show` writes the plan first when no Ink view has shown it. */
function questionHooks(
  opts: InteractiveOptions,
  io: PromptIo,
  out: NodeJS.WritableStream,
  prompt: <T>(ask: () => Promise<T>) => Promise<T>,
  showPlan: boolean,
): Pick<RunnerHooks, 'confirm' | 'edit' | 'ask'> {
  return {
    confirm(id, plan) {
      const more = STEP_IDS.indexOf(id) < STEP_IDS.length - 1;
      return prompt(() =>
        confirmStep(id, plan, { io, canEdit: stepById(id).answers.length > 0, more, showPlan }),
      );
    },
    edit(id, config, outputs) {
      // What preflight found on the cluster (address, ports) is offered as the default answer.
      const pf = outputs?.preflight;
      const found = { address: pf?.gatewayAddress, httpPort: pf?.httpPort, httpsPort: pf?.httpsPort };
      const withFound = { ...opts, defaults: { ...found, ...opts.defaults } };
      return prompt(() => editUntilValid(id, config, withFound, io, out));
    },
    ask(_id, message, defaultAnswer) {
      return prompt(() => askOnce(() => confirm({ message, default: defaultAnswer }, promptContext(io))));
    },
  };
}

/**
 * A terminal a person types on but Ink cannot draw on (TERM=dumb, no size): one plain line per event, and the
 * same questions as plain line prompts, the plan written above each.
 */
export async function createLineHooks(opts: InteractiveOptions = {}): Promise<PromptHooks> {
  const { createPlainRenderer } = await import('./plain.js');
  const stderr = opts.stderr ?? process.stderr;
  const io: PromptIo = { interactive: true, output: stderr, plain: true, ...opts.io };
  const prompt = <T>(ask: () => Promise<T>) => ask();
  return {
    emit: createPlainRenderer(stderr),
    prompt,
    ...questionHooks(opts, io, stderr, prompt, true),
    async finish() {},
    close() {},
  };
}

export async function createInteractiveHooks(opts: InteractiveOptions = {}): Promise<InteractiveHooks> {
  const { InkSession } = await import('./ink/session.js');
  const stderr = opts.stderr ?? process.stderr;
  const session = new InkSession({
    stdout: stderr,
    stdin: opts.stdin,
    color: opts.color ?? colorFor(stderr),
    onFrame: opts.onFrame,
  });
  const io: PromptIo = { interactive: true, output: stderr, ...opts.io };
  let started = false;
  let closed = false;

  const prompt = async <T>(ask: () => Promise<T>): Promise<T> => {
    await session.suspend();
    try {
      return await ask();
    } finally {
      if (started && !closed) session.resume();
    }
  };

  const questions = questionHooks(opts, io, stderr, prompt, false);
  const emit = (ev: StepEvent): void => {
    if (closed) return;
    if (!started && ev.type === 'run-start') {
      started = true;
      session.start(ev.steps);
    }
    session.emit(ev);
  };

  return {
    session,
    emit,
    prompt,
    note(line) {
      if (session.mounted && !closed) session.print([line]);
      else stderr.write(`${line}\n`);
    },
    ...questions,
    confirm(id, plan) {
      session.showPlan(id, plan);
      return questions.confirm?.(id, plan) ?? Promise.resolve('go');
    },
    async finish(summary) {
      if (closed) return;
      closed = true;
      await session.stop(Array.isArray(summary) ? summaryFromLines(summary) : summary);
      restoreTerminal({ stdin: opts.stdin ?? process.stdin, stderr });
    },
    close() {
      closed = true;
      session.stopNow();
      restoreTerminal({ stdin: opts.stdin ?? process.stdin, stderr });
    },
  };
}

/** Asks the step's keys, validates the whole config, and asks again (with the keys the issues name) until valid. */
async function editUntilValid(
  id: StepId,
  config: WizardConfig,
  opts: InteractiveOptions,
  io: PromptIo,
  out: NodeJS.WritableStream,
): Promise<WizardConfig> {
  let keys: AnswerKey[] = [...stepById(id).answers];
  let current: PartialConfig = config;
  for (;;) {
    current = await askAnswers(current, { keys, defaults: opts.defaults, io });
    if (!opts.validate) return current as WizardConfig;
    try {
      return opts.validate(current as WizardConfig);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      out.write(`${err.message}\nPlease change these answers:\n`);
      // Ask again for what the issues point at (e.g. removing a version that a host still routes to → hosts).
      const named = ANSWER_KEYS.filter((k) => err.issues.some((i) => i.startsWith(k.split('.')[0] ?? k)));
      keys = [...new Set([...keys, ...named])];
    }
  }
}

/** The runner's run-end lines → a summary: curl commands ("curl …" or "try: curl …") apart, the rest as notes. */
export function summaryFromLines(lines: string[]): SummaryData {
  const curl = /^(?:try:\s*)?(curl\s.*)$/;
  const curlCommands: string[] = [];
  const notes: string[] = [];
  for (const line of lines) {
    const m = curl.exec(line.trim());
    if (m?.[1]) curlCommands.push(m[1]);
    else notes.push(line);
  }
  return { ok: true, title: 'Finished.', curlCommands, notes };
}
