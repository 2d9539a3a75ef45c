// One Ink tree at a time, on stderr (cli-kit's rule), with a store that outlives it: suspend() unmounts Ink so a
// prompt can own the terminal, resume() renders again with the same step list. Ink never reads stdin here (no
// useInput), so it never puts the terminal in raw mode; Ctrl-C stays a SIGINT for the CLI's handler.
import { type Instance, render } from 'ink';
import type { StepEvent, StepId, StepPlan } from '../../steps/types.js';
import { App } from './App.js';
import { LiveTerminal } from './liveTerminal.js';
import type { SummaryData } from './Summary.js';
import { initialState, reduce, type StepRow, type UiState, UiStore, withPrinted } from './store.js';

export interface InkSessionOptions {
  /** Where frames go: stderr (stdout is for machine output). */
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  color?: boolean;
  now?: () => number;
  /** Called after every frame Ink writes (the startup bench measures the first). */
  onFrame?: () => void;
}

export class InkSession {
  readonly store = new UiStore();
  #instance: Instance | undefined;
  #printedBefore = 0;
  #opts: InkSessionOptions;

  constructor(opts: InkSessionOptions = {}) {
    this.#opts = opts;
  }

  get mounted(): boolean {
    return this.#instance !== undefined;
  }

  start(initialSteps: readonly Pick<StepRow, 'id' | 'title' | 'status'>[] = []): void {
    this.store.update(() => initialState(initialSteps));
    this.#mount();
  }

  emit = (ev: StepEvent): void => {
    this.store.update((s) => reduce(s, ev));
  };

  /** Prints the step's plan (from its step-plan event, or given) above the live area, once. */
  showPlan(id: StepId, plan?: StepPlan): void {
    const p = plan ?? this.store.get().plans[id];
    if (p) this.store.update((s) => withPrinted(s, { kind: 'plan', id, plan: p }));
  }

  /** Prints plain lines above the live area. */
  print(lines: string[]): void {
    this.store.update((s) => withPrinted(s, { kind: 'text', lines }));
  }

  /** Empties the live area, unmounts Ink and resolves once it has let go of the terminal. */
  async suspend(): Promise<void> {
    if (!this.#instance) return;
    this.store.update((s) => ({ ...s, suspended: true }));
    await this.#unmount();
  }

  /** Renders again with the same state; what was printed before is not printed twice. */
  resume(): void {
    if (this.#instance) return;
    this.store.update((s) => ({ ...s, suspended: false }));
    this.#mount();
  }

  /**
   * The end: the step list as it ended and the summary are printed once (as <Static> output, so a long summary
   * scrolls normally instead of making Ink clear the screen), then Ink is gone.
   */
  async stop(summary?: SummaryData): Promise<void> {
    if (!this.#instance) this.#mount();
    this.store.update((s) => withFinal(s, summary));
    await this.#unmount();
  }

  /** Synchronous stop for the way out (Ctrl-C, errors): unmount now, nothing awaited. Idempotent. */
  stopNow(): void {
    const instance = this.#instance;
    this.#instance = undefined;
    if (!instance) return;
    this.store.update((s) => withFinal(s));
    instance.unmount();
    instance.cleanup();
    this.#printedBefore = this.store.get().printed.length;
  }

  #mount(): void {
    const real = this.#opts.stdout ?? process.stderr;
    // Ink redraws by counting lines; LiveTerminal keeps that count true when the terminal narrows (see there).
    const stdout = (real.isTTY ? new LiveTerminal(real) : real) as NodeJS.WriteStream;
    this.#instance = render(
      <App
        store={this.store}
        printedBefore={this.#printedBefore}
        width={Math.max(40, stdout.columns || 80)}
        color={this.#opts.color ?? true}
        now={this.#opts.now}
      />,
      {
        stdout,
        stdin: this.#opts.stdin ?? process.stdin,
        stderr: stdout,
        exitOnCtrlC: false,
        patchConsole: false,
        // Ink calls onRender just before it writes the frame: report it once the write is done.
        onRender: this.#opts.onFrame ? () => setImmediate(() => this.#opts.onFrame?.()) : undefined,
      },
    );
  }

  async #unmount(): Promise<void> {
    const instance = this.#instance;
    if (!instance) return;
    this.#instance = undefined;
    // Let React commit the last store update before Ink writes its final frame.
    await new Promise((r) => setImmediate(r));
    // Ask for the exit promise before unmounting: called afterwards, waitUntilExit adds a process 'beforeExit'
    // listener that nothing removes, one per suspend (MaxListenersExceededWarning after a few edits).
    const exited = instance.waitUntilExit().catch(() => undefined);
    instance.unmount();
    await exited;
    instance.cleanup();
    this.#printedBefore = this.store.get().printed.length;
  }
}

function withFinal(s: UiState, summary?: SummaryData): UiState {
  const steps = s.steps.map((r) => (r.status === 'running' ? { ...r, status: 'pending' as const } : r));
  return {
    ...withPrinted(s, { kind: 'final', steps, summary }),
    suspended: true,
    current: undefined,
    progress: undefined,
  };
}

/** Shows the cursor and leaves raw mode. Safe to call any number of times, from a signal handler too. */
export { restoreTerminal } from '../terminal.js';
