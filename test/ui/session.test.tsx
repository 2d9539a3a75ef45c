import { EventEmitter } from 'node:events';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { STEP_IDS } from '../../src/steps/index.js';
import { canUseInteractiveUi } from '../../src/ui/env.js';
import { liveLayout } from '../../src/ui/ink/layout.js';
import { InkSession } from '../../src/ui/ink/session.js';
import { initialState, reduce } from '../../src/ui/ink/store.js';
import { restoreTerminal } from '../../src/ui/terminal.js';

class FakeTty extends EventEmitter {
  isTTY = true;
  columns = 80;
  rows = 40;
  chunks: string[] = [];
  write = (s: string) => {
    this.chunks.push(s);
    return true;
  };
  text = (from = 0) => stripVTControlCharacters(this.chunks.slice(from).join(''));
}

function fakeStdin() {
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    isRaw: false,
    setRawMode: vi.fn(),
    setEncoding: vi.fn(),
    resume: vi.fn(),
    pause: vi.fn(),
    ref: vi.fn(),
    unref: vi.fn(),
    read: () => null,
  });
  return stdin;
}

const pending = STEP_IDS.map((id) => ({ id, title: id, status: 'pending' as const }));
const tick = () => new Promise((r) => setTimeout(r, 50));

describe('InkSession', () => {
  it('suspends (live area gone, Ink unmounted) and resumes with the same steps, printing nothing twice', async () => {
    const out = new FakeTty();
    const stdin = fakeStdin();
    const session = new InkSession({
      stdout: out as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      color: false,
    });
    session.start(pending);
    session.emit({ type: 'run-start', steps: pending, target: 'kind-istio' });
    session.emit({ type: 'step-start', id: 'preflight', at: Date.now() });
    session.emit({ type: 'step-log', id: 'preflight', line: 'istiod is ready' });
    session.emit({ type: 'step-end', id: 'preflight', status: 'done', durationMs: 300 });
    session.emit({
      type: 'step-plan',
      id: 'build-image',
      plan: { commands: [{ cmd: 'docker', args: ['build', '-t', 'python-flask-server:v2', '.'] }] },
    });
    session.showPlan('build-image');
    await tick();
    expect(out.text()).toContain('[1/9] preflight        done       0.3s');
    expect(out.text()).toContain('$ docker build -t python-flask-server:v2 .');

    await session.suspend();
    expect(session.mounted).toBe(false);
    const atSuspend = out.chunks.length;
    // While suspended (a prompt is up), events still update the state, but nothing is drawn.
    session.emit({ type: 'step-start', id: 'build-image', at: Date.now() });
    await tick();
    expect(out.chunks.length).toBe(atSuspend);

    session.resume();
    await tick();
    const after = out.text(atSuspend);
    expect(after).toContain('[1/9] preflight        done       0.3s');
    expect(after).toMatch(/\[2\/9\] build-image\s+running/);
    expect(after).not.toContain('docker build'); // the plan was printed once, before the prompt
    expect(out.text().split('Plan for build-image').length - 1).toBe(1);
    expect(out.text().split('istiod is ready').length - 1).toBe(1);

    session.emit({
      type: 'step-end',
      id: 'build-image',
      status: 'skipped',
      durationMs: 0,
      summary: 'build.enabled: false',
    });
    await session.stop({ ok: true, curlCommands: ['curl http://172.18.0.5/'] });
    expect(session.mounted).toBe(false);
    expect(out.text()).toContain('Finished: ingress routing is set up.');
    expect(out.text()).toContain('curl http://172.18.0.5/');
    // Ink never took the keyboard: prompts can own stdin whenever Ink is unmounted.
    expect(stdin.setRawMode).not.toHaveBeenCalled();
    for (const line of out.text().split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it('the reducer keeps the last output lines of a step and prints finished steps once', () => {
    let s = reduce(initialState(), { type: 'run-start', steps: pending });
    s = reduce(s, { type: 'step-start', id: 'verify', at: 5 });
    for (let i = 0; i < 30; i++) s = reduce(s, { type: 'step-log', id: 'verify', line: `try ${i}` });
    s = reduce(s, { type: 'step-progress', id: 'verify', progress: { label: 'curl', elapsedMs: 1 } });
    expect(s.current).toBe('verify');
    expect(s.steps.find((r) => r.id === 'verify')).toMatchObject({ status: 'running', startedAt: 5 });
    s = reduce(s, { type: 'step-end', id: 'verify', status: 'failed', durationMs: 9, error: 'HTTP 503' });
    expect(s.current).toBeUndefined();
    expect(s.progress).toBeUndefined();
    expect(s.printed).toHaveLength(1);
    expect(s.printed[0]).toMatchObject({
      kind: 'step',
      status: 'failed',
      hiddenLines: 10,
      error: 'HTTP 503',
    });
    // A skipped step with nothing to say gets no block of its own.
    s = reduce(s, { type: 'step-end', id: 'add-hosts', status: 'skipped', durationMs: 0 });
    expect(s.printed).toHaveLength(1);
  });
});

describe('InkSession on resize', () => {
  it('cuts rows to the new width when the terminal narrows', async () => {
    const out = new FakeTty();
    out.columns = 100;
    const session = new InkSession({
      stdout: out as unknown as NodeJS.WriteStream,
      stdin: fakeStdin() as unknown as NodeJS.ReadStream,
      color: false,
    });
    session.start(pending.map((s) => ({ ...s, status: 'done' as const })));
    session.emit({
      type: 'step-end',
      id: 'verify',
      status: 'failed',
      durationMs: 1,
      error: `boom ${'z'.repeat(120)}`,
    });
    await tick();
    const wide =
      out
        .text()
        .split('\n')
        .filter((l) => l.includes('[9/9]'))
        .at(-1) ?? '';
    expect([...wide].length).toBeGreaterThan(80);
    const from = out.chunks.length;
    out.columns = 60;
    out.emit('resize');
    await tick();
    const narrow = out
      .text(from)
      .split('\n')
      .filter((l) => l.includes('[9/9]'));
    expect(narrow.length).toBeGreaterThan(0);
    for (const line of narrow) expect([...line].length).toBeLessThanOrEqual(60);
    session.stopNow();
  });
});

describe('restoreTerminal', () => {
  it('shows the cursor and leaves raw mode, and is safe to call twice', () => {
    const stdin = { isTTY: true, isRaw: true, setRawMode: vi.fn((raw: boolean) => (stdin.isRaw = raw)) };
    let written = '';
    const stderr = {
      isTTY: true,
      write: (s: string) => {
        written += s;
      },
    };
    restoreTerminal({ stdin, stderr });
    restoreTerminal({ stdin, stderr });
    expect(stdin.setRawMode).toHaveBeenCalledTimes(1);
    expect(stdin.setRawMode).toHaveBeenCalledWith(false);
    expect(written).toBe('\u001b[?25h\u001b[?25h');
  });
});

describe('live area height', () => {
  it('liveLayout keeps the live area below the terminal height', () => {
    const base = { steps: 9, hasProgress: true, hasTarget: true, hasLogs: true };
    expect(liveLayout({ ...base, rows: 40 })).toEqual({
      list: 'full',
      header: true,
      progress: true,
      logLines: 6,
    });
    // 15 rows: 13 usable = 9 steps + 1 progress + 1 header + 2 (1 log line and its "… earlier" line).
    expect(liveLayout({ ...base, rows: 15 })).toEqual({
      list: 'full',
      header: true,
      progress: true,
      logLines: 1,
    });
    expect(liveLayout({ ...base, rows: 12 })).toEqual({
      list: 'full',
      header: false,
      progress: true,
      logLines: 0,
    });
    expect(liveLayout({ ...base, rows: 8 })).toEqual({
      list: 'compact',
      header: false,
      progress: true,
      logLines: 0,
    });
    expect(liveLayout({ ...base, rows: 3 })).toEqual({
      list: 'compact',
      header: false,
      progress: false,
      logLines: 0,
    });
    expect(liveLayout({ ...base, rows: undefined }).list).toBe('full'); // unknown height: assume 24
  });

  it('never makes Ink clear the screen, even on a short terminal with a long summary', async () => {
    for (const rows of [8, 14, 24]) {
      const out = new FakeTty();
      out.rows = rows;
      const session = new InkSession({
        stdout: out as unknown as NodeJS.WriteStream,
        stdin: fakeStdin() as unknown as NodeJS.ReadStream,
        color: false,
      });
      session.start(pending);
      session.emit({ type: 'run-start', steps: pending, target: 'kind-istio' });
      session.emit({ type: 'step-start', id: 'deploy-versions', at: Date.now() });
      for (let i = 0; i < 40; i++)
        session.emit({ type: 'step-log', id: 'deploy-versions', line: `line ${i}` });
      session.emit({
        type: 'step-progress',
        id: 'deploy-versions',
        progress: { label: 'waiting for rollout', elapsedMs: 1000, timeoutMs: 60_000 },
      });
      await tick();
      const live = out.text();
      if (rows >= 14) expect(live).toContain('[9/9] verify');
      else expect(live).toMatch(/\[3\/9\] deploy-versions\s+running/);
      session.emit({ type: 'step-end', id: 'deploy-versions', status: 'done', durationMs: 1000 });
      await session.stop({
        ok: true,
        created: Array.from({ length: 30 }, (_, i) => `Deployment/default/flask-v${i}`),
        curlCommands: ['curl http://172.18.0.5/'],
      });
      const all = out.chunks.join('');
      expect(all, `rows=${rows}`).not.toContain('\u001b[2J');
      expect(all).not.toContain('\u001b[3J');
      // The end is printed whole: the step list as it ended and the summary.
      expect(out.text()).toMatch(/\[3\/9\] deploy-versions\s+done\s+1\.0s/);
      expect(out.text()).toContain('Deployment/default/flask-v29');
    }
  });

  it('a pty nobody sized does not get the Ink UI', () => {
    const tty = { isTTY: true };
    expect(canUseInteractiveUi({ stdin: tty, stderr: { isTTY: true, columns: 0, rows: 0 } }, {})).toBe(false);
    expect(canUseInteractiveUi({ stdin: tty, stderr: { isTTY: true, columns: 80, rows: 24 } }, {})).toBe(
      true,
    );
    expect(
      canUseInteractiveUi({ stdin: tty, stderr: { isTTY: true, columns: 80, rows: 24 } }, { TERM: 'dumb' }),
    ).toBe(false);
    expect(
      canUseInteractiveUi({ stdin: tty, stderr: { isTTY: true, columns: 80, rows: 24 } }, { CI: '1' }),
    ).toBe(false);
    expect(canUseInteractiveUi({ stdin: { isTTY: false }, stderr: { isTTY: true } }, {})).toBe(false);
  });
});

describe('isCi', () => {
  it('follows is-in-ci: any CI value but 0/false, CONTINUOUS_INTEGRATION too', async () => {
    const { isCi } = await import('../../src/ui/env.js');
    expect(isCi({ CI: '' })).toBe(true);
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CONTINUOUS_INTEGRATION: '1' })).toBe(true);
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({ CI: '0' })).toBe(false);
    expect(isCi({})).toBe(false);
  });
});

describe('suspend/resume leaves no process listeners behind', () => {
  it('twenty suspends (a prompt each, like "Edit the answers") add no beforeExit listener', async () => {
    const stdout = new FakeTty();
    const session = new InkSession({
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: fakeStdin() as unknown as NodeJS.ReadStream,
      color: false,
    });
    session.start(pending);
    await tick();
    const before = process.listenerCount('beforeExit');
    for (let i = 0; i < 20; i++) {
      await session.suspend();
      session.resume();
      await tick();
    }
    await session.stop();
    // Each leaked listener was one more; MaxListenersExceededWarning came after ten and landed on the screen.
    expect(process.listenerCount('beforeExit')).toBeLessThanOrEqual(before);
  }, 30_000);
});
