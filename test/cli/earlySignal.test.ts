// SIGINT and SIGTERM right after the wizard starts: every one exits 130 (once 3 of 10 died by the signal while the
// bundle was still loading, before main() installed its handlers). The clock starts when the process first runs
// JavaScript — a preload prints a mark. Before that Node itself is booting, and for the next ~10–20 ms (measured on
// the loaded 2-core machine) it is still reading and compiling the entry file: no program can handle a signal there,
// it dies by it. So the 10 interrupts per signal are sent at 20, 30, … 110 ms after the mark: the window in which
// the entry's first statement has run and the rest of the bundle is loading.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, WIZARD } from '../support/cli.js';

const MARK = 'data:text/javascript,process.stderr.write("js-started\\n")';

function interruptAt(
  ms: number,
  signal: NodeJS.Signals,
  state: string,
): Promise<{ code: number | null; sig: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', MARK, WIZARD, '--dry-run', '--yes', '--state-dir', state],
      {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!sent && stderr.includes('js-started')) {
        sent = true;
        setTimeout(() => child.kill(signal), ms);
      }
    });
    child.on('close', (code, sig) => resolve({ code, sig, stderr }));
  });
}

describe('interrupts in the first 100 ms', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal}: 10 interrupts, every one exits 130`, async () => {
      const root = mkdtempSync(join(tmpdir(), 'wizard-early-'));
      const results = [];
      for (let i = 0; i < 10; i++) results.push(await interruptAt(20 + i * 10, signal, join(root, `s${i}`)));
      for (const [i, r] of results.entries()) {
        expect({ at: 20 + i * 10, code: r.code, sig: r.sig }, r.stderr).toEqual({
          at: 20 + i * 10,
          code: 130,
          sig: null,
        });
        expect(r.stderr).not.toMatch(/internal error| {4}at /);
      }
    }, 120_000);
  }
});
