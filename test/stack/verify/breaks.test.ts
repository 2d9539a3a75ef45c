// `wizard verify` on the real stack (stack.ts): first green, with `-o json` printing only the report on stdout, for a
// weighted HTTP host, a MUTUAL host (the real refusal), a wildcard host and a bring-your-own certificate; then the
// wizard's own objects broken the ways people break them — a route to the wrong subset, weights edited, a
// VirtualService deleted, another host's certificate in a Secret, a certificate from another CA, a provided
// certificate replaced, a MUTUAL server switched to SIMPLE — and one `wizard verify` must name each break, with exit 1
// and the count of failed checks. These cases ran against the nginx stand-in before; on the real Envoy its answers
// are what istiod really programs.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster } from '../../../src/io/kube/connect.js';
import type { LiveCluster } from '../../../src/io/kube/live.js';
import type { K8sObject } from '../../../src/manifests/types.js';
import type { VerifyReport } from '../../../src/verify/types.js';
import { issueCert, LEAF, makeCa, selfSignedCert } from '../../support/opensslPki.js';
import { pushFlaskImage } from '../engines/engines.js';
import { stackSkipReason, useStack } from '../stack.js';
import {
  type CurlAnswer,
  curlGateway,
  expectOk,
  type WizardOnStack,
  wizardOnStack,
} from '../wizardOnStack.js';

const skip = await stackSkipReason('verify diagnoses on the real gateway (test/stack/verify)');
const report = (line: string) => process.stderr.write(`[stack/verify] ${line}\n`);

const config = (image: string, byoCert: string, byoKey: string) => `namespace: default
app: flask
image: ${image}
versions:
  - name: v1
  - name: v2
gateway:
  name: flask-gateway
  selector: { istio: ingressgateway }
  workloadNamespace: istio-system
hosts:
  - { name: ok.example.com, protocol: HTTPS, tls: { mode: SIMPLE }, route: v2 }
  - { name: wrong.example.com, protocol: HTTPS, tls: { mode: SIMPLE }, route: v2 }
  - { name: san.example.com, protocol: HTTPS, tls: { mode: SIMPLE }, route: v1 }
  - { name: ca.example.com, protocol: HTTPS, tls: { mode: SIMPLE }, route: v1 }
  - { name: mtls.example.com, protocol: HTTPS, tls: { mode: MUTUAL }, route: v1 }
  - { name: "*.wild.example.com", protocol: HTTPS, tls: { mode: SIMPLE }, route: v2 }
  - name: byo.example.com
    protocol: HTTPS
    tls: { mode: SIMPLE, certFile: ${byoCert}, keyFile: ${byoKey} }
    route: v2
  - { name: unbound.example.com, protocol: HTTP, route: v1 }
  - name: weights.example.com
    protocol: HTTP
    routes: [{ subset: v1, weight: 80 }, { subset: v2, weight: 20 }]
verify:
  timeoutSeconds: 15
build:
  enabled: false
`;

/** `wizard verify -o json`: the parsed report, and stdout must be that JSON alone. */
async function verifyJson(
  w: WizardOnStack,
): Promise<{ code: number | null; report: VerifyReport; stderr: string }> {
  const r = await w.run(['verify', '-o', 'json']);
  let parsed: VerifyReport;
  try {
    parsed = JSON.parse(r.stdout) as VerifyReport;
  } catch {
    throw new Error(
      `stdout is not one JSON document (exit ${r.code}):\n${r.stdout.slice(0, 2000)}\n${r.stderr.slice(-2000)}`,
    );
  }
  return { code: r.code, report: parsed, stderr: r.stderr };
}

describe.skipIf(skip)('verify on the real gateway: green, then each break named', () => {
  const stack = useStack();
  let cluster: LiveCluster;
  let w: WizardOnStack;

  beforeAll(async () => {
    const s = stack();
    cluster = await connectCluster({ kubeconfig: s.kubeconfig });
    w = wizardOnStack(s, { env: s.env() });
    const image = await pushFlaskImage(s.engines);
    // A bring-your-own certificate (self-signed here, as in test/stack/features/tlsModes.test.ts).
    const byo = path.join(s.dir, 'byo');
    await mkdir(byo, { recursive: true });
    const own = await selfSignedCert(byo, 'byo', 'byo.example.com');
    await w.write(config(image, own.cert, own.key));
    expectOk(await w.run(['--yes']), 'wizard --yes');
  }, 15 * 60_000);

  afterAll(() => {
    cluster?.close();
  });

  const vsFor = async (host: string) => {
    const all = await cluster.list({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      namespace: 'default',
    });
    const vs = all.find((v) => (v.spec?.hosts as string[] | undefined)?.includes(host));
    if (!vs) throw new Error(`no VirtualService for ${host}`);
    return vs;
  };
  const gatewayRef = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    namespace: 'default',
    name: 'flask-gateway',
  };
  const serverIndex = async (host: string) => {
    const gw = await cluster.get(gatewayRef);
    const servers = (gw?.spec?.servers ?? []) as { hosts: string[]; tls?: { credentialName?: string } }[];
    const i = servers.findIndex((sv) => sv.tls && sv.hosts.includes(host));
    if (i < 0) throw new Error(`no HTTPS Gateway server for ${host}`);
    return { i, credentialName: servers[i]?.tls?.credentialName as string };
  };
  const jsonPatch = async (
    obj: { apiVersion: string; kind: string; namespace: string; name: string },
    ops: unknown[],
  ) =>
    cluster.request({
      method: 'PATCH',
      path: await cluster.resources.path(obj),
      body: ops,
      contentType: 'application/json-patch+json',
      what: `break ${obj.kind}/${obj.name}`,
    });
  const refOf = (o: K8sObject) => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: o.metadata.namespace as string,
    name: o.metadata.name,
  });
  const secretData = async (cert: string, key: string) => ({
    'tls.crt': (await readFile(cert)).toString('base64'),
    'tls.key': (await readFile(key)).toString('base64'),
  });
  /** Polls curl until the gateway shows the break (istiod pushes in well under a second here). */
  const until = async (
    what: string,
    url: string,
    ok: (a: CurlAnswer) => boolean,
    o: Parameters<typeof curlGateway>[2] = {},
  ) => {
    const deadline = Date.now() + 30_000;
    let last: CurlAnswer | undefined;
    while (Date.now() < deadline) {
      last = await curlGateway(stack().gatewayAddress, url, { maxTime: 3, ...o });
      if (ok(last)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the gateway never showed ${what}: last answer ${JSON.stringify(last)}`);
  };

  it('green: -o json prints only the report; weights, the MUTUAL refusal, the wildcard and the provided certificate pass', async () => {
    const { code, report: r, stderr } = await verifyJson(w);
    report(`verify -o json: exit ${code}, ${r.passed} passed, ${r.failed} failed`);
    expect(code, stderr.slice(-3000)).toBe(0);
    expect(r).toMatchObject({ ok: true, failed: 0, address: stack().gatewayAddress });
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    const weights = r.checks.find((c) => c.kind === 'weights' && c.host === 'weights.example.com');
    expect(weights).toMatchObject({ ok: true, samples: 100, expected: { v1: 0.8, v2: 0.2 } });
    const mtls = r.checks.find((c) => c.kind === 'mtls-required' && c.host === 'mtls.example.com');
    expect(mtls?.ok).toBe(true);
    expect(mtls?.status ?? 0).toBe(0);
    const wild = r.checks.find((c) => c.kind === 'version' && c.host === '*.wild.example.com');
    expect(wild).toMatchObject({ requestHost: 'wizard-check.wild.example.com', status: 200, body: 'v2' });
    expect(r.checks.find((c) => c.kind === 'version' && c.host === 'byo.example.com')).toMatchObject({
      ok: true,
      body: 'v2',
    });
    expect(stderr).toMatch(/✓ HTTPS ok\.example\.com answers v2/);
  });

  it('every break is named: wrong subset, weights, unbound host, SAN mismatch, other CA, replaced provided certificate, MUTUAL off', async () => {
    const s = stack();
    // A route to the wrong subset.
    const wrong = await vsFor('wrong.example.com');
    await jsonPatch(refOf(wrong), [
      { op: 'replace', path: '/spec/http/0/route/0/destination/subset', value: 'v1' },
    ]);
    // Weights edited to 50/50.
    const weights = await vsFor('weights.example.com');
    await jsonPatch(refOf(weights), [
      { op: 'replace', path: '/spec/http/0/route/0/weight', value: 50 },
      { op: 'replace', path: '/spec/http/0/route/1/weight', value: 50 },
    ]);
    // The HTTP host's VirtualService gone.
    await cluster.delete(refOf(await vsFor('unbound.example.com')));
    // Another host's certificate (same CA) in san.example.com's Secret.
    const certs = path.join(w.state, 'certs');
    const secret = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', namespace: 'istio-system', name });
    const san = await serverIndex('san.example.com');
    await jsonPatch(secret(san.credentialName), [
      {
        op: 'replace',
        path: '/data',
        value: await secretData(
          path.join(certs, 'ok.example.com', 'tls.crt'),
          path.join(certs, 'ok.example.com', 'tls.key'),
        ),
      },
    ]);
    // A certificate valid for the name, from another CA.
    const other = path.join(s.dir, 'other-ca');
    await mkdir(other, { recursive: true });
    await makeCa(other, 'some other CA');
    const leafExt = (host: string) => `${LEAF}\nextendedKeyUsage = serverAuth\nsubjectAltName = DNS:${host}`;
    await issueCert(other, 'ca-host', { cn: 'ca.example.com' }, leafExt('ca.example.com'));
    const ca = await serverIndex('ca.example.com');
    await jsonPatch(secret(ca.credentialName), [
      {
        op: 'replace',
        path: '/data',
        value: await secretData(path.join(other, 'ca-host.crt'), path.join(other, 'ca-host.key')),
      },
    ]);
    // The provided certificate replaced by one from the wizard's CA, valid for the name.
    await issueCert(other, 'byo-stale', { cn: 'byo.example.com' }, leafExt('byo.example.com'), {
      cert: path.join(certs, 'ca.crt'),
      key: path.join(certs, 'ca.key'),
    });
    const byo = await serverIndex('byo.example.com');
    await jsonPatch(secret(byo.credentialName), [
      {
        op: 'replace',
        path: '/data',
        value: await secretData(path.join(other, 'byo-stale.crt'), path.join(other, 'byo-stale.key')),
      },
    ]);
    // The MUTUAL server switched to SIMPLE.
    const mtls = await serverIndex('mtls.example.com');
    await jsonPatch(gatewayRef, [
      { op: 'replace', path: `/spec/servers/${mtls.i}/tls/mode`, value: 'SIMPLE' },
    ]);

    // Wait until Envoy serves each break, so verify sees the broken gateway and not the one before.
    const ca0 = path.join(certs, 'ca.crt');
    await until('the wrong subset', 'https://wrong.example.com/version', (a) => a.body === 'v1', { ca: ca0 });
    await until('the deleted VirtualService', 'http://unbound.example.com/version', (a) => a.status === 404);
    await until('the other certificate', 'https://san.example.com/version', (a) => a.exit === 60, {
      ca: ca0,
    });
    await until('the other CA', 'https://ca.example.com/version', (a) => a.exit === 60, { ca: ca0 });
    await until('MUTUAL off', 'https://mtls.example.com/version', (a) => a.status === 200, { ca: ca0 });
    await until('the replaced provided certificate', 'https://byo.example.com/version', (a) => a.exit === 0, {
      ca: ca0,
    });

    const { code, report: r } = await verifyJson(w);
    const failed = r.checks.filter((c) => !c.ok);
    report(
      `broken gateway, verify -o json: exit ${code}\n  ${failed.map((c) => `${c.kind} ${c.host}: ${c.diagnosis}`).join('\n  ')}`,
    );
    expect(code).toBe(1);
    const byKey = (kind: string, host: string) => failed.find((c) => c.kind === kind && c.host === host);
    expect(byKey('version', 'wrong.example.com')).toMatchObject({ status: 200, body: 'v1', expected: 'v2' });
    expect(byKey('version', 'wrong.example.com')?.diagnosis).toMatch(
      /wrong version: got "v1", expected "v2" — the route points at the wrong subset/,
    );
    expect(byKey('weights', 'weights.example.com')?.diagnosis).toMatch(
      /^weights off: observed v1 [\d.]+% \/ v2 [\d.]+% over 100 requests, expected v1 80% \/ v2 20%/,
    );
    expect(byKey('version', 'unbound.example.com')).toMatchObject({ status: 404 });
    expect(byKey('version', 'unbound.example.com')?.diagnosis).toMatch(
      /404 from the gateway itself .*VirtualService for unbound\.example\.com is not bound/,
    );
    expect(byKey('version', 'san.example.com')).toMatchObject({ curlExit: 60 });
    expect(byKey('version', 'san.example.com')?.diagnosis).toMatch(/not valid for that name \(SAN mismatch/);
    expect(byKey('version', 'ca.example.com')).toMatchObject({ curlExit: 60 });
    expect(byKey('version', 'ca.example.com')?.diagnosis).toMatch(
      /not trusted by the generated CA \(.*ca\.crt\)/,
    );
    expect(byKey('version', 'byo.example.com')?.diagnosis).toMatch(
      /does not present the certificate provided for byo\.example\.com \(tls\.certFile/,
    );
    expect(byKey('mtls-required', 'mtls.example.com')?.diagnosis).toMatch(
      /without a certificate was served \(200\).*not tls.mode MUTUAL/,
    );
    // The untouched hosts still pass: each failure is the break's, not the gateway's as a whole.
    expect(failed.filter((c) => ['ok.example.com', '*.wild.example.com'].includes(c.host))).toEqual([]);

    // `wizard verify` prints its tally; the verify step of a run (here resumed at verify) fails with exit 1, the
    // count and every failed check named.
    const plain = await w.run(['verify']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain(`${r.passed} passed, ${failed.length} failed`);
    const step = await w.run(['--yes', '--from', 'verify']);
    expect(step.code, step.stderr.slice(-3000)).toBe(1);
    const address = s.gatewayAddress.replaceAll('.', '\\.');
    expect(step.stderr).toMatch(
      new RegExp(`${failed.length} of ${r.checks.length} ingress checks failed against ${address}:`),
    );
    expect(step.stderr).toMatch(/✗ HTTPS wrong\.example\.com answers v2/);
  }, 600_000);
});
