// Each deliberate break of the gateway is caught, with the diagnosis that names it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WizardConfig } from '../../src/config/types.js';
import { WizardError } from '../../src/errors.js';
import { createExec } from '../../src/io/exec.js';
import type { CertPaths } from '../../src/steps/types.js';
import { verifyStep } from '../../src/steps/verify.js';
import { runVerification } from '../../src/verify/run.js';
import type { VerifyReport } from '../../src/verify/types.js';
import { type GatewayBreaks, type NginxGateway, startNginxGateway } from '../support/nginxGateway.js';
import { stepContext } from '../support/stepContext.js';
import { makeCertPaths, makeLeaf } from './certs.js';
import { startVerifyLab } from './lab.js';
import { exampleHosts, plan, weightedMutualHosts } from './plans.js';

const lab = startVerifyLab();
const { upstreams } = lab;

const tempDir = () => lab.tempDir('verify-break-');

interface Setup {
  config: WizardConfig;
  certs: CertPaths;
  gw: NginxGateway;
}

async function setup(
  config: WizardConfig,
  breaks: GatewayBreaks | ((certs: CertPaths) => Promise<GatewayBreaks>) = {},
  opts: { gatewayCerts?: CertPaths; startDelayMs?: number } = {},
): Promise<Setup> {
  const certs = await makeCertPaths(config, tempDir());
  const b = typeof breaks === 'function' ? await breaks(certs) : breaks;
  const gw = await startNginxGateway(
    { config, certs: opts.gatewayCerts ?? certs, upstreams, breaks: b },
    { startDelayMs: opts.startDelayMs },
  );
  lab.track(gw);
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

/** The MUTUAL and wildcard hosts without the weighted one: tests that list exact failures need no sampling noise. */
const mutualHosts = () => weightedMutualHosts().filter((h) => h.protocol === 'HTTPS');

/** A fresh leaf for host from the generated CA of `certs`. */
function ownLeaf(certs: CertPaths, host: string) {
  return makeLeaf({ cert: certs.caCert, key: certs.caKey }, path.join(tempDir(), 'leaf'), host);
}

describe('verify catches a broken gateway', () => {
  it('a route to the wrong version', async () => {
    const s = await setup(plan(exampleHosts()), {
      routes: { 'flask.example1.com': [{ subset: 'v1', weight: 100 }] },
    });
    const r = await verify(s);
    expect(r.ok).toBe(false);
    expect(failed(r)).toHaveLength(1);
    const c = failed(r)[0];
    expect(c).toMatchObject({
      host: 'flask.example1.com',
      kind: 'version',
      status: 200,
      body: 'v1',
      expected: 'v2',
    });
    expect(c?.attempts).toBeGreaterThan(1); // retried until the deadline: Envoy may still be catching up
    expect(c?.diagnosis).toMatch(
      /wrong version: got "v1", expected "v2" — the route points at the wrong subset/,
    );
    expect(c?.next).toMatch(/kubectl -n default get virtualservice,destinationrule -o yaml/);
  });

  it("a host served with another host's certificate (SAN mismatch)", async () => {
    const s = await setup(plan(exampleHosts()), async (certs) => ({
      certs: { 'flask.example1.com': certs.hosts['flask.example2.com'] as { cert: string; key: string } },
    }));
    const r = await verify(s);
    expect(failed(r).map((c) => c.host)).toEqual(['flask.example1.com']);
    expect(failed(r)[0]).toMatchObject({ kind: 'version', curlExit: 60 });
    expect(failed(r)[0]?.diagnosis).toMatch(/not valid for that name \(SAN mismatch/);
    expect(failed(r)[0]?.next).toMatch(/openssl s_client .* -servername flask\.example1\.com/);
  });

  it('certificates from another CA', async () => {
    const config = plan(exampleHosts());
    const otherCa = await makeCertPaths(config, tempDir(), 'some other CA');
    const s = await setup(config, {}, { gatewayCerts: otherCa });
    const r = await verify(s);
    expect(failed(r).map((c) => `${c.kind} ${c.host} ${c.curlExit}`)).toEqual([
      'version flask.example1.com 60',
      'version flask.example2.com 60',
    ]);
    for (const c of failed(r)) expect(c.diagnosis).toMatch(/not trusted by the generated CA \(.*ca\.crt\)/);
  });

  it('an HTTP host the gateway does not serve: 404 from the gateway itself', async () => {
    const s = await setup(plan(weightedMutualHosts()), { omitHosts: ['flask.example3.com'] });
    const r = await verify(s);
    const c = failed(r).find((x) => x.host === 'flask.example3.com');
    expect(c).toMatchObject({ kind: 'weights', status: 404 });
    expect(c?.diagnosis).toMatch(
      /404 from the gateway itself .*VirtualService for flask\.example3\.com is not bound/,
    );
    expect(c?.next).toMatch(/istioctl proxy-config routes -n istio-system/);
  });

  it('weights off: plan says 80/20, the gateway splits 50/50', async () => {
    const s = await setup(plan(weightedMutualHosts()), {
      routes: {
        'flask.example3.com': [
          { subset: 'v1', weight: 50 },
          { subset: 'v2', weight: 50 },
        ],
      },
    });
    const r = await verify(s);
    expect(failed(r).map((c) => c.kind)).toEqual(['weights']);
    const c = failed(r)[0];
    expect(c?.samples).toBe(100);
    expect(c?.expected).toEqual({ v1: 0.8, v2: 0.2 });
    expect(Math.abs((c?.observed?.v1 ?? 0) - 0.5)).toBeLessThan(0.2);
    expect(c?.diagnosis).toMatch(
      /^weights off: observed v1 [\d.]+% \/ v2 [\d.]+% over 100 requests, expected v1 80% \/ v2 20%/,
    );
  });

  it('a MUTUAL host that serves clients without a certificate', async () => {
    const s = await setup(plan(mutualHosts()), { mtlsOff: ['secure.example.com'] });
    const r = await verify(s);
    expect(failed(r).map((c) => `${c.kind} ${c.host}`)).toEqual(['mtls-required secure.example.com']);
    expect(failed(r)[0]?.diagnosis).toMatch(/without a certificate was served \(200\).*not tls.mode MUTUAL/);
  });

  it('a MUTUAL host with no HTTPS server: handshake refused, and the mTLS check is reported as not checked', async () => {
    const s = await setup(plan(mutualHosts()), { omitHosts: ['secure.example.com'] });
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

  it('a provided certificate (tls.certFile) is checked as itself, not against the generated CA', async () => {
    const hosts = exampleHosts();
    const byo = hosts[0];
    if (!byo) throw new Error('no host');
    byo.tls = { mode: 'SIMPLE', certFile: 'provided.crt', keyFile: 'provided.key' };
    const config = plan(hosts);
    // generate-certs copies a provided certificate to the host's cert path: here one from an unrelated CA.
    const certs = await makeCertPaths(config, tempDir());
    const foreign = await makeCertPaths(config, tempDir(), 'a public CA');
    const provided = foreign.hosts[byo.name];
    if (!provided) throw new Error('no cert');
    certs.hosts[byo.name] = provided;
    const gw = await startNginxGateway({ config, certs, upstreams });
    lab.track(gw);
    expect(failed(await verify({ config, certs, gw }))).toEqual([]);
    // The gateway presenting another certificate (from the generated CA, valid for the name) is caught.
    await gw.reload({
      config,
      certs: { ...certs, hosts: { ...certs.hosts, [byo.name]: await ownLeaf(certs, byo.name) } },
      upstreams,
    });
    const r = await verify({ config, certs, gw });
    expect(failed(r).map((c) => `${c.host} ${c.curlExit}`)).toEqual([`${byo.name} 60`]);
    expect(failed(r)[0]?.diagnosis).toMatch(
      /does not present the certificate provided for flask\.example1\.com \(tls\.certFile/,
    );
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
});

describe('the verify step', () => {
  it('throws a WizardError (exit 1) listing the failed checks', async () => {
    const s = await setup(plan(exampleHosts()), {
      routes: { 'flask.example2.com': [{ subset: 'v2', weight: 1 }] },
    });
    s.config.verify.timeoutSeconds = 3;
    const ctx = stepContext(s.config);
    ctx.outputs['generate-certs'] = s.certs;
    ctx.flags.address = s.gw.address;
    ctx.flags.httpPort = s.gw.httpPort;
    ctx.flags.httpsPort = s.gw.httpsPort;
    const err = await verifyStep.run(ctx).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WizardError);
    expect((err as WizardError).exitCode).toBe(1);
    expect((err as WizardError).message).toMatch(
      /^1 of 5 ingress checks failed against 127\.0\.0\.1:\n {2}✗ HTTPS flask\.example2\.com answers v1 .*\n {4}wrong version: got "v2"/,
    );
  });

  it('returns passed/failed counts when all pass, reading the address from preflight', async () => {
    const s = await setup(plan(exampleHosts()));
    const ctx = stepContext(s.config, {
      context: 'kind-x',
      server: 'https://127.0.0.1:6443',
      apiVersion: 'networking.istio.io/v1',
      gatewayAddress: s.gw.address,
      httpPort: s.gw.httpPort,
      httpsPort: s.gw.httpsPort,
    });
    ctx.outputs['generate-certs'] = s.certs;
    expect(await verifyStep.run(ctx)).toEqual({ verify: { passed: 5, failed: 0 } });
    expect(ctx.logged.filter((l) => l.startsWith('✓'))).toHaveLength(5);
  });
});
