// The pure parts of verify: which checks a plan gets, the curl command lines, output parsing, tolerances.
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InterruptedError, UsageError, WizardError } from '../../src/errors.js';
import { createExec } from '../../src/io/exec.js';
import { verifyStep } from '../../src/steps/verify.js';
import { resolveTarget } from '../../src/verify/address.js';
import { buildChecks, type CheckSpec, requestHostFor, serverTrust } from '../../src/verify/checks.js';
import { curlArgs, MARK, parseTransfers, routeArgs } from '../../src/verify/curl.js';
import { describeCheck, runVerification } from '../../src/verify/run.js';
import { evaluate, tolerance } from '../../src/verify/verdict.js';
import { stepContext } from '../support/context.js';
import { freePort } from '../support/flaskApp.js';
import { exampleHosts, plan, redirectHosts, weightedMutualHosts } from './plans.js';

const certs = {
  caCert: '/s/certs/ca.crt',
  caKey: '/s/certs/ca.key',
  hosts: {
    'secure.example.com': {
      cert: '/s/certs/secure.example.com/tls.crt',
      key: '/s/certs/secure.example.com/tls.key',
      clientCert: '/s/certs/secure.example.com/client.crt',
      clientKey: '/s/certs/secure.example.com/client.key',
    },
  },
};
const target = { address: '192.0.2.10', httpPort: 30080, httpsPort: 30443 };

describe('checks from the plan', () => {
  it('a positive check per host, the negatives the tutorial points out, one unknown host', () => {
    const checks = buildChecks({ config: plan(weightedMutualHosts()), certs, unknownLabel: 'abcd' });
    expect(checks.map((c) => `${c.phase} ${c.kind} ${c.scheme} ${c.requestHost}`)).toEqual([
      '1 weights http flask.example3.com',
      '2 wrong-scheme https flask.example3.com',
      '1 version https secure.example.com',
      '2 mtls-required https secure.example.com',
      '2 wrong-scheme http secure.example.com',
      '1 version https wizard-check.wild.example.com',
      '2 wrong-scheme http wizard-check.wild.example.com',
      '2 unknown-host http wizard-unknown-abcd.invalid',
    ]);
    const mutual = checks.find((c) => c.kind === 'version' && c.host === 'secure.example.com');
    expect(mutual?.tls).toEqual({
      ca: '/s/certs/ca.crt',
      trust: 'generated-ca',
      clientCert: '/s/certs/secure.example.com/client.crt',
      clientKey: '/s/certs/secure.example.com/client.key',
    });
    // Without the client certificate, to prove it is required.
    expect(checks.find((c) => c.kind === 'mtls-required')?.tls).toEqual({
      ca: '/s/certs/ca.crt',
      trust: 'generated-ca',
    });
    expect(checks[0]?.expect).toEqual({ type: 'weights', shares: { v1: 0.8, v2: 0.2 }, samples: 100 });
  });

  it('server trust: the generated CA, a provided certificate as itself, or the system store', () => {
    const [own] = plan(exampleHosts()).hosts;
    if (!own) throw new Error('no host');
    const paths = {
      ...certs,
      hosts: { [own.name]: { cert: '/s/certs/own/tls.crt', key: '/s/certs/own/tls.key' } },
    };
    expect(serverTrust(own, paths)).toEqual({ ca: '/s/certs/ca.crt', trust: 'generated-ca' });
    const byo = { ...own, tls: { mode: 'SIMPLE' as const, certFile: 'mine.crt', keyFile: 'mine.key' } };
    expect(serverTrust(byo, paths)).toEqual({ ca: '/s/certs/own/tls.crt', trust: 'provided-cert' });
    expect(serverTrust(byo, undefined)).toEqual({ trust: 'system' });
  });

  it('HTTPS-only gateway: the unknown host is probed over HTTPS; redirect plans expect a 301', () => {
    const ex = buildChecks({ config: plan(exampleHosts()), unknownLabel: 'x' });
    expect(ex.at(-1)).toMatchObject({
      kind: 'unknown-host',
      scheme: 'https',
      expect: { type: 'no-tls-server', noHttpsServer: false },
    });
    expect(ex.find((c) => c.kind === 'wrong-scheme')?.expect).toEqual({
      type: 'not-served',
      redirect: false,
      noHttpServer: true,
    });
    const cfg = plan(redirectHosts());
    cfg.gateway.httpsRedirect = true;
    const rd = buildChecks({ config: cfg });
    expect(rd.find((c) => c.kind === 'wrong-scheme' && c.scheme === 'http')?.expect).toEqual({
      type: 'not-served',
      redirect: true,
      noHttpServer: false,
    });
  });

  it('skips a negative another host covers, and the unknown-host check under a catch-all', () => {
    const cfg = plan([
      { name: 'a.example.com', protocol: 'HTTP', routes: [{ subset: 'v1', weight: 1 }] },
      {
        name: '*.example.com',
        protocol: 'HTTPS',
        tls: { mode: 'SIMPLE' },
        routes: [{ subset: 'v2', weight: 1 }],
      },
      { name: '*', protocol: 'HTTP', routes: [{ subset: 'v1', weight: 1 }] },
    ]);
    const kinds = buildChecks({ config: cfg }).map((c) => `${c.kind} ${c.host}`);
    expect(kinds).not.toContain('wrong-scheme a.example.com');
    expect(kinds).not.toContain('wrong-scheme *.example.com');
    expect(kinds.some((k) => k.startsWith('unknown-host'))).toBe(false);
    expect(requestHostFor('*.example.com')).toBe('wizard-check.example.com');
  });

  it('a weight-0 route stays out of the live shares: one live route is a version check', () => {
    const cfg = plan([
      {
        name: 'z.example.com',
        protocol: 'HTTP',
        routes: [
          { subset: 'v1', weight: 0 },
          { subset: 'v2', weight: 5 },
        ],
      },
    ]);
    expect(buildChecks({ config: cfg })[0]?.expect).toEqual({ type: 'version', version: 'v2' });
  });
});

describe('curl command lines', () => {
  const spec = (o: Partial<CheckSpec> = {}): CheckSpec => ({
    host: 'secure.example.com',
    requestHost: 'secure.example.com',
    kind: 'version',
    title: 't',
    scheme: 'https',
    path: '/version',
    tls: certs.hosts['secure.example.com'] && {
      ca: certs.caCert,
      clientCert: certs.hosts['secure.example.com'].clientCert,
      clientKey: certs.hosts['secure.example.com'].clientKey,
    },
    expect: { type: 'version', version: 'v1' },
    phase: 1,
    ...o,
  });

  it('pins the name to the address, verifies against the CA, sends the client certificate; never -k', () => {
    const args = curlArgs(spec(), target, { maxTimeSeconds: 7, headers: true });
    expect(args).toEqual([
      '--silent',
      '--show-error',
      '--noproxy',
      '*',
      '--max-time',
      '7',
      '--resolve',
      'secure.example.com:30443:192.0.2.10',
      '--cacert',
      '/s/certs/ca.crt',
      '--cert',
      '/s/certs/secure.example.com/client.crt',
      '--key',
      '/s/certs/secure.example.com/client.key',
      '--dump-header',
      '-',
      '--write-out',
      `\n${MARK} %{http_code} %{time_total}\n`,
      'https://secure.example.com:30443/version',
    ]);
    for (const c of buildChecks({ config: plan(weightedMutualHosts()), certs })) {
      const a = curlArgs(c, target, { maxTimeSeconds: 1, repeat: 100 });
      expect(a).not.toContain('-k');
      expect(a).not.toContain('--insecure');
    }
  });

  it('IPv6 in brackets; a DNS-named load balancer via --connect-to; samples by URL globbing', () => {
    expect(routeArgs('h.example.com', 443, '::1')).toEqual(['--resolve', 'h.example.com:443:[::1]']);
    expect(routeArgs('h.example.com', 80, 'abc.elb.amazonaws.com')).toEqual([
      '--connect-to',
      'h.example.com:80:abc.elb.amazonaws.com:80',
    ]);
    expect(
      curlArgs(spec({ scheme: 'http', tls: {} }), target, { maxTimeSeconds: 1, repeat: 50 }).at(-1),
    ).toBe('http://secure.example.com:30080/version?n=[1-50]');
  });

  it('parses header blocks (after a 100 Continue), bodies and several transfers', () => {
    const one = `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nServer: istio-envoy\r\nContent-Length: 0\r\n\r\n\n${MARK} 404 0.004\n`;
    expect(parseTransfers(one, true)).toEqual([
      {
        status: 404,
        timeSeconds: 0.004,
        headers: { server: 'istio-envoy', 'content-length': '0' },
        body: '',
      },
    ]);
    const many = `v1\n${MARK} 200 0.001\nv2\n${MARK} 200 0.002\n\n${MARK} 000 0.000\n`;
    expect(parseTransfers(many, false).map((t) => [t.status, t.body])).toEqual([
      [200, 'v1'],
      [200, 'v2'],
      [0, ''],
    ]);
  });
});

describe('verdicts', () => {
  const where = { config: plan(weightedMutualHosts()), target, port: 30080 };
  const [weights] = buildChecks({ config: where.config });
  const samples = (v1: number, v2: number) => [
    ...Array.from({ length: v1 }, () => ({ status: 200, timeSeconds: 0, headers: {}, body: 'v1' })),
    ...Array.from({ length: v2 }, () => ({ status: 200, timeSeconds: 0, headers: {}, body: 'v2' })),
  ];

  it('binomial tolerance, at least 10 points; exact for 0 and 1', () => {
    expect(tolerance(0.8, 100)).toBeCloseTo(0.12, 10);
    expect(tolerance(0.5, 10_000)).toBe(0.1);
    expect(tolerance(0, 100)).toBe(0);
    expect(tolerance(1, 100)).toBe(0);
  });

  it('weights within tolerance pass; outside fail with observed vs expected; a stray version fails', () => {
    if (!weights) throw new Error('no check');
    expect(evaluate(weights, { curlExit: 0, transfers: samples(70, 30) }, where)).toMatchObject({ ok: true });
    const off = evaluate(weights, { curlExit: 0, transfers: samples(50, 50) }, where);
    expect(off.ok).toBe(false);
    expect(off.observed).toEqual({ v1: 0.5, v2: 0.5 });
    expect(off.diagnosis).toMatch(
      /observed v1 50% \/ v2 50% over 100 requests, expected v1 80% \/ v2 20% \(tolerance ±12%\)/,
    );
    const stray = evaluate(
      weights,
      {
        curlExit: 0,
        transfers: [...samples(99, 0), { status: 200, timeSeconds: 0, headers: {}, body: 'v3' }],
      },
      where,
    );
    expect(stray.diagnosis).toMatch(/wrong version: got "v3", expected "v1 or v2"/);
    const probe = evaluate(
      weights,
      { curlExit: 7, transfers: [{ status: 0, timeSeconds: 0, headers: {}, body: '' }] },
      where,
    );
    expect(probe.diagnosis).toMatch(/^the first request failed \(no samples sent\): curl: \(7\)/);
    const some = evaluate(
      weights,
      {
        curlExit: 0,
        transfers: [...samples(97, 0), { status: 503, timeSeconds: 0, headers: {}, body: '' }],
      },
      where,
    );
    expect(some.diagnosis).toMatch(/^1 of 98 requests failed: 503/);
  });

  it('a weights line shows the observed shares in the plan order, the sample count and the tolerance', () => {
    const line = describeCheck({
      host: 'h',
      kind: 'weights',
      ok: true,
      title: 'HTTP h splits v1 80% / v2 20%',
      url: 'http://h:80/version',
      requestHost: 'h',
      attempts: 1,
      latencyMs: 5,
      expected: { v1: 0.8, v2: 0.2, v3: 0 },
      observed: { v2: 0.24, v1: 0.76 },
      samples: 100,
      tolerance: 0.12,
    });
    expect(line).toBe(
      '✓ HTTP h splits v1 80% / v2 20%: observed v1 76% / v2 24% over 100 requests (±12%) (1 attempt, 5 ms)',
    );
  });

  it('503 means no ready pods; a 404 the app sent is not blamed on the Gateway', () => {
    const [, , version] = buildChecks({ config: where.config });
    if (!version) throw new Error('no check');
    const r503 = evaluate(
      version,
      { curlExit: 0, transfers: [{ status: 503, timeSeconds: 0, headers: {}, body: '' }] },
      where,
    );
    expect(r503.diagnosis).toMatch(/^503: no healthy upstream — the subset selects no ready pods/);
    const app404 = evaluate(
      version,
      {
        curlExit: 0,
        transfers: [
          { status: 404, timeSeconds: 0, headers: { 'x-envoy-upstream-service-time': '3' }, body: '' },
        ],
      },
      where,
    );
    expect(app404.diagnosis).toMatch(/^404 from the app/);
  });

  it('35 (no server for the SNI) points at the secret the plan made: per host, or the file-mount one', () => {
    const cfg = plan(exampleHosts());
    const [https] = buildChecks({ config: cfg, certs });
    if (!https) throw new Error('no check');
    const w = { config: cfg, target, port: 30443 };
    expect(evaluate(https, { curlExit: 35, transfers: [] }, w).next).toMatch(
      /^kubectl -n istio-system get secret flask-example1-com-tls;/,
    );
    cfg.certs.storage = 'file-mount';
    expect(evaluate(https, { curlExit: 35, transfers: [] }, w).next).toMatch(
      /^kubectl -n istio-system get secret istio-ingressgateway-certs;/,
    );
  });

  describe('MUTUAL without a client certificate: every way a real gateway refuses counts as refused', () => {
    const refusal = () => {
      const spec = buildChecks({ config: where.config, certs }).find((c) => c.kind === 'mtls-required');
      if (!spec) throw new Error('no mtls-required check');
      return spec;
    };
    // Envoy sends TLS 1.3's `certificate required` alert after curl finished its side of the handshake: curl
    // reports it from the HTTP/2 preface (16), the request write (55) or the read (56); TLS 1.2 fails the
    // handshake itself (35); a server that just closes gives an empty reply (52).
    it.each([16, 35, 52, 55, 56])('curl exit %i is a refusal', (code) => {
      expect(evaluate(refusal(), { curlExit: code, transfers: [] }, where)).toEqual({ ok: true });
      const noAnswer = [{ status: 0, timeSeconds: 0, headers: {}, body: '' }];
      expect(evaluate(refusal(), { curlExit: code, transfers: noAnswer }, where)).toEqual({ ok: true });
    });

    it.each([
      [7, /nothing listening/],
      [28, /timed out/],
      [60, /not trusted by the generated CA/],
    ])('curl exit %i is not a refusal: it is diagnosed', (code, diagnosis) => {
      const v = evaluate(refusal(), { curlExit: code, transfers: [] }, where);
      expect(v.ok).toBe(false);
      expect(v.diagnosis).toMatch(diagnosis);
    });

    it('a served request (200) is no refusal; curl 16/55/56 with a client certificate blame the certificate', () => {
      const served = [{ status: 200, timeSeconds: 0, headers: {}, body: 'v1' }];
      expect(evaluate(refusal(), { curlExit: 0, transfers: served }, where).diagnosis).toMatch(
        /is not tls.mode MUTUAL/,
      );
      const withCert = buildChecks({ config: where.config, certs }).find(
        (c) => c.kind === 'version' && c.tls.clientCert,
      );
      if (!withCert) throw new Error('no check with a client certificate');
      for (const [code, when] of [
        [16, 'in HTTP/2 framing'],
        [55, 'while sending the request'],
        [56, 'while receiving'],
      ] as const) {
        expect(evaluate(withCert, { curlExit: code, transfers: [] }, where).diagnosis).toBe(
          `curl: (${code}) the connection was closed ${when}: the gateway refused the client certificate (is it signed by the CA the Gateway trusts?)`,
        );
      }
    });
  });

  it('an IPv6 gateway address is bracketed next to its port in the diagnosis and the commands it suggests', () => {
    const v6 = { address: '2001:db8::1', httpPort: 30080, httpsPort: 30443 };
    const [https] = buildChecks({ config: plan(exampleHosts()), certs });
    if (!https) throw new Error('no check');
    const w = { config: plan(exampleHosts()), target: v6, port: 30443 };
    expect(evaluate(https, { curlExit: 7, transfers: [] }, w).diagnosis).toMatch(
      /nothing listening at \[2001:db8::1\]:30443:/,
    );
    expect(evaluate(https, { curlExit: 60, transfers: [] }, w).next).toMatch(
      /openssl s_client -connect \[2001:db8::1\]:30443 -servername flask\.example1\.com/,
    );
  });
});

describe('inputs and environment', () => {
  it('address: flags > config.verify > preflight; none → a usage error naming --address and verify.address', () => {
    const c = plan(exampleHosts());
    const pre = {
      context: 'x',
      server: 's',
      apiVersion: 'networking.istio.io/v1' as const,
      gatewayAddress: '10.0.0.1',
      httpPort: 31080,
    };
    expect(resolveTarget(c, {}, pre)).toEqual({ address: '10.0.0.1', httpPort: 31080, httpsPort: 443 });
    c.verify.address = '10.0.0.2';
    c.verify.httpsPort = 8443;
    expect(resolveTarget(c, {}, pre)).toEqual({ address: '10.0.0.2', httpPort: 31080, httpsPort: 8443 });
    expect(resolveTarget(c, { address: '[::1]', httpPort: 1 }, pre)).toEqual({
      address: '::1',
      httpPort: 1,
      httpsPort: 8443,
    });
    const bare = plan(exampleHosts());
    const err = (() => {
      try {
        resolveTarget(bare, {}, undefined);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).message).toMatch(/--address.*\n.*verify\.address/);
    expect(() => resolveTarget(bare, { address: 'a', httpPort: 70000 }, undefined)).toThrow(
      /--http-port \/ verify\.httpPort: 70000/,
    );
    // Without preflight, the message says it has not run, and the hint uses the configured gateway.
    expect((err as UsageError).message).toMatch(/preflight has not run/);
    expect((err as UsageError).hint).toBe(
      'find it with: kubectl -n istio-system get svc -l istio=ingressgateway (EXTERNAL-IP, or a node IP with the NodePorts)',
    );
    // A DNS name is fine (--connect-to); a URL or an address with a port is a usage error naming --address.
    expect(resolveTarget(bare, { address: 'lb-1.elb.example.com' }, undefined).address).toBe(
      'lb-1.elb.example.com',
    );
    for (const address of ['http://1.2.3.4', '1.2.3.4:8443', 'lb.example.com/x', 'a b', '[::1']) {
      const e = (() => {
        try {
          resolveTarget(bare, { address }, undefined);
        } catch (x) {
          return x;
        }
      })();
      expect(e, address).toBeInstanceOf(UsageError);
      expect((e as UsageError).message).toMatch(/^--address: ".*" is not an IP address or DNS name/);
    }
  });

  it('certificate files missing (state made in another directory): fails at once naming them, runs no curl', async () => {
    const calls: string[] = [];
    const real = createExec();
    const exec = {
      ...real,
      run: (cmd: string, args: readonly string[]) => {
        calls.push(cmd);
        return real.run(cmd, args);
      },
    };
    const relative = {
      caCert: 'st/certs/ca.crt',
      caKey: 'st/certs/ca.key',
      hosts: {
        'flask.example1.com': { cert: 'st/certs/a/tls.crt', key: 'st/certs/a/tls.key' },
        'flask.example2.com': { cert: 'st/certs/b/tls.crt', key: 'st/certs/b/tls.key' },
      },
    };
    const err = await runVerification({
      config: plan(exampleHosts()),
      certs: relative,
      ...target,
      exec,
      timeoutSeconds: 600,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WizardError);
    expect((err as WizardError).exitCode).toBe(1);
    expect((err as WizardError).message).toMatch(/missing: st\/certs\/ca\.crt \(relative to .+\)$/);
    expect((err as WizardError).hint).toMatch(/wizard --from generate-certs/);
    expect(calls).toEqual([]);
  });

  it('an abort (Ctrl-C) stops the retries with an InterruptedError', async () => {
    const port = await freePort();
    const ac = new AbortController();
    const pending = runVerification({
      config: plan(exampleHosts()),
      address: '127.0.0.1',
      httpPort: port,
      httpsPort: port,
      exec: createExec(),
      timeoutSeconds: 600,
      signal: ac.signal,
    });
    setTimeout(() => ac.abort(), 300);
    await expect(pending).rejects.toBeInstanceOf(InterruptedError);
  });

  it('curl missing → a WizardError saying how to install it', async () => {
    const emptyBin = mkdtempSync(path.join(tmpdir(), 'nocurl-'));
    symlinkSync(process.execPath, path.join(emptyBin, 'node'));
    const saved = process.env.PATH;
    process.env.PATH = emptyBin;
    try {
      const err = await runVerification({
        config: plan(exampleHosts()),
        address: '127.0.0.1',
        httpPort: 1,
        httpsPort: 2,
        exec: createExec(),
        timeoutSeconds: 1,
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WizardError);
      expect((err as WizardError).message).toMatch(/curl is not installed/);
      expect((err as WizardError).hint).toMatch(/apt-get install curl.*brew install curl/);
    } finally {
      process.env.PATH = saved;
      rmSync(emptyBin, { recursive: true, force: true });
    }
  });

  it('plan(): the curl commands, without running anything; a missing address is a note', async () => {
    const ctx = stepContext(plan(weightedMutualHosts()));
    ctx.io.exec = {
      run: async () => {
        throw new Error('plan must not run commands');
      },
      which: async () => undefined,
    };
    const p = await verifyStep.plan(ctx);
    expect(p.notes?.[0]).toMatch(/no ingress address yet: pass --address/);
    expect(p.commands).toHaveLength(8);
    expect(p.commands?.every((c) => c.cmd === 'curl')).toBe(true);
    expect(p.commands?.[0]?.args.at(-1)).toBe('http://flask.example3.com:80/version?n=[1-100]');
    // Without an address the ports given still apply; a bad --address is an error, not "no address yet".
    ctx.flags = { ...ctx.flags, httpPort: 31080 };
    const ported = await verifyStep.plan(ctx);
    expect(ported.commands?.[0]?.args.at(-1)).toBe('http://flask.example3.com:31080/version?n=[1-100]');
    ctx.flags = { ...ctx.flags, address: 'http://1.2.3.4' };
    await expect(verifyStep.plan(ctx)).rejects.toThrow(/^--address: "http:\/\/1\.2\.3\.4" is not an IP/);
  });
});
