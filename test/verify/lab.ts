// The verify tests' lab: the real Flask app twice (v1, v2), and cleanup of every nginx stand-in and temp dir a test
// starts. Call startVerifyLab() at the top of a test file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type RunningApp, startFlaskApp } from '../support/flaskApp.js';
import type { NginxGateway } from '../support/nginxGateway.js';

export interface VerifyLab {
  /** Upstream URL per version, set once the apps are up (read it inside tests, not at import time). */
  upstreams: Record<string, string>;
  /** A temp dir removed after the file. */
  tempDir(prefix?: string): string;
  /** Stops this gateway after the file; returns it. */
  track(gw: NginxGateway): NginxGateway;
}

export function startVerifyLab(): VerifyLab {
  let apps: RunningApp[] = [];
  const dirs: string[] = [];
  const gateways: NginxGateway[] = [];
  const lab: VerifyLab = {
    upstreams: {},
    tempDir(prefix = 'verify-') {
      const d = mkdtempSync(path.join(tmpdir(), prefix));
      dirs.push(d);
      return d;
    },
    track(gw) {
      gateways.push(gw);
      return gw;
    },
  };
  beforeAll(async () => {
    apps = await Promise.all([startFlaskApp({ version: 'v1' }), startFlaskApp({ version: 'v2' })]);
    Object.assign(lab.upstreams, { v1: apps[0]?.url ?? '', v2: apps[1]?.url ?? '' });
  });
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await Promise.all(apps.map((a) => a.stop()));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return lab;
}
