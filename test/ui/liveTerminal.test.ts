// LiveTerminal against a fake terminal: what it writes around Ink's own writes when the terminal narrows (the
// tmux test in test/e2e/terminalLive.test.ts shows the screen it leads to).
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { columnsOf, LiveTerminal, reflowedRows } from '../../src/ui/ink/liveTerminal.js';

class FakeTty extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 40;
  writable = true;
  writableEnded = false;
  destroyed = false;
  writableLength = 0;
  /** The pty's size: changes before `columns` does (the SIGWINCH is handled later). */
  size: [number, number] = [100, 40];
  out: string[] = [];
  getWindowSize(): [number, number] {
    return this.size;
  }
  write(s: string): boolean {
    this.out.push(s);
    return true;
  }
}

const erase = (n: number) => `${'\u001b[2K\u001b[1A'.repeat(n - 1)}\u001b[2K\u001b[G`;
const frame = (progress: string) => `header\nrow one\n${progress}\n`;

describe('LiveTerminal', () => {
  it('counts columns and the rows a rewrap takes', () => {
    expect(columnsOf('\u001b[36m⠋\u001b[39m rollout…')).toBe(10);
    expect(columnsOf('日本')).toBe(4);
    expect(reflowedRows([36, 100, 70, 71], 70)).toBe(1 + 2 + 1 + 2);
  });

  it('frames go out with autowrap off; static output as it is', () => {
    const tty = new FakeTty();
    const live = new LiveTerminal(tty as never, { reflows: true });
    live.write(frame('x'.repeat(100)));
    live.write(erase(4)); // Ink's clear before static output
    live.write('finished step\n');
    live.write(frame('y'.repeat(100)));
    expect(tty.out).toEqual([
      `\u001b[?7l${frame('x'.repeat(100))}\u001b[?7h`,
      erase(4),
      'finished step\n',
      `\u001b[?7l${frame('y'.repeat(100))}\u001b[?7h`,
    ]);
  });

  it('after the terminal narrows, clears the rows the rewrapped frame takes before Ink erases its line count', () => {
    const tty = new FakeTty();
    const live = new LiveTerminal(tty as never, { reflows: true });
    live.write(frame('x'.repeat(100)));
    tty.size = [70, 40];
    tty.columns = 70;
    live.write(erase(4)); // Ink's resize clear: 3 lines + the cursor row
    // 3 lines, 4 rows at 70 columns: erase the cursor row and 4 rows up, then stand 3 rows down.
    expect(tty.out[1]).toBe(`\u001b[2K${'\u001b[1A\u001b[2K'.repeat(4)}\u001b[3B`);
    expect(tty.out[2]).toBe(erase(4));
    // What follows Ink's resize clear is the frame (autowrap off), not static output.
    live.write(frame('z'.repeat(70)));
    expect(tty.out[3]).toBe(`\u001b[?7l${frame('z'.repeat(70))}\u001b[?7h`);
    // Widening again needs nothing extra: lines drawn at 70 fit 100.
    tty.size = [100, 40];
    tty.columns = 100;
    live.write(`${erase(4)}${frame('w'.repeat(100))}`);
    expect(tty.out).toHaveLength(5);
  });

  it('a frame written before the SIGWINCH is handled (the pty already narrower) gets the same clearing', () => {
    const tty = new FakeTty();
    const live = new LiveTerminal(tty as never, { reflows: true });
    live.write(frame('x'.repeat(100)));
    tty.size = [70, 40]; // columns still says 100: Ink lays out for 100
    live.write(`${erase(4)}${frame('x'.repeat(100))}`);
    expect(tty.out[1]).toBe(`\u001b[2K${'\u001b[1A\u001b[2K'.repeat(4)}\u001b[3B`);
    expect(tty.out[2]).toBe(`\u001b[?7l${erase(4)}${frame('x'.repeat(100))}\u001b[?7h`);
  });

  it('a terminal that cuts lines instead (xterm) gets no extra clearing', () => {
    const tty = new FakeTty();
    const live = new LiveTerminal(tty as never, { reflows: false });
    live.write(frame('x'.repeat(100)));
    tty.size = [70, 40];
    tty.columns = 70;
    live.write(erase(4));
    expect(tty.out).toEqual([`\u001b[?7l${frame('x'.repeat(100))}\u001b[?7h`, erase(4)]);
  });
});
