import { describe, expect, it } from 'vitest';
import { createExec } from '../../src/io/exec.js';
import type { CertPaths } from '../../src/steps/types.js';
import { runVerification } from '../../src/verify/run.js';
import type { VerifyReport } from '../../src/verify/types.js';
import { type GatewaySpec, type NginxGateway, startNginxGateway } from '../support/nginxGateway.js';
import { makeCertPaths } from './certs.js';
import { startVerifyLab } from './lab.js';
import { exampleHosts, plan, redirectHosts, weightedMutualHosts } from './plans.js';

const lab = startVerifyLab();
const { upstreams } = lab;

async function setup(config: GatewaySpec['config'], address?: '127.0.0.1' | '::1') {
  const stateDir = lab.tempDir('verify-state-');
  const certs: CertPaths = await makeCertPaths(config, stateDir);
  const gw = await startNginxGateway({ config, certs, upstreams }, { address });
  lab.track(gw);
  return { certs, gw };
}

function verify(
  config: GatewaySpec['config'],
  certs: CertPaths,
  gw: NginxGateway,
  log?: string[],
): Promise<VerifyReport> {
  return runVerification({
    config,
    certs,
    address: gw.address,
    httpPort: gw.httpPort,
    httpsPort: gw.httpsPort,
    exec: createExec(),
    log: (l) => log?.push(l),
  });
}

const kinds = (r: VerifyReport) => r.checks.map((c) => `${c.kind} ${c.host}`).sort();

describe('verify against a correct gateway', () => {
  it('the example plan: example1 → v2, example2 → v1, both HTTPS only', async () => {
    const config = plan(exampleHosts());
    const { certs, gw } = await setup(config);
    const log: string[] = [];
    const r = await verify(config, certs, gw, log);
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(kinds(r)).toEqual([
      `unknown-host ${r.checks.find((c) => c.kind === 'unknown-host')?.host}`,
      'version flask.example1.com',
      'version flask.example2.com',
      'wrong-scheme flask.example1.com',
      'wrong-scheme flask.example2.com',
    ]);
    const v = r.checks.filter((c) => c.kind === 'version');
    expect(v.map((c) => [c.host, c.status, c.body])).toEqual([
      ['flask.example1.com', 200, 'v2'],
      ['flask.example2.com', 200, 'v1'],
    ]);
    expect(r.checks.find((c) => c.kind === 'unknown-host')?.host).toMatch(
      /^wizard-unknown-[0-9a-f]{8}\.invalid$/,
    );
    expect(log.some((l) => l.startsWith('✓ HTTPS flask.example1.com answers v2'))).toBe(true);
    // JSON-serialisable as printed by `wizard verify -o json`.
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('weighted HTTP host, MUTUAL host, wildcard host', async () => {
    const config = plan(weightedMutualHosts());
    const { certs, gw } = await setup(config);
    const r = await verify(config, certs, gw);
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    const w = r.checks.find((c) => c.kind === 'weights');
    expect(w?.samples).toBe(100);
    expect(w?.expected).toEqual({ v1: 0.8, v2: 0.2 });
    expect(Math.abs((w?.observed?.v1 ?? 0) - 0.8)).toBeLessThanOrEqual(w?.tolerance ?? 0);
    const m = r.checks.find((c) => c.kind === 'mtls-required');
    // nginx answers 400 to a client without a certificate; Envoy fails the handshake (curl 35/56).
    expect(m).toMatchObject({ host: 'secure.example.com', ok: true, status: 400 });
    const wild = r.checks.find((c) => c.host === '*.wild.example.com' && c.kind === 'version');
    expect(wild).toMatchObject({ requestHost: 'wizard-check.wild.example.com', status: 200, body: 'v2' });
    // The HTTP-only host has no TLS server: the handshake is rejected.
    expect(r.checks.find((c) => c.kind === 'wrong-scheme' && c.host === 'flask.example3.com')).toMatchObject({
      ok: true,
      curlExit: 35,
    });
    expect(r.checks.find((c) => c.kind === 'unknown-host')).toMatchObject({ ok: true, status: 404 });
  });

  it('httpsRedirect: the HTTPS host over HTTP is a 301 to https', async () => {
    const config = plan(redirectHosts(), {
      gateway: { ...plan([]).gateway, httpsRedirect: true },
    });
    const { certs, gw } = await setup(config);
    const r = await verify(config, certs, gw);
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.checks.find((c) => c.kind === 'wrong-scheme' && c.host === 'flask.example1.com')).toMatchObject({
      ok: true,
      status: 301,
    });
  });

  it('over IPv6 loopback (--resolve needs the address in brackets)', async () => {
    const config = plan(exampleHosts());
    const { certs, gw } = await setup(config, '::1');
    const r = await verify(config, certs, gw);
    expect(r.address).toBe('::1');
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
  });
});
