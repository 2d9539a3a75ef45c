// Connection failures against a real API server, each with its own message: unreachable server, bad token (401),
// unknown certificate authority, missing context, forbidden (403).
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError, WizardError } from '../../../src/errors.js';
import { connectCluster } from '../../../src/io/kube/connect.js';
import { skipReason, useControlPlane } from '../../support/apiserver.js';

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe.skipIf(skipReason)('connecting (real API server)', () => {
  const suite = useControlPlane();

  it('reaches the server and reports the target', async () => {
    const { admin, cp } = suite();
    expect(admin.target()).toEqual({
      context: 'envtest-admin',
      server: cp.server,
      namespace: 'default',
      offline: false,
    });
    expect((await admin.serverVersion()).gitVersion).toMatch(/^v1\.\d+\.\d+/);
  });

  it('an unreachable server names the URL and the context (never localhost:8080)', async () => {
    const { cp } = suite();
    const port = await freePort();
    const file = path.join(cp.dir, 'unreachable.kubeconfig');
    writeFileSync(
      file,
      readFileSync(cp.adminKubeconfig, 'utf8').replace(cp.server, `https://127.0.0.1:${port}`),
    );
    const c = await connectCluster({ kubeconfig: file });
    const err = await c.serverVersion().catch((e) => e);
    c.close();
    expect(err).toBeInstanceOf(WizardError);
    expect(err.message).toBe(
      `cannot reach the API server https://127.0.0.1:${port} (context "envtest-admin"): connection refused`,
    );
    expect(err.message).not.toContain('8080');
    expect(err.hint).toMatch(/context/);
  });

  it('a rejected token is a 401 with the token hint', async () => {
    const { cp } = suite();
    const c = await connectCluster({ kubeconfig: cp.tokenKubeconfig('not-a-valid-token') });
    const err = await c.serverVersion().catch((e) => e);
    c.close();
    expect(err.status).toBe(401);
    expect(err.message).toBe(
      `read the server version: the API server ${cp.server} rejected the credentials of context "envtest-token" (401 Unauthorized)`,
    );
    expect(err.hint).toMatch(/token .*expired/);
  });

  /** The admin kubeconfig with its user swapped for an exec credential plugin. */
  function execKubeconfig(name: string, command: string, args: string[]): string {
    const { cp } = suite();
    const file = path.join(cp.dir, `${name}.kubeconfig`);
    const user = `  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${JSON.stringify(command)}\n      args: ${JSON.stringify(args)}\n      interactiveMode: Never\n`;
    const text = readFileSync(cp.adminKubeconfig, 'utf8').replace(/ {2}user:\n(?: {4}.*\n)+/, user);
    writeFileSync(file, text);
    return file;
  }

  it('an exec plugin whose token is rejected gets the exec hint (expired token)', async () => {
    const cred = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: 'expired-token' },
    });
    const c = await connectCluster({
      kubeconfig: execKubeconfig('exec', process.execPath, ['-e', `console.log(${JSON.stringify(cred)})`]),
    });
    const err = await c.serverVersion().catch((e) => e);
    c.close();
    expect(err.status).toBe(401);
    expect(err.hint).toBe(
      `the token from the exec credential plugin (${process.execPath}) was rejected: it may have expired; log in again with your cloud CLI`,
    );
  });

  it('an exec plugin that fails is reported as a credentials problem', async () => {
    const c = await connectCluster({
      kubeconfig: execKubeconfig('exec-fail', process.execPath, [
        '-e',
        'process.stderr.write("not logged in"); process.exit(1)',
      ]),
    });
    const err = await c.serverVersion().catch((e) => e);
    c.close();
    expect(err).toBeInstanceOf(WizardError);
    expect(err.message).toMatch(/^cannot prepare credentials of context "envtest-admin": /);
    expect(err.hint).toMatch(/exec plugin/);
  });

  it('an exec plugin that fails silently, or is not installed, is named (never an empty message)', async () => {
    const silent = await connectCluster({
      kubeconfig: execKubeconfig('exec-silent', process.execPath, ['-e', 'process.exit(1)']),
    });
    const err = await silent.serverVersion().catch((e) => e);
    silent.close();
    expect(err).toBeInstanceOf(WizardError);
    expect(err.message).toBe(
      `cannot prepare credentials of context "envtest-admin": exec credential plugin ${process.execPath} failed: it exited with an error and printed nothing`,
    );

    const missing = await connectCluster({
      kubeconfig: execKubeconfig('exec-missing', '/nonexistent/kubelogin', []),
    });
    const err2 = await missing.serverVersion().catch((e) => e);
    missing.close();
    expect(err2.message).toBe(
      'cannot prepare credentials of context "envtest-admin": exec credential plugin /nonexistent/kubelogin not found (is it installed and on PATH?)',
    );
  });

  it('an unresolvable server host says so', async () => {
    const { cp } = suite();
    const file = path.join(cp.dir, 'dns.kubeconfig');
    writeFileSync(
      file,
      readFileSync(cp.adminKubeconfig, 'utf8').replace(cp.server, 'https://api.nonexistent.invalid:6443'),
    );
    const c = await connectCluster({ kubeconfig: file });
    const err = await c.serverVersion().catch((e) => e);
    c.close();
    expect(err.message).toMatch(
      /^cannot reach the API server https:\/\/api\.nonexistent\.invalid:6443 \(context "envtest-admin"\): host (not found|name lookup failed) \(DNS\)$/,
    );
  });

  it('a server certificate from an unknown authority is an x509 error, not a stack', async () => {
    const { cp } = suite();
    const file = path.join(cp.dir, 'wrong-ca.kubeconfig');
    // The admin client certificate is not the CA that signed the server certificate.
    const wrongCa = readFileSync(cp.certs.adminCert).toString('base64');
    const text = readFileSync(cp.adminKubeconfig, 'utf8').replace(
      /certificate-authority-data: .*/,
      `certificate-authority-data: "${wrongCa}"`,
    );
    writeFileSync(file, text);
    const c = await connectCluster({ kubeconfig: file });
    const err = await c.serverVersion().catch((e) => e);
    c.close();
    expect(err).toBeInstanceOf(WizardError);
    expect(err.message).toMatch(
      /^TLS error talking to the API server .* x509: certificate signed by unknown authority/,
    );
    expect(err.hint).toMatch(/certificate-authority/);
  });

  it('a missing context lists the available ones', async () => {
    const { cp } = suite();
    const err = await connectCluster({ kubeconfig: cp.adminKubeconfig, context: 'prod' }).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe(
      `--context: no context "prod" in ${cp.adminKubeconfig}; available: envtest-admin`,
    );
  });

  it('a forbidden write names the object and the verb, and writes nothing', async () => {
    const { cp, admin } = suite();
    const c = await connectCluster({ kubeconfig: cp.restrictedKubeconfig });
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nope', namespace: 'default' } };
    const err = await c.apply(obj).catch((e) => e);
    c.close();
    expect(err.status).toBe(403);
    expect(err.message).toMatch(
      /^read ConfigMap\/default\/nope: forbidden \(403\): .*"restricted" cannot get resource "configmaps"/,
    );
    expect(await admin.get({ ...obj, name: 'nope' })).toBeUndefined();
  });

  it('--dry-run=server connection sends dryRun=All (nothing persists) and counts requests', async () => {
    const { connect, admin } = suite();
    const dry = await connect({ dryRunServer: true });
    const before = dry.requestCount;
    const r = await dry.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'dry-cm', namespace: 'default' },
    });
    expect(r.outcome).toBe('created');
    expect(dry.requestCount - before).toBe(3); // namespace check, GET, PATCH
    expect(
      await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'dry-cm' }),
    ).toBeUndefined();
  });
});
