// One run per state directory. 20 pairs of dry-runs started together on fresh state directories (30 HTTPS hosts and
// one MUTUAL): every time one CA, every leaf (and the client certificate) verifying against it with `openssl verify`,
// every key matching its certificate, state.json parsing. Half the pairs use --wait-lock (both runs finish), half
// not (the second says who holds the lock and exits 2, or finds it free). Then a held lock, and a stale one.
import { execFileSync, spawn } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runWizard, WIZARD } from '../support/cli.js';
import { runHostile, sandbox } from '../support/hostile.js';

const HOSTS = 30;
const config = (dir: string) => {
  const file = join(dir, 'wizard.yaml');
  const hosts = Array.from({ length: HOSTS }, (_, i) =>
    i === 0
      ? '  - { name: h0.example.com, protocol: HTTPS, route: v1, tls: { mode: MUTUAL } }'
      : `  - { name: h${i}.example.com, protocol: HTTPS, route: v1 }`,
  );
  writeFileSync(file, `hosts:\n${hosts.join('\n')}\n`);
  return file;
};

function start(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WIZARD, ...args], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** The whole certificate set on disk is one mint's: checked with openssl and node:crypto. */
function checkSet(state: string): void {
  const certs = join(state, 'certs');
  const ca = join(certs, 'ca.crt');
  const caCert = new X509Certificate(readFileSync(ca));
  expect(caCert.checkPrivateKey(createPrivateKey(readFileSync(join(certs, 'ca.key'))))).toBe(true);
  const hostDirs = readdirSync(certs).filter((n) => n !== 'ca.crt' && n !== 'ca.key');
  expect(hostDirs).toHaveLength(HOSTS);
  const leaves: string[] = [];
  for (const h of hostDirs) {
    for (const [crt, key] of [
      ['tls.crt', 'tls.key'],
      ['client.crt', 'client.key'],
    ]) {
      const c = join(certs, h, crt as string);
      let pem: Buffer;
      try {
        pem = readFileSync(c);
      } catch {
        expect(crt).toBe('client.crt'); // only the MUTUAL host has one
        continue;
      }
      leaves.push(c);
      const cert = new X509Certificate(pem);
      expect(cert.checkPrivateKey(createPrivateKey(readFileSync(join(certs, h, key as string)))), c).toBe(
        true,
      );
    }
  }
  expect(leaves).toHaveLength(HOSTS + 1);
  const out = execFileSync('openssl', ['verify', '-x509_strict', '-CAfile', ca, ...leaves], {
    encoding: 'utf8',
  });
  expect(
    out
      .trim()
      .split('\n')
      .filter((l) => l.endsWith(': OK')),
  ).toHaveLength(leaves.length);
  expect(readdirSync(state).filter((n) => n.startsWith('.certs-') || n === 'lock')).toEqual([]);
  JSON.parse(readFileSync(join(state, 'state.json'), 'utf8'));
}

describe('two runs at once', () => {
  it('20 pairs on fresh state directories: one CA, every leaf verifies, keys match, state parses', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wizard-lock-'));
    const file = config(root);
    for (let pair = 0; pair < 20; pair++) {
      const state = join(root, `state-${pair}`);
      const wait = pair % 2 === 0;
      const args = [
        '--dry-run',
        '--yes',
        '--config',
        file,
        '--state-dir',
        state,
        ...(wait ? ['--wait-lock'] : []),
      ];
      const [a, b] = await Promise.all([start(args), start(args)]);
      const codes = [a.code, b.code];
      if (wait) expect(codes, `${a.stderr}\n${b.stderr}`).toEqual([0, 0]);
      else {
        expect(codes.includes(0), `${a.stderr}\n${b.stderr}`).toBe(true);
        for (const r of [a, b]) {
          expect([0, 2]).toContain(r.code);
          if (r.code === 2)
            expect(r.stderr).toMatch(/is in use by another wizard run \(pid \d+, `wizard .*`, started /);
        }
      }
      checkSet(state);
    }
  }, 600_000);

  it('a held lock: exit 2 naming pid, command and start time; --wait-lock waits; a stale lock is taken over', async () => {
    const box = sandbox();
    const first = await runWizard(['--dry-run', '--yes', '--state-dir', box.state]);
    expect(first.code, first.stderr).toBe(0);
    // A live holder: this test process itself, as a run that started a minute ago would write it.
    const held = {
      pid: process.pid,
      startedAt: '2026-01-01T00:00:00.000Z',
      host: (await import('node:os')).hostname(),
      command: 'wizard --yes',
    };
    writeFileSync(join(box.state, 'lock'), JSON.stringify(held));
    await runHostile(box, ['--dry-run', '--yes'], {
      code: 2,
      stderr: [
        `is in use by another wizard run (pid ${process.pid}, \`wizard --yes\`, started 2026-01-01T00:00:00.000Z)`,
        '--wait-lock',
      ],
    });
    // --wait-lock: waits until the holder lets go.
    const waiting = start(['--dry-run', '--yes', '--wait-lock', '--state-dir', box.state]);
    await new Promise((r) => setTimeout(r, 1500));
    rmSync(join(box.state, 'lock'));
    const waited = await waiting;
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stderr).toContain('waiting for the state directory');
    // Stale: the pid is not alive (a run killed with SIGKILL).
    const dead = spawn('true');
    await new Promise((r) => dead.on('close', r));
    writeFileSync(join(box.state, 'lock'), JSON.stringify({ ...held, pid: dead.pid }));
    await runHostile(box, ['--dry-run', '--yes'], { code: 0 });
    expect(readdirSync(box.state)).not.toContain('lock');
  }, 120_000);
});
