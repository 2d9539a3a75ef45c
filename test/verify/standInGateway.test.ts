// verify against the nginx gateway stand-in (test/support/nginxGateway.ts), kept only for what the real stack tier
// (test/stack/**, a real istiod + Envoy) cannot show:
// - an IPv6 gateway address: the stack's gateway has an address on the tier's IPv4 bridge only, so verify's
//   bracketed `--resolve [::1]` is proved here, on ::1;
// - a gateway whose HTTPS listener comes up 2 s after verify starts: the retry loop's timing on demand, which Envoy
//   (listening as soon as istiod has pushed) cannot be made to show at a chosen moment;
// - nothing listening at all (curl 7), for which no gateway is needed;
// - a MUTUAL host without any HTTPS server: verify's own bookkeeping (the mTLS check reported "not checked" when the
//   version check cannot even handshake), pinned on a server that simply has no such SNI.
// Every other verify case — the tutorial's plans, weights, MUTUAL's real refusal, wildcard, redirects, and each
// break (wrong subset, weights off, unbound host, SAN mismatch, other CA, a replaced provided certificate, MUTUAL
// off) — runs on the real gateway: test/stack/verify/breaks.test.ts, test/stack/flow, test/stack/features,
// test/stack/istio.
import { describe, expect, it } from 'vitest';
import type { WizardConfig } from '../../src/config/types.js';
import { createExec } from '../../src/io/exec.js';
import type { CertPaths } from '../../src/steps/types.js';
import { runVerification } from '../../src/verify/run.js';
import type { VerifyReport } from '../../src/verify/types.js';
import { type GatewayBreaks, type NginxGateway, startNginxGateway } from '../support/nginxGateway.js';
import { makeCertPaths } from './certs.js';
import { startVerifyLab } from './lab.js';
import { exampleHosts, plan, weightedMutualHosts } from './plans.js';

const lab = startVerifyLab();
const { upstreams } = lab;

interface Setup {
  config: WizardConfig;
  certs: CertPaths;
  gw: NginxGateway;
}

async function setup(
  config: WizardConfig,
  breaks: GatewayBreaks = {},
  opts: { startDelayMs?: number; address?: '127.0.0.1' | '::1' } = {},
): Promise<Setup> {
  const certs = await makeCertPaths(config, lab.tempDir('verify-stand-in-'));
  const gw = lab.track(await startNginxGateway({ config, certs, upstreams, breaks }, opts));
  return { config, certs, gw };
}

function verify({ config, certs, gw }: Setup, timeoutSeconds = 3): Promise<VerifyReport> {
  return runVerification({
    config,
    certs,
    address: gw.address,
    httpPort: gw.httpPort,
    httpsPort: gw.httpsPort,
    exec: createExec(),
    timeoutSeconds,
  });
}

const failed = (r: VerifyReport) => r.checks.filter((c) => !c.ok);

describe('verify where only a stand-in gateway can go', () => {
  it('over IPv6 loopback (--resolve needs the address in brackets)', async () => {
    const s = await setup(plan(exampleHosts()), {}, { address: '::1' });
    const r = await verify(s, 20);
    expect(r.address).toBe('::1');
    expect(failed(r)).toEqual([]);
  });

  it('the gateway is not listening yet: verify retries until it is', async () => {
    const s = await setup(plan(exampleHosts()), {}, { startDelayMs: 2000 });
    const r = await verify(s, 20);
    expect(failed(r)).toEqual([]);
    for (const c of r.checks.filter((x) => x.kind === 'version')) expect(c.attempts).toBeGreaterThan(1);
  });

  it('nothing ever listens: curl (7) with what it means', async () => {
    const s = await setup(plan(exampleHosts()));
    await s.gw.stop();
    const r = await verify(s, 1);
    const c = r.checks.find((x) => x.kind === 'version');
    expect(c).toMatchObject({ ok: false, curlExit: 7 });
    expect(c?.diagnosis).toMatch(/^curl: \(7\) nothing listening at 127\.0\.0\.1:\d+/);
    // The Gateway has HTTPS servers: nothing listening on its HTTPS port is no proof that an unknown SNI is refused.
    expect(r.checks.find((x) => x.kind === 'unknown-host')).toMatchObject({ ok: false, curlExit: 7 });
  });

  it('a MUTUAL host with no HTTPS server: handshake refused, and the mTLS check is reported as not checked', async () => {
    const mutual = weightedMutualHosts().filter((h) => h.protocol === 'HTTPS');
    const s = await setup(plan(mutual), { omitHosts: ['secure.example.com'] });
    const r = await verify(s, 3);
    expect(failed(r).map((c) => `${c.kind} ${c.host}`)).toEqual([
      'version secure.example.com',
      'mtls-required secure.example.com',
    ]);
    expect(failed(r)[0]).toMatchObject({ curlExit: 35 });
    expect(failed(r)[0]?.diagnosis).toMatch(
      /TLS handshake failed for SNI secure\.example\.com: no server for this SNI/,
    );
    expect(failed(r)[0]?.next).toMatch(/kubectl -n istio-system get secret secure-example-com-tls/);
    expect(failed(r)[1]).toMatchObject({ attempts: 0 });
    expect(failed(r)[1]?.diagnosis).toMatch(/^not checked/);
  });
});
