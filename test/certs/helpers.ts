// Shared fixtures for the certs tests: a full WizardConfig, temp dirs, and openssl via execFile (argument arrays).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { HostConfig, KeyType, WizardConfig } from '../../src/config/types.js';
import { exampleConfig } from '../support/configs.js';

const execFileAsync = promisify(execFile);

export function https(
  name: string,
  mode: 'SIMPLE' | 'MUTUAL' = 'SIMPLE',
  extra: Partial<HostConfig> = {},
): HostConfig {
  return { name, protocol: 'HTTPS', tls: { mode }, routes: [{ subset: 'v1', weight: 100 }], ...extra };
}

export function http(name: string): HostConfig {
  return { name, protocol: 'HTTP', routes: [{ subset: 'v1', weight: 100 }] };
}

/** The example with these hosts and certificate settings (nothing else shapes a certificate). */
export function makeConfig(
  hosts: HostConfig[],
  keyType: KeyType = 'ecdsa-p256',
  validityDays = 365,
): WizardConfig {
  return { ...exampleConfig(), hosts, certs: { storage: 'credentialName', keyType, validityDays } };
}

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'certs-test-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'certs-test-'));
}

/** Runs openssl; resolves with exit code and output instead of throwing, so tests can assert failures too. */
export async function openssl(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await execFileAsync('openssl', args);
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * 24 * 60 * 60 * 1000);
}
