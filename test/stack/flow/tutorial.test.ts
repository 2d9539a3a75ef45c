// Issue 8, items 1, 2, 4 (second run) and 7 on the real stack: the tutorial as a user runs it, with no stand-in for
// any step. build-image really builds flask/ with docker and pushes it to the loopback registry, the kubelet pulls it,
// the rollout wait ends because the pods pass their readiness probe, and verify's curl talks to the real Envoy.
// Then the tutorial's stages on the same cluster and state directory, a second `--yes` that changes nothing, and
// a teardown after which the gateway no longer serves the hosts. Independent curl (--cacert, never -k) agrees.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { connectCluster } from '../../../src/io/kube/connect.js';
import { stackSkipReason, useStack } from '../stack.js';
import { curlGateway, expectOk, wizardOnStack } from '../wizardOnStack.js';

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

/** curl as a person would: the gateway's answer for `host`'s /version over HTTP or HTTPS. */
const curl = (address: string, host: string, https: boolean, ca: string) =>
  curlGateway(address, `${https ? 'https' : 'http'}://${host}/version`, {
    ca: https ? ca : undefined,
    maxTime: 5,
  });

describe.skipIf(skip)('the tutorial on the real stack', () => {
  const stack = useStack();
  const E1 = 'flask.example1.com';
  const E2 = 'flask.example2.com';

  it('builds, pushes, deploys, routes and verifies each stage; a second run changes nothing; teardown stops serving', async () => {
    const s = stack();
    const image = s.flaskImage('v2');
    const w = wizardOnStack(s, { env: s.env('docker'), timeoutMs: 900_000 });
    const { state, ca } = w;
    const wizard = (args: string[]) => w.run(args);

    // Stage 1: example1 over HTTP only; example2 is not routed yet.
    await w.write(config(image, [{ name: E1, https: false, route: 'v2' }]));
    const first = await wizard(['--yes']);
    expectOk(first);
    report(`stage 1, the whole flow with a real docker build and push: ${first.ms} ms`);
    expect((await s.engines.registry.tags('python-flask-server')).includes('v2')).toBe(true);
    expect(await curl(s.gatewayAddress, E1, false, ca)).toMatchObject({ status: 200, body: 'v2' });
    expect((await curl(s.gatewayAddress, E2, false, ca)).status).toBe(404);

    // Stage 1b: example2 added over HTTP → v1.
    await w.write(
      config(image, [
        { name: E1, https: false, route: 'v2' },
        { name: E2, https: false, route: 'v1' },
      ]),
    );
    const both = await wizard(['--yes']);
    expectOk(both);
    expect(await curl(s.gatewayAddress, E2, false, ca)).toMatchObject({ status: 200, body: 'v1' });

    // Stage 2: example1 HTTPS, example2 HTTP.
    await w.write(
      config(image, [
        { name: E1, https: true, route: 'v2' },
        { name: E2, https: false, route: 'v1' },
      ]),
    );
    const stage2 = await wizard(['--yes']);
    expectOk(stage2);
    expect(await curl(s.gatewayAddress, E1, true, ca)).toMatchObject({ status: 200, body: 'v2' });
    expect((await curl(s.gatewayAddress, E1, false, ca)).status).toBe(404);
    const tlsToHttpOnly = await curl(s.gatewayAddress, E2, true, ca);
    expect(tlsToHttpOnly.status, 'HTTPS to the HTTP-only host must fail the handshake').toBe(0);
    expect((await wizard(['verify'])).code).toBe(0);

    // Stage 3: both HTTPS, each with its own certificate.
    await w.write(
      config(image, [
        { name: E1, https: true, route: 'v2' },
        { name: E2, https: true, route: 'v1' },
      ]),
    );
    const stage3 = await wizard(['--yes']);
    expectOk(stage3);
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
    expectOk(verify);

    // A second run with nothing changed applies nothing new.
    const again = await wizard(['--yes']);
    expectOk(again);
    expect(again.stderr).not.toMatch(/\b(created|configured)\s+[A-Z]\w+\//);

    // Teardown: nothing managed is left and the gateway stops serving the hosts.
    const down = await wizard(['teardown', '--yes']);
    expectOk(down);
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
