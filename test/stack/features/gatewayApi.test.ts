import { describe, expect, it } from 'vitest';
import { certPaths } from '../../../src/certs/store.js';
import { connectCluster } from '../../../src/io/kube/connect.js';
import type { K8sObject } from '../../../src/manifests/types.js';
import { pushFlaskImage } from '../engines/engines.js';
import { type Stack, stackSkipReason, useStack } from '../stack.js';
import { type WizardOnStack, wizardOnStack } from '../wizardOnStack.js';
import {
  type Api,
  answersRight,
  ask,
  checkTitles,
  curlLoop,
  E1,
  E2,
  E3,
  envoyErrors,
  STAGES,
  type Stage,
  stageConfig,
} from './modes.js';

const skip = await stackSkipReason('api: gateway-api on the real stack (test/stack/features)');
const report = (line: string) => process.stderr.write(`[stack/features gateway-api] ${line}\n`);
const G = 'gateway.networking.k8s.io/v1';

// loadBalancer (the config's default, RANDOM) reaches Gateway API routes through a DestinationRule per backend
// Service: Envoy's cluster for each per-version Service carries that policy (Envoy's own default is ROUND_ROBIN).
const RANDOM = {
  'outbound|80||flask-v1.default.svc.cluster.local': 'RANDOM',
  'outbound|80||flask-v2.default.svc.cluster.local': 'RANDOM',
};
async function backendPolicies(s: Stack): Promise<Record<string, string>> {
  const res = await fetch(`${s.istio.envoyAdmin}/config_dump?resource=dynamic_active_clusters`);
  const clusters = ((await res.json()).configs ?? []).map(
    (c: { cluster: { name: string; lb_policy?: string } }) => c.cluster,
  ) as { name: string; lb_policy?: string }[];
  return Object.fromEntries(
    clusters
      .filter((c) => /^outbound\|80\|\|flask-v[12]\.default\.svc\.cluster\.local$/.test(c.name))
      .map((c) => [c.name, c.lb_policy ?? 'ROUND_ROBIN']),
  );
}

describe.skipIf(skip)('api: gateway-api on the real stack', () => {
  const stack = useStack({ gatewayApi: true });
  let image = '';
  const setups = new WeakMap<Stack, WizardOnStack>();
  const on = (s: Stack) => {
    const w = setups.get(s) ?? wizardOnStack(s, { name: 'modes', env: s.env() });
    setups.set(s, w);
    return w;
  };
  const state = (s: Stack) => on(s).state;
  const ca = (s: Stack) => on(s).ca;
  /** The stage's config in `api` mode, written as `<api>.yaml` and run (`--yes` unless other args are given). */
  const wizard = async (s: Stack, api: Api, stage: Stage, ...args: string[]) => {
    await on(s).write(stageConfig(image, api, stage), `${api}.yaml`);
    const argv = args.length ? args : ['--yes'];
    return on(s).run(args[0] === 'verify' ? argv : [...argv, '--wait-timeout', '120s']);
  };

  /** The independent curl checks of a stage, the same in both modes. */
  const curlChecks = async (s: Stack, stage: Stage) => {
    const a = s.gatewayAddress;
    for (const h of stage.hosts) {
      if (typeof h.route !== 'string') {
        const counts: Record<string, number> = {};
        for (let i = 0; i < 200; i++) {
          const r = await ask(a, h.name, h.https, { ca: ca(s) });
          counts[r.status === 200 ? r.body : String(r.status)] =
            (counts[r.status === 200 ? r.body : String(r.status)] ?? 0) + 1;
        }
        report(`${stage.name}: ${h.name} over 200 requests: ${JSON.stringify(counts)}`);
        expect(Object.keys(counts).sort()).toEqual(['v1', 'v2']);
        // 80/20 over 200: the binomial standard deviation is ≈5.7 requests; 4σ either side.
        expect(Math.abs((counts.v1 ?? 0) - 160)).toBeLessThanOrEqual(23);
        continue;
      }
      expect(await ask(a, h.name, h.https, { ca: ca(s) }), `${h.name} over its protocol`).toMatchObject({
        status: 200,
        body: h.route,
      });
      if (h.https) {
        const plain = await ask(a, h.name, false, { path: '/version/x?a=1' });
        if (stage.httpsRedirect)
          expect(plain).toMatchObject({ status: 301, redirect: `https://${h.name}/version/x?a=1` });
        else expect(plain.status, `${h.name} must not be served over plain HTTP`).toBe(404);
      } else {
        const tls = await ask(a, h.name, true, { ca: ca(s) });
        expect(tls.status, `HTTPS to the HTTP-only ${h.name} must fail the handshake`).toBe(0);
      }
    }
    expect((await ask(a, 'unknown.example.com', false)).status).toBe(404);
  };

  it('the three stages, 80/20 and the redirect: the same configs in both modes pass the same verify and curl; switches lose no request', async () => {
    const s = stack();
    image = await pushFlaskImage(s.engines);
    const cluster = await connectCluster({ kubeconfig: s.kubeconfig });
    const switches: string[] = [];
    try {
      let current: Api | undefined;
      for (const stage of STAGES) {
        // Each stage starts in the mode the previous one ended in, then switches: both directions get exercised.
        const order: Api[] = current === 'istio' ? ['istio', 'gateway-api'] : ['gateway-api', 'istio'];
        const titles: Partial<Record<Api, string[]>> = {};
        for (const api of order) {
          const switching = current !== undefined && current !== api;
          // A switch is measured on the hosts both sides serve: the stage's, already set up in the other mode.
          const loop = switching ? curlLoop(s.gatewayAddress, ca(s), stage) : undefined;
          const run = await wizard(s, api, stage);
          const during = await loop?.stop();
          expect(run.code, run.stderr.slice(-4000)).toBe(0);
          if (switching) {
            expect(run.stderr).toContain(`switching from api: ${current} to api: ${api}`);
            const line = `${stage.name}, ${current} → ${api}: wizard ${run.ms} ms, ${during?.total} requests, ${during?.failures.length} failed${during?.failures.length ? `: ${during.failures.join('; ')}` : ''}`;
            switches.push(line);
            report(line);
            if (during?.failures.length)
              report(
                `Envoy's non-200 answers so far:\n${(await envoyErrors(s.istio.logs.envoy)).join('\n')}`,
              );
          }
          current = api;
          if (api === 'gateway-api') {
            const gw = await cluster.get({
              apiVersion: G,
              kind: 'Gateway',
              namespace: 'istio-system',
              name: 'flask-gateway',
            });
            const conds = (gw?.status?.conditions ?? []).map(
              (c: { type: string; status: string }) => `${c.type}=${c.status}`,
            );
            expect(conds).toEqual(expect.arrayContaining(['Accepted=True', 'Programmed=True']));
            const listeners = (gw?.status?.listeners ?? []) as { name: string; attachedRoutes: number }[];
            expect(listeners.map((l) => l.name).sort()).toEqual(
              [
                ...(stage.hosts.some((h) => !h.https) || stage.httpsRedirect ? ['http'] : []),
                ...stage.hosts.filter((h) => h.https).map((h) => `https-${h.name.replaceAll('.', '-')}`),
              ].sort(),
            );
            expect(run.stderr).toMatch(/Accepted and Programmed.*\(\d+ ms\)/);
          } else {
            expect(
              await cluster.get({
                apiVersion: G,
                kind: 'Gateway',
                namespace: 'istio-system',
                name: 'flask-gateway',
              }),
              'the Gateway API Gateway must be gone after a switch to api: istio',
            ).toBeUndefined();
          }
          await curlChecks(s, stage);
          if (api === 'gateway-api' && stage === STAGES[2]) expect(await backendPolicies(s)).toEqual(RANDOM);
          const verify = await wizard(s, api, stage, 'verify');
          expect(verify.code, verify.stderr.slice(-4000)).toBe(0);
          titles[api] = checkTitles(verify.stderr);
          report(`${stage.name}, api: ${api}: verify green:\n  ${titles[api]?.join('\n  ')}`);
          expect(titles[api]?.length).toBeGreaterThanOrEqual(stage.hosts.length + 1);
          expect(titles[api]?.every((t) => t.startsWith('✓'))).toBe(true);
        }
        expect(titles['gateway-api'], `${stage.name}: the same verify checks in both modes`).toEqual(
          titles.istio,
        );
      }
      // Back to gateway-api for the tests below, once more under the loop.
      const last = STAGES[2] as Stage;
      const loop = curlLoop(s.gatewayAddress, ca(s), last);
      const back = await wizard(s, 'gateway-api', last);
      const during = await loop.stop();
      expect(back.code, back.stderr.slice(-4000)).toBe(0);
      switches.push(
        `${last.name}, istio → gateway-api: ${during.total} requests, ${during.failures.length} failed`,
      );
      report(switches.at(-1) as string);
      if (during.failures.length)
        report(`Envoy's non-200 answers so far:\n${(await envoyErrors(s.istio.logs.envoy)).join('\n')}`);
    } finally {
      cluster.close();
    }
    report(`mode switches:\n  ${switches.join('\n  ')}`);
    // Every switch was done under the loop; not one request may fail.
    expect(switches.filter((l) => !/, 0 failed/.test(l))).toEqual([]);
  }, 2_400_000);

  it('every HTTPS host MUTUAL: frontend validation per port; with the client certificate 200, without refused', async () => {
    const s = stack();
    const mutual: Stage = { ...(STAGES[2] as Stage), mutual: true, name: 'stage 3, MUTUAL' };
    const run = await wizard(s, 'gateway-api', mutual);
    expect(run.code, run.stderr.slice(-4000)).toBe(0);
    const verify = await wizard(s, 'gateway-api', mutual, 'verify');
    expect(verify.code, verify.stderr.slice(-4000)).toBe(0);
    expect(checkTitles(verify.stderr)).toEqual(
      expect.arrayContaining([
        `✓ HTTPS ${E1} refuses a client without a certificate`,
        `✓ HTTPS ${E2} refuses a client without a certificate`,
      ]),
    );
    const paths = certPaths(state(s), [
      { name: E1, protocol: 'HTTPS', tls: { mode: 'MUTUAL' } },
    ] as unknown as Parameters<typeof certPaths>[1]);
    const client = paths.hosts[E1];
    if (!client?.clientCert || !client.clientKey)
      throw new Error('no client certificate for the MUTUAL host');
    expect(
      await ask(s.gatewayAddress, E1, true, {
        ca: paths.caCert,
        client: { cert: client.clientCert, key: client.clientKey },
      }),
    ).toMatchObject({ status: 200, body: 'v2' });
    const without = await ask(s.gatewayAddress, E1, true, { ca: paths.caCert });
    // A real Envoy refuses with a TLS alert: curl reports it as 16, 35, 52, 55 or 56, never an HTTP answer.
    expect(without.status).toBe(0);
    expect([16, 35, 52, 55, 56]).toContain(without.exit);
    expect(await ask(s.gatewayAddress, E3, false)).toSatisfy((a) =>
      answersRight(mutual.hosts[2] as never, a),
    );
  }, 900_000);

  it("istiod's status: a broken certificateRef on the listener and a missing backend, both named by the wizard", async () => {
    const s = stack();
    const stage = { ...(STAGES[2] as Stage), mutual: true };
    const cluster = await connectCluster({ kubeconfig: s.kubeconfig });
    const get = (kind: string, namespace: string, name: string) =>
      cluster.get({ apiVersion: G, kind, namespace, name });
    const until = async (what: string, ok: () => Promise<boolean>) => {
      const deadline = Date.now() + 60_000;
      while (!(await ok())) {
        if (Date.now() > deadline) throw new Error(`not reached: ${what}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    try {
      const secret = {
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: 'istio-system',
        name: 'flask-example1-com-tls',
      };
      const saved = (await cluster.get(secret)) as K8sObject;
      await cluster.delete(secret);
      await until('listener InvalidCertificateRef', async () =>
        JSON.stringify(
          (await get('Gateway', 'istio-system', 'flask-gateway'))?.status?.listeners ?? [],
        ).includes('InvalidCertificateRef'),
      );
      const gw = await get('Gateway', 'istio-system', 'flask-gateway');
      const listener = (gw?.status?.listeners ?? []).find(
        (l: { name: string }) => l.name === 'https-flask-example1-com',
      );
      const fmt = (cs: { type: string; status: string; reason: string }[] = []) =>
        cs.map((c) => `${c.type}=${c.status} ${c.reason}`);
      report(`Secret deleted: Gateway ${fmt(gw?.status?.conditions)}; listener ${fmt(listener?.conditions)}`);
      expect(fmt(listener?.conditions)).toContain('ResolvedRefs=False InvalidCertificateRef');
      const broken = await wizard(
        s,
        'gateway-api',
        stage,
        '--yes',
        '--from',
        'apply-gateway',
        '--to',
        'apply-gateway',
      );
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain(
        'listener https-flask-example1-com: ResolvedRefs=False InvalidCertificateRef',
      );
      const { metadata, ...rest } = saved;
      await cluster.apply({
        ...rest,
        metadata: { name: metadata.name, namespace: metadata.namespace, labels: metadata.labels },
      } as K8sObject);

      await cluster.delete({ apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'flask-v1' });
      await until('BackendNotFound', async () =>
        JSON.stringify((await get('HTTPRoute', 'default', 'flask-example2-com'))?.status ?? {}).includes(
          'BackendNotFound',
        ),
      );
      const missing = await wizard(
        s,
        'gateway-api',
        stage,
        '--yes',
        '--from',
        'apply-gateway',
        '--to',
        'apply-gateway',
      );
      report(
        `missing backend: ${missing.stderr
          .split('\n')
          .filter((l) => l.includes('BackendNotFound'))
          .join(' | ')}`,
      );
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(
        /HTTPRoute\/default\/flask-example2-com parent istio-system\/flask-gateway\/https-flask-example2-com: ResolvedRefs=False BackendNotFound/,
      );
      expect(missing.stderr).toContain("(the route's backends: flask-v1)");
      const fixed = await wizard(s, 'gateway-api', stage, '--yes', '--from', 'deploy-versions');
      expect(fixed.code, fixed.stderr.slice(-3000)).toBe(0);
      expect((await wizard(s, 'gateway-api', stage, 'verify')).code).toBe(0);
    } finally {
      cluster.close();
    }
  }, 900_000);

  it("Istio's automated deployment, live: what istiod does here, and the wizard names the condition instead of hanging", async () => {
    const s = stack();
    const auto = wizardOnStack(s, { name: 'automated', env: s.env() });
    await auto.write(
      `api: gateway-api
namespace: default
app: flask
image: ${image || s.flaskImage()}
versions:
  - name: v1
  - name: v2
gateway:
  name: auto-gw
  selector: { istio: ingressgateway }
  workloadNamespace: istio-system
gatewayApi: { deployment: automated }
hosts:
  - { name: auto.example.com, protocol: HTTP, route: v1 }
build:
  enabled: false
`,
    );
    const r = await auto.run(['--yes', '--wait-timeout', '45s'], { timeoutMs: 300_000 });
    const cluster = await connectCluster({ kubeconfig: s.kubeconfig });
    try {
      const gw = await cluster.get({
        apiVersion: G,
        kind: 'Gateway',
        namespace: 'istio-system',
        name: 'auto-gw',
      });
      const dep = await cluster.get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'istio-system',
        name: 'auto-gw-istio',
      });
      const svc = await cluster.get({
        apiVersion: 'v1',
        kind: 'Service',
        namespace: 'istio-system',
        name: 'auto-gw-istio',
      });
      const fmt = (cs: { type: string; status: string; reason: string; message?: string }[] = []) =>
        cs.map((c) => `${c.type}=${c.status} ${c.reason}: ${c.message ?? ''}`);
      report(
        `automated: wizard exit ${r.code} in ${r.ms} ms; Gateway ${JSON.stringify(fmt(gw?.status?.conditions))}; Deployment auto-gw-istio ${dep ? `exists (image ${dep.spec?.template?.spec?.containers?.[0]?.image}, ready ${dep.status?.readyReplicas ?? 0})` : 'not created'}; Service ${svc ? 'exists' : 'not created'}\n${r.stderr
          .split('\n')
          .filter((l) => /apply-gateway|automated/.test(l))
          .slice(-12)
          .join('\n')}`,
      );
      expect(r.stderr).toContain(
        "gateway deployment: Istio's automated deployment — istiod creates Deployment and Service istio-system/auto-gw-istio",
      );
      // The Gateway is accepted by the API server as the wizard emits it (no address: istiod's to deploy) …
      expect(gw?.spec?.addresses).toBeUndefined();
      // … but nothing here can run a gateway of istiod's making (no injection templates, no proxy image with
      // pilot-agent): the wizard must stop with the Gateway's condition named, within its wait, not hang or pass.
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /Gateway\/istio-system\/auto-gw.*Programmed|Programmed.*Gateway\/istio-system\/auto-gw|timed out after 45s/,
      );
    } finally {
      for (const [apiVersion, kind, namespace, name] of [
        [G, 'HTTPRoute', 'default', 'auto-example-com'],
        [G, 'Gateway', 'istio-system', 'auto-gw'],
      ] as const)
        await cluster.delete({ apiVersion, kind, namespace, name }).catch(() => undefined);
      cluster.close();
    }
  }, 600_000);
});
