// A step's error does not repeat the detail lines its output showed (both renderers): the first line stays, the
// rest goes only when a shown line says it; the Ink store compares with the lines it shows (the last 20).
import { describe, expect, it } from 'vitest';
import { withoutShownLines } from '../../src/ui/format.js';
import { initialState, reduce } from '../../src/ui/ink/store.js';
import { createPlainRenderer } from '../../src/ui/plain.js';

const ERROR = [
  'preflight failed (2 checks); nothing was written:',
  '  - cannot reach the API server https://127.0.0.1:1 (context "c"): connection refused',
  '    fix: is the cluster running and is this the right context?',
  '  - permission missing: cannot create secrets in namespace istio-system',
].join('\n');
const LOGGED = [
  'PASS  cluster kind: other',
  'FAIL  cannot reach the API server https://127.0.0.1:1 (context "c"): connection refused — fix: is the cluster running and is this the right context?',
];

describe('withoutShownLines', () => {
  it('drops the details a shown line contains, keeps the head and what was not shown', () => {
    expect(withoutShownLines(ERROR, LOGGED)).toBe(
      [
        'preflight failed (2 checks); nothing was written:',
        '  - permission missing: cannot create secrets in namespace istio-system',
      ].join('\n'),
    );
  });
  it('says "see above" when every detail was shown, and leaves an error alone when none was', () => {
    const one = ERROR.split('\n').slice(0, 3).join('\n');
    expect(withoutShownLines(one, LOGGED)).toBe(
      'preflight failed (2 checks); nothing was written: see above',
    );
    expect(withoutShownLines(ERROR, [])).toBe(ERROR);
    // A short detail matches only a whole line, not a word inside a longer one.
    expect(withoutShownLines('failed:\n  v1', ['rollout of v1 timed out'])).toBe('failed:\n  v1');
  });
});

describe('both renderers', () => {
  const events = [
    { type: 'run-start', steps: [{ id: 'preflight', title: 'preflight', status: 'pending' }] },
    { type: 'step-start', id: 'preflight', at: 0 },
    ...LOGGED.map((line) => ({ type: 'step-log', id: 'preflight', line })),
    { type: 'step-end', id: 'preflight', status: 'failed', durationMs: 10, error: ERROR },
  ] as const;

  it('plain: the failed check once', () => {
    const out: string[] = [];
    const emit = createPlainRenderer({ write: (s: string) => out.push(s) }, { env: {} });
    for (const ev of events) emit(ev as never);
    const text = out.join('');
    expect(text.split('cannot reach the API server').length - 1).toBe(1);
    expect(text).toContain('[1/1] preflight: error:   - permission missing: cannot create secrets');
  });

  it('Ink store: the printed step block carries the error without the shown lines', () => {
    let s = initialState();
    for (const ev of events) s = reduce(s, ev as never);
    const item = s.printed.at(-1);
    expect(item?.kind).toBe('step');
    if (item?.kind !== 'step') return;
    expect(item.lines).toEqual(LOGGED);
    expect(item.error).toBe(withoutShownLines(ERROR, LOGGED));
  });
});
