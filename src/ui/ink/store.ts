// What the Ink components show, kept outside React so the session can survive unmount/render cycles (prompts
// need Ink gone) with the step list unchanged. A pure reducer over StepEvents plus a tiny subscribe/notify store.
import type { ProgressInfo, StepEvent, StepId, StepPlan, StepStatus } from '../../steps/types.js';
import { withoutShownLines } from '../format.js';
import type { SummaryData } from './Summary.js';

export interface StepRow {
  id: StepId;
  title: string;
  status: StepStatus;
  startedAt?: number;
  durationMs?: number;
  summary?: string;
  error?: string;
  /** Status came from an earlier run (resumed): no timing to show. */
  earlier?: boolean;
}

export type StaticItem =
  | {
      key: string;
      kind: 'step';
      id: StepId;
      status: StepStatus;
      durationMs: number;
      summary?: string;
      error?: string;
      lines: string[];
      hiddenLines: number;
    }
  | { key: string; kind: 'plan'; id: StepId; plan: StepPlan }
  /** The end of the session: the step list as it ended, and the summary, printed once. */
  | { key: string; kind: 'final'; steps: StepRow[]; summary?: SummaryData }
  | { key: string; kind: 'text'; lines: string[] };

export interface UiState {
  steps: StepRow[];
  target?: string;
  current?: StepId;
  /** Recent output lines of each step (bounded). */
  logs: Partial<Record<StepId, string[]>>;
  progress?: { id: StepId; info: ProgressInfo };
  plans: Partial<Record<StepId, StepPlan>>;
  /** Everything printed once, above the live area (<Static>). Only ever appended to. */
  printed: StaticItem[];
  /** Live area hidden: Ink is about to unmount for a prompt (or for good). */
  suspended: boolean;
}

const LOG_KEEP = 200;
const STATIC_LOG_LINES = 20;

export function initialState(steps: readonly Pick<StepRow, 'id' | 'title' | 'status'>[] = []): UiState {
  return {
    steps: steps.map((s) => ({ ...s, earlier: s.status !== 'pending' })),
    logs: {},
    plans: {},
    printed: [],
    suspended: false,
  };
}

let keySeq = 0;
const nextKey = (prefix: string) => `${prefix}-${++keySeq}`;

/** Applies one runner event. `now` is only used to stamp a step's start when the event has none. */
export function reduce(state: UiState, ev: StepEvent): UiState {
  switch (ev.type) {
    case 'run-start':
      return { ...initialState(ev.steps), printed: state.printed, target: ev.target };
    case 'step-start':
      return {
        ...state,
        current: ev.id,
        progress: undefined,
        logs: { ...state.logs, [ev.id]: [] },
        steps: patchRow(state.steps, ev.id, { status: 'running', startedAt: ev.at, earlier: false }),
      };
    case 'step-plan':
      return { ...state, plans: { ...state.plans, [ev.id]: ev.plan } };
    case 'step-log': {
      const lines = [...(state.logs[ev.id] ?? []), ...ev.line.split(/\r?\n/).filter((l) => l !== '')];
      return { ...state, logs: { ...state.logs, [ev.id]: lines.slice(-LOG_KEEP) } };
    }
    case 'step-progress':
      return { ...state, progress: { id: ev.id, info: ev.progress } };
    case 'step-end': {
      const lines = state.logs[ev.id] ?? [];
      const shown = lines.slice(-STATIC_LOG_LINES);
      const item: StaticItem = {
        key: nextKey(`step-${ev.id}`),
        kind: 'step',
        id: ev.id,
        status: ev.status,
        durationMs: ev.durationMs,
        summary: ev.summary,
        // What the shown output already says (preflight's FAIL lines, verify's diagnoses) is not said twice.
        error: ev.error === undefined ? undefined : withoutShownLines(ev.error, shown),
        lines: shown,
        hiddenLines: lines.length - shown.length,
      };
      return {
        ...state,
        current: state.current === ev.id ? undefined : state.current,
        progress: state.progress?.id === ev.id ? undefined : state.progress,
        steps: patchRow(state.steps, ev.id, {
          status: ev.status,
          durationMs: ev.durationMs,
          summary: ev.summary,
          error: ev.error,
          earlier: false,
        }),
        // Skipped steps with nothing to say need no block of their own: the step list shows them.
        printed:
          ev.status === 'skipped' && !shown.length && !ev.summary ? state.printed : [...state.printed, item],
      };
    }
    case 'run-end':
      return { ...state, current: undefined, progress: undefined };
  }
}

function patchRow(rows: StepRow[], id: StepId, patch: Partial<StepRow>): StepRow[] {
  const found = rows.some((r) => r.id === id);
  const next = rows.map((r) => (r.id === id ? { ...r, ...patch } : r));
  return found ? next : [...next, { id, title: id, status: 'pending', ...patch }];
}

type WithoutKey<T> = T extends unknown ? Omit<T, 'key'> : never;

export function withPrinted(state: UiState, item: WithoutKey<StaticItem>): UiState {
  return { ...state, printed: [...state.printed, { ...item, key: nextKey(item.kind) } as StaticItem] };
}

/** A minimal external store for useSyncExternalStore. */
export class UiStore {
  #state: UiState;
  #listeners = new Set<() => void>();

  constructor(state: UiState = initialState()) {
    this.#state = state;
  }

  get = (): UiState => this.#state;

  subscribe = (fn: () => void): (() => void) => {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  };

  update(fn: (s: UiState) => UiState): void {
    this.#state = fn(this.#state);
    for (const l of this.#listeners) l();
  }
}
