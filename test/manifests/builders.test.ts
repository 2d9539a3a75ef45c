// Behaviour of the builders beyond what the goldens pin: where each object lives, how the pieces reference each
// other, purity, and the errors they raise.
import { describe, expect, it } from 'vitest';
import type { WizardConfig } from '../../src/config/types.js';
import { WizardError } from '../../src/errors.js';
import { buildManifests, manifestsFor } from '../../src/manifests/index.js';
import type { K8sObject } from '../../src/manifests/types.js';
import { fakeCerts, httpHost, httpsHost, weightedHost } from '../support/configs.js';
import { makeConfig } from './fixtures.js';
import { SCENARIOS } from './scenarios.js';

const V1 = 'networking.istio.io/v1' as const;
const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
const ofKind = (objs: K8sObject[], kind: string) => objs.filter((o) => o.kind === kind);

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** Every object/array node reachable from `root`, to detect two places sharing one mutable node. */
function nodes(root: unknown, seen: unknown[] = []): unknown[] {
  if (root && typeof root === 'object') {
    seen.push(root);
    for (const v of Object.values(root)) nodes(v, seen);
  }
  return seen;
}

describe('buildManifests', () => {
  const config = makeConfig({
    namespace: 'apps',
    gateway: { ...makeConfig().gateway, workloadNamespace: 'ingress-ns', httpsRedirect: true },
    hosts: [
      httpsHost('a.example.com', 'v1', 'MUTUAL'),
      httpsHost('b.example.com', 'v2'),
      httpHost('c.example.com', 'v1'),
    ],
  });
  const certs = fakeCerts(config);
  const objs = buildManifests(config, { apiVersion: V1, certs });

  it('emits in apply order and matches the per-step slices', () => {
    expect(objs.map((o) => o.kind)).toEqual([
      'Deployment',
      'Deployment',
      'Service',
      'DestinationRule',
      'VirtualService',
      'VirtualService',
      'VirtualService',
      'Secret',
      'Secret',
      'Gateway',
    ]);
    expect([
      ...manifestsFor.deployVersions(config),
      ...manifestsFor.defineSubsets(config, V1),
      ...manifestsFor.addHosts(config, V1),
      ...manifestsFor.loadCerts(config, certs),
      ...manifestsFor.applyGateway(config, V1),
    ]).toEqual(objs);
  });

  it('puts Secrets in the gateway workload namespace and everything else in the app namespace', () => {
    for (const o of objs) expect(o.metadata.namespace).toBe(o.kind === 'Secret' ? 'ingress-ns' : 'apps');
  });

  it('backs every credentialName with a Secret holding that host’s material (ca.crt only for MUTUAL)', () => {
    const secrets = new Map(ofKind(objs, 'Secret').map((s) => [s.metadata.name, s]));
    const https = ofKind(objs, 'Gateway')[0]?.spec.servers.filter(
      (s: { port: { number: number } }) => s.port.number === 443,
    );
    expect(https).toHaveLength(2);
    for (const server of https) {
      const host = server.hosts[0] as string;
      const secret = secrets.get(server.tls.credentialName);
      expect(secret?.type).toBe('kubernetes.io/tls');
      expect(decode(secret?.data['tls.crt'])).toBe(certs.hosts[host]?.certPem);
      expect(decode(secret?.data['tls.key'])).toBe(certs.hosts[host]?.keyPem);
      expect(Object.hasOwn(secret?.data ?? {}, 'ca.crt')).toBe(server.tls.mode === 'MUTUAL');
    }
  });

  it('builds the routing chain: Deployment pods ⊇ subset labels, VS → Service FQDN, DR per version', () => {
    const [dr] = ofKind(objs, 'DestinationRule');
    expect(dr?.spec.host).toBe('flask.apps.svc.cluster.local');
    expect(dr?.spec.trafficPolicy.loadBalancer.simple).toBe('RANDOM');
    expect(dr?.spec.subsets).toEqual([
      { name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' } },
    ]);
    const deps = ofKind(objs, 'Deployment');
    expect(deps.map((d) => d.metadata.name)).toEqual(['flask-v1', 'flask-v2']);
    for (const d of deps) {
      const c = d.spec.template.spec.containers[0];
      expect(c.env).toEqual([{ name: 'VERSION', value: d.spec.template.metadata.labels.version }]);
      expect(c.image).toBe(config.image);
      expect(c.readinessProbe.httpGet).toEqual({ path: '/version', port: 8080 });
    }
    for (const vs of ofKind(objs, 'VirtualService')) {
      expect(vs.spec.gateways).toEqual(['flask-gateway']);
      expect(vs.spec.http[0].route[0].destination).toMatchObject({
        host: 'flask.apps.svc.cluster.local',
        port: { number: 80 },
      });
    }
  });

  it('adds mesh to the VirtualServices only when alsoMesh is set', () => {
    const mesh = makeConfig({ gateway: { ...config.gateway, alsoMesh: true } });
    for (const vs of manifestsFor.addHosts(mesh, V1))
      expect(vs.spec.gateways).toEqual(['flask-gateway', 'mesh']);
  });

  it('omits the HTTP server when every host is HTTPS and there is no redirect', () => {
    const gw = manifestsFor.applyGateway(makeConfig(), V1)[0];
    expect(gw?.spec.servers.map((s: { port: { number: number } }) => s.port.number)).toEqual([443, 443]);
  });

  it('sends the HTTPS hosts, and only them, to the redirect server', () => {
    const servers = objs.at(-1)?.spec.servers;
    expect(servers[0]).toEqual({
      port: { number: 80, name: 'http', protocol: 'HTTP' },
      hosts: ['c.example.com'],
    });
    expect(servers[1]).toEqual({
      port: { number: 80, name: 'http-redirect', protocol: 'HTTP' },
      hosts: ['a.example.com', 'b.example.com'],
      tls: { httpsRedirect: true },
    });
  });

  it('emits no Secrets without certs, and names the host when its certificate is missing', () => {
    expect(ofKind(buildManifests(config, { apiVersion: V1 }), 'Secret')).toEqual([]);
    const partial = {
      caPem: certs.caPem,
      hosts: { 'a.example.com': certs.hosts['a.example.com'] },
    } as typeof certs;
    expect(() => buildManifests(config, { apiVersion: V1, certs: partial })).toThrow(WizardError);
    expect(() => buildManifests(config, { apiVersion: V1, certs: partial })).toThrow(/b\.example\.com/);
  });

  it('file-mount: one certs Secret for all hosts, a CA Secret only when some host is MUTUAL', () => {
    const fm = (hosts: WizardConfig['hosts']) =>
      makeConfig({ certs: { storage: 'file-mount', keyType: 'ecdsa-p256', validityDays: 1 }, hosts });
    const simple = fm([httpsHost('a.example.com', 'v1'), httpsHost('b.example.com', 'v1')]);
    const simpleSecrets = manifestsFor.loadCerts(simple, fakeCerts(simple));
    expect(simpleSecrets.map((s) => s.metadata.name)).toEqual(['istio-ingressgateway-certs']);
    expect(Object.keys(simpleSecrets[0]?.data)).toEqual([
      'a.example.com-crt.pem',
      'a.example.com-key.pem',
      'b.example.com-crt.pem',
      'b.example.com-key.pem',
    ]);
    const mutual = fm([
      httpsHost('a.example.com', 'v1', 'MUTUAL'),
      httpsHost('b.example.com', 'v1', 'MUTUAL'),
    ]);
    const certs2 = fakeCerts(mutual);
    const other = '-----BEGIN CERTIFICATE-----\nb3RoZXI=\n-----END CERTIFICATE-----\n';
    certs2.hosts['b.example.com'] = {
      ...(certs2.hosts['b.example.com'] as (typeof certs2.hosts)[string]),
      caPem: other,
    };
    const caSecret = manifestsFor.loadCerts(mutual, certs2)[1];
    expect(caSecret?.metadata.name).toBe('istio-ingressgateway-ca-certs');
    expect(decode(caSecret?.data['ca-chain.cert.pem'])).toBe(`${certs2.caPem.trim()}\n${other.trim()}\n`);
  });

  it('normalises weights into the VirtualService', () => {
    const w = makeConfig({ hosts: [weightedHost('w.example.com', 'HTTP', { v1: 1, v2: 2 })] });
    const route = manifestsFor.addHosts(w, V1)[0]?.spec.http[0].route;
    expect(
      route.map((r: { weight: number; destination: { subset: string } }) => [r.destination.subset, r.weight]),
    ).toEqual([
      ['v1', 33],
      ['v2', 67],
    ]);
  });
});

describe.each(SCENARIOS)('purity: $name', ({ config, apiVersion }) => {
  it('does not mutate its input, is deterministic, and shares no nodes between or within objects', () => {
    const frozen = deepFreeze(structuredClone(config));
    const certs = deepFreeze(fakeCerts(config));
    const a = buildManifests(frozen, { apiVersion, certs });
    const b = buildManifests(frozen, { apiVersion, certs });
    expect(a).toEqual(b);
    const all = nodes(a);
    expect(new Set(all).size).toBe(all.length);
    // Nothing in the output aliases the (frozen) config: mutating output must not be able to touch it.
    const inputs = new Set(nodes(frozen));
    expect(all.some((n) => inputs.has(n))).toBe(false);
  });
});
