// Issue 8, items 1, 2, 4 (second run) and 7 on the real stack: the tutorial as a user runs it, with no stand-in for
// any step. build-image really builds flask/ with docker and pushes it to the loopback registry, the kubelet pulls it,
// the rollout wait ends because the pods pass their readiness probe, and verify's curl talks to the real Envoy.
// Then the tutorial's stages on the same cluster and state directory, a second `--yes` that changes nothing, and
// a teardown after which the gateway no longer serves the hosts. Independent curl (--cacert, never -k) agrees.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { connectCluster } from '../../../src/io/kube/connect.js';
import { runWizard } from '../../support/cli.js';
import { stackSkipReason, useStack } from '../stack.js';

const skip = await stackSkipReason('the tutorial flow (test/stack/flow)');
const execFileP = promisify(execFile);
const report = (line: string) => process.stderr.write(`[stack/flow] ${line}\n`);

type Host = { name: string; https: boolean; route: string };

const config = (image: string, hosts: Host[]) => `namespace: default
app: flask
image: ${image}
versions:
  - name: v1
  - name: v2
gateway:
  name: flask-gateway
hosts:
${hosts
  .map(
    (h) => `  - name: ${h.name}
    protocol: ${h.https ? 'HTTPS' : 'HTTP'}
${h.https ? '    tls: { mode: SIMPLE }\n' : ''}    route: ${h.route}`,
  )
  .join('\n')}
build:
  tool: docker
  load: push
`;

/** curl as a person would: the HTTP status and body, or the curl exit code when no answer came. */
async function curl(address: string, host: string, https: boolean, ca: string) {
  const port = https ? 443 : 80;
  const args = ['-sS', '-o', '-', '-w', '\n%{http_code}', '--max-time', '5'];
  if (https) args.push('--cacert', ca);
  args.push('--resolve', `${host}:${port}:${address}`, `${https ? 'https' : 'http'}://${host}/version`);
  try {
    const { stdout } = await execFileP('curl', args);
    const lines = stdout.trimEnd().split('\n');
    return { status: Number(lines.pop()), body: lines.join('\n').trim(), exit: 0 };
  } catch (e) {
    return { status: 0, body: '', exit: (e as { code?: number }).code ?? -1 };
  }
}

describe.skipIf(skip)('the tutorial on the real stack', () => {
  const stack = useStack();
  const E1 = 'flask.example1.com';
  const E2 = 'flask.example2.com';

  it('builds, pushes, deploys, routes and verifies each stage; a second run changes nothing; teardown stops serving', async () => {
    const s = stack();
    const image = s.flaskImage('v2');
    const state = path.join(s.dir, 'state');
    const ca = path.join(state, 'certs', 'ca.crt');
    const file = path.join(s.dir, 'wizard.yaml');
    const wizard = (args: string[]) =>
      runWizard([...args, '--config', file, '--kubeconfig', s.kubeconfig, '--state-dir', state], {
        timeoutMs: 900_000,
        env: s.env('docker'),
      });

    // Stage 1: example1 over HTTP only; example2 is not routed yet.
    await writeFile(file, config(image, [{ name: E1, https: false, route: 'v2' }]));
    const first = await wizard(['--yes']);
    expect(first.code, first.stderr.slice(-4000)).toBe(0);
    report(`stage 1, the whole flow with a real docker build and push: ${first.ms} ms`);
    expect((await s.engines.registry.tags('python-flask-server')).includes('v2')).toBe(true);
    expect(await curl(s.gatewayAddress, E1, false, ca)).toMatchObject({ status: 200, body: 'v2' });
    expect((await curl(s.gatewayAddress, E2, false, ca)).status).toBe(404);

    // Stage 1b: example2 added over HTTP → v1.
    await writeFile(
      file,
      config(image, [
        { name: E1, https: false, route: 'v2' },
        { name: E2, https: false, route: 'v1' },
      ]),
    );
    const both = await wizard(['--yes']);
    expect(both.code, both.stderr.slice(-4000)).toBe(0);
    expect(await curl(s.gatewayAddress, E2, false, ca)).toMatchObject({ status: 200, body: 'v1' });

    // Stage 2: example1 HTTPS, example2 HTTP.
    await writeFile(
      file,
      config(image, [
        { name: E1, https: true, route: 'v2' },
        { name: E2, https: false, route: 'v1' },
      ]),
    );
    const stage2 = await wizard(['--yes']);
    expect(stage2.code, stage2.stderr.slice(-4000)).toBe(0);
    expect(await curl(s.gatewayAddress, E1, true, ca)).toMatchObject({ status: 200, body: 'v2' });
    expect((await curl(s.gatewayAddress, E1, false, ca)).status).toBe(404);
    const tlsToHttpOnly = await curl(s.gatewayAddress, E2, true, ca);
    expect(tlsToHttpOnly.status, 'HTTPS to the HTTP-only host must fail the handshake').toBe(0);
    expect((await wizard(['verify'])).code).toBe(0);

    // Stage 3: both HTTPS, each with its own certificate.
    await writeFile(
      file,
      config(image, [
        { name: E1, https: true, route: 'v2' },
        { name: E2, https: true, route: 'v1' },
      ]),
    );
    const stage3 = await wizard(['--yes']);
    expect(stage3.code, stage3.stderr.slice(-4000)).toBe(0);
    expect(await curl(s.gatewayAddress, E1, true, ca)).toMatchObject({ status: 200, body: 'v2' });
    expect(await curl(s.gatewayAddress, E2, true, ca)).toMatchObject({ status: 200, body: 'v1' });
    const serials = await Promise.all(
      [E1, E2].map(async (h) => {
        const { stdout } = await execFileP('openssl', [
          'x509',
          '-noout',
          '-serial',
          '-in',
          path.join(state, 'certs', h, 'tls.crt'),
        ]);
        return stdout.trim();
      }),
    );
    expect(serials[0]).not.toBe(serials[1]);
    const verify = await wizard(['verify']);
    expect(verify.code, verify.stderr.slice(-4000)).toBe(0);

    // A second run with nothing changed applies nothing new.
    const again = await wizard(['--yes']);
    expect(again.code, again.stderr.slice(-4000)).toBe(0);
    expect(again.stderr).not.toMatch(/\b(created|configured)\s+[A-Z]\w+\//);

    // Teardown: nothing managed is left and the gateway stops serving the hosts.
    const down = await wizard(['teardown', '--yes']);
    expect(down.code, down.stderr.slice(-4000)).toBe(0);
    const cluster = await connectCluster({ kubeconfig: s.kubeconfig });
    try {
      const managed = 'app.kubernetes.io/managed-by=istio-ingress-wizard';
      for (const [apiVersion, kind, namespace] of [
        ['apps/v1', 'Deployment', 'default'],
        ['v1', 'Service', 'default'],
        ['networking.istio.io/v1', 'DestinationRule', 'default'],
        ['networking.istio.io/v1', 'VirtualService', 'default'],
        ['networking.istio.io/v1', 'Gateway', 'default'],
        ['v1', 'Secret', 'istio-system'],
      ] as const) {
        const objs = await cluster.list({ apiVersion, kind, namespace, labelSelector: managed });
        expect(
          objs.map((o) => o.metadata.name),
          `${kind} left after teardown`,
        ).toEqual([]);
      }
    } finally {
      cluster.close();
    }
    let gone = false;
    for (let i = 0; i < 50 && !gone; i++) {
      const r = await curl(s.gatewayAddress, E1, true, ca);
      gone = r.status === 404 || r.status === 0;
      if (!gone) await new Promise((res) => setTimeout(res, 200));
    }
    expect(gone, 'the gateway still serves flask.example1.com after teardown').toBe(true);
  }, 1_800_000);
});
