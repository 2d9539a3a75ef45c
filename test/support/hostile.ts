// The checks every hostile-input case makes, in one place: a sandbox with the state directory inside it, and after
// the run: the exit code, stdout empty on an error, no key material in stdout, stderr or any file outside certs/,
// and nothing outside the state directory changed (every file and directory around it hashed before and after).
import { createHash, generateKeyPairSync } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { keyLikeKind } from '../../src/secrets/keyLike.js';
import { type CliResult, runWizard } from './cli.js';

export interface Sandbox {
  root: string;
  /** root/state: the --state-dir of the runs. */
  state: string;
}

export function sandbox(prefix = 'wizard-hostile-'): Sandbox {
  const root = mkdtempSync(join(tmpdir(), prefix));
  return { root, state: join(root, 'state') };
}

/** Path → hash of content (files), mode (everything), link target (links), for everything under `dir` but `skip`. */
export function snapshot(dir: string, skip: string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const p = join(d, name);
      if (skip.includes(p)) continue;
      const st = lstatSync(p);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out.set(p, `link ${readlinkSync(p)} ${mode}`);
      else if (st.isDirectory()) {
        out.set(p, `dir ${mode} ${st.uid}`);
        walk(p);
      } else if (st.isFile()) {
        out.set(p, `file ${mode} ${st.uid} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
      } else out.set(p, `other ${mode}`);
    }
  };
  walk(dir);
  return out;
}

/** Every regular file under the state directory except certs/ (where keys belong). */
export function filesOutsideCerts(state: string): string[] {
  return [...snapshot(state).entries()]
    .filter(([p, v]) => v.startsWith('file ') && !relative(state, p).startsWith('certs'))
    .map(([p]) => p);
}

/** A fresh private key as a PEM, and the forms it is pasted in: the base64 of the PEM, the bare body, DER hex. */
export function freshKey(): { pem: string; base64: string; body: string; hex: string; secrets: string[] } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ type: 'sec1', format: 'pem' }) as string;
  const der = privateKey.export({ type: 'sec1', format: 'der' }) as Buffer;
  const body = pem.split('\n').slice(1, -2).join('\n');
  const base64 = Buffer.from(pem).toString('base64');
  const hex = der.subarray(7, 39).toString('hex'); // the private scalar itself
  // What must never appear: any 16-character stretch of any of these forms.
  const secrets = [base64, body.replace(/\n/g, ''), hex, der.toString('base64')].flatMap((s) =>
    Array.from({ length: Math.floor(s.length / 16) }, (_, i) => s.slice(i * 16, i * 16 + 16)),
  );
  return { pem, base64, body, hex, secrets };
}

export interface Expectation {
  code: number;
  /** Each must appear in stderr (the field, the file, the reason). */
  stderr?: (string | RegExp)[];
  /** Secret stretches that must appear nowhere (stdout, stderr, files outside certs/). */
  secrets?: string[];
}

/** Runs the wizard in the sandbox and makes every check above. `args` get --state-dir appended. */
export async function runHostile(
  box: Sandbox,
  args: string[],
  want: Expectation,
  opts: { env?: Record<string, string | undefined>; timeoutMs?: number; stateDirArg?: boolean } = {},
): Promise<CliResult> {
  const before = snapshot(box.root, [box.state]);
  const full = opts.stateDirArg === false ? args : [...args, '--state-dir', box.state];
  const r = await runWizard(full, { cwd: box.root, env: opts.env, timeoutMs: opts.timeoutMs ?? 60_000 });
  const context = `${full.join(' ')}\n--- stderr:\n${r.stderr}`;
  expect(r.code, context).toBe(want.code);
  if (want.code !== 0) expect(r.stdout, context).toBe('');
  expect(r.stderr, context).not.toMatch(/internal error| {4}at /);
  for (const s of want.stderr ?? []) {
    if (typeof s === 'string') expect(r.stderr, context).toContain(s);
    else expect(r.stderr, context).toMatch(s);
  }
  const outside = filesOutsideCerts(box.state).map((f) => readFileSync(f, 'utf8'));
  // A successful dry-run prints certificates (public, base64) on stdout: only the named secrets are looked for there.
  const generic = want.code === 0 ? [r.stderr, ...outside] : [r.stdout, r.stderr, ...outside];
  for (const text of generic) {
    expect(keyLikeKind(text), `key material in output or state: ${context}`).toBeUndefined();
  }
  for (const text of [r.stdout, r.stderr, ...outside]) {
    for (const secret of want.secrets ?? []) expect(text.includes(secret), `leaked ${secret}`).toBe(false);
  }
  const after = snapshot(box.root, [box.state]);
  expect(Object.fromEntries(after), 'something outside the state directory changed').toEqual(
    Object.fromEntries(before),
  );
  return r;
}
