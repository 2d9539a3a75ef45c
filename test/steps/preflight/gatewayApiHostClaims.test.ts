// Preflight's host-claim check against Gateway API objects, on a real API server with the real v1.6.1 and Istio CRDs:
// hosts a Gateway API Gateway (its listener hostnames) or HTTPRoute (its hostnames on a Gateway) already claims, the
// wizard's or anyone's, stop a config in either api mode when they are on the same gateway; another gateway
// deployment is a warning; this config's own objects of the other mode (a mode switch) are never a claim.
import { beforeAll, describe, expect, it } from 'vitest';
import type { WizardConfig } from '../../../src/config/types.js';
import type { WizardError } from '../../../src/errors.js';
import type { LiveCluster } from '../../../src/io/kube/live.js';
import { buildManifests } from '../../../src/manifests/index.js';
import { runPreflight } from '../../../src/steps/preflight.js';
import { skipReason, useControlPlane } from '../../support/apiserver.js';
import { exampleConfig, fakeCerts, httpsHost } from '../../support/configs.js';
import { GATEWAY_API_CRDS, installCrds, wizardCrds } from '../../support/crds.js';
import { createGatewayStandIn } from '../../support/gatewayStandIn.js';

const G = 'gateway.networking.k8s.io/v1';

async function preflight(cluster: LiveCluster, config: WizardConfig) {
  const lines: string[] = [];
  try {
    await runPreflight(cluster, config, (l) => lines.push(l));
    return { lines, err: undefined };
  } catch (e) {
    return { lines, err: e as WizardError };
  }
}

function config(namespace: string, api: WizardConfig['api'], hosts: string[]): WizardConfig {
  const c = exampleConfig();
  c.api = api;
  c.namespace = namespace;
  c.hosts = hosts.map((h, i) => httpsHost(h, i % 2 ? 'v1' : 'v2'));
  return c;
}

const claimLines = (lines: string[]) =>
  lines.filter((l) => /Gateway API Gateway or HTTPRoute|\(Gateway API\)|also claimed by/.test(l));

describe.skipIf(skipReason)('preflight: hosts claimed by Gateway API Gateways and HTTPRoutes', () => {
  const suite = useControlPlane();
  let admin: LiveCluster;

  beforeAll(async () => {
    admin = suite().admin;
    await installCrds(admin, { filter: wizardCrds });
    await installCrds(admin, { file: GATEWAY_API_CRDS });
    await createGatewayStandIn(admin, { lbIp: '172.18.255.220' });
    await admin.apply({
      apiVersion: G,
      kind: 'GatewayClass',
      metadata: { name: 'istio' },
      spec: { controllerName: 'istio.io/gateway-controller' },
    });
    for (const name of ['shop', 'first', 'second', 'third', 'mine'])
      await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    // Not the wizard's: a team's Gateway attached to istio-ingressgateway with an HTTPS listener and a
    // hostname-less http listener, an HTTPRoute claiming another name on the latter; and a Gateway of its own
    // (automated) deployment claiming a third.
    await admin.apply({
      apiVersion: G,
      kind: 'Gateway',
      metadata: { name: 'shop-gw', namespace: 'istio-system' },
      spec: {
        gatewayClassName: 'istio',
        addresses: [{ type: 'Hostname', value: 'istio-ingressgateway.istio-system.svc.cluster.local' }],
        listeners: [
          { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
          {
            name: 'shop',
            port: 443,
            protocol: 'HTTPS',
            hostname: 'shop.example.org',
            tls: { mode: 'Terminate', certificateRefs: [{ name: 'shop-tls' }] },
          },
        ],
      },
    });
    await admin.apply({
      apiVersion: G,
      kind: 'HTTPRoute',
      metadata: { name: 'blog', namespace: 'shop' },
      spec: {
        parentRefs: [{ name: 'shop-gw', namespace: 'istio-system', sectionName: 'http' }],
        hostnames: ['blog.example.org'],
        rules: [{ backendRefs: [{ name: 'blog', port: 80 }] }],
      },
    });
    await admin.apply({
      apiVersion: G,
      kind: 'Gateway',
      metadata: { name: 'edge', namespace: 'shop' },
      spec: {
        gatewayClassName: 'istio',
        listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: '*.edge.example.org' }],
      },
    });
  }, 180_000);

  it('an istio-mode config: a Gateway listener and an HTTPRoute on this gateway fail, naming them; another deployment warns', async () => {
    const c = config('first', 'istio', [
      'shop.example.org',
      'blog.example.org',
      'api.edge.example.org',
      'free.example.org',
    ]);
    const { lines, err } = await preflight(admin, c);
    expect(claimLines(lines)).toEqual([
      "FAIL  host shop.example.org is already claimed on this gateway by Gateway istio-system/shop-gw (listener shop) (Gateway API); this config's Istio Gateway first/flask-gateway claims it too: istiod would serve only one of them (duplicate host names) — fix: remove the host from that Gateway or HTTPRoute (wizard teardown with its config, if it is a wizard setup), or use another host name in this config",
      "FAIL  host blog.example.org is already claimed on this gateway by HTTPRoute shop/blog on Gateway istio-system/shop-gw (Gateway API); this config's Istio Gateway first/flask-gateway claims it too: istiod would serve only one of them (duplicate host names) — fix: remove the host from that Gateway or HTTPRoute (wizard teardown with its config, if it is a wizard setup), or use another host name in this config",
      'WARN  host api.edge.example.org is also claimed by Gateway shop/edge (listener http), served by another gateway deployment: two gateways would answer for it, and DNS decides which one a client reaches — fix: point the host’s DNS at one gateway only, or use another host name in this config',
    ]);
    expect(err?.message).toMatch(/^preflight failed \(2 checks\); nothing was written:/);
  });

  it('a gateway-api config against an existing wizard setup of either mode, and the reverse', async () => {
    // An existing wizard setup in api: gateway-api (namespace "second"), applied as the wizard applies it.
    const gwapi = config('second', 'gateway-api', ['two.example.org']);
    gwapi.gateway.name = 'second-gw';
    for (const o of buildManifests(gwapi, { apiVersion: 'networking.istio.io/v1', certs: fakeCerts(gwapi) }))
      await admin.apply(o);
    // An istio-mode config claiming that host fails, naming the Gateway's listener and its HTTPRoute, and the Secret.
    const istio = config('third', 'istio', ['two.example.org']);
    const a = await preflight(admin, istio);
    expect(claimLines(a.lines)).toEqual([
      "FAIL  host two.example.org is already claimed on this gateway by Gateway istio-system/second-gw (listener https-two-example-org), HTTPRoute second/two-example-org on Gateway istio-system/second-gw (Gateway API); this config's Istio Gateway third/flask-gateway claims it too: istiod would serve only one of them (duplicate host names) and Secret istio-system/two-example-org-tls (that Gateway's certificate) would be overwritten — fix: remove the host from that Gateway or HTTPRoute (wizard teardown with its config, if it is a wizard setup), or use another host name in this config",
    ]);
    // A gateway-api config claiming it fails the same way.
    const other = config('third', 'gateway-api', ['two.example.org']);
    other.gateway.name = 'third-gw';
    const b = await preflight(admin, other);
    expect(claimLines(b.lines)).toHaveLength(1);
    expect(claimLines(b.lines)[0]).toMatch(
      /^FAIL {2}host two\.example\.org is already claimed on this gateway by Gateway istio-system\/second-gw .*; this config's Gateway istio-system\/third-gw claims it too/,
    );
    // The reverse: an existing istio-mode wizard setup stops a gateway-api config (hostClaims.ts, Istio Gateways).
    const old = config('shop', 'istio', ['old.example.org']);
    for (const o of buildManifests(old, { apiVersion: 'networking.istio.io/v1', certs: fakeCerts(old) }))
      await admin.apply(o);
    const reverse = config('mine', 'gateway-api', ['old.example.org']);
    const r = await preflight(admin, reverse);
    expect(
      r.lines.some((l) =>
        l.startsWith(
          "FAIL  host old.example.org is already served by the wizard's Gateway shop/flask-gateway",
        ),
      ),
    ).toBe(true);
  });

  it("this config's own objects of the other mode (a mode switch) are not claims", async () => {
    // The setup in "second" switching to api: istio: its own Gateway API Gateway and routes are what the switch
    // replaces, not another claim.
    const same = config('second', 'istio', ['two.example.org']);
    same.gateway.name = 'second-gw';
    const { lines, err } = await preflight(admin, same);
    expect(claimLines(lines)).toEqual([
      'PASS  hosts: none is claimed by another Gateway API Gateway or HTTPRoute',
    ]);
    expect(lines.some((l) => l.includes('switching from api: gateway-api to api: istio'))).toBe(true);
    expect(err).toBeUndefined();
    // And staying in its own mode, the same.
    const again = config('second', 'gateway-api', ['two.example.org']);
    again.gateway.name = 'second-gw';
    expect(claimLines((await preflight(admin, again)).lines)).toEqual([
      'PASS  hosts: none is claimed by another Gateway API Gateway or HTTPRoute',
    ]);
  });
});
