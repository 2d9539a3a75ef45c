import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultConfig, loadConfig, parseConfig, validateConfig } from '../../src/config/load.js';
import { exampleConfig } from '../support/configs.js';

const EXAMPLE = fileURLToPath(new URL('../../assets/wizard.example.yaml', import.meta.url));

describe('the example config', () => {
  it('loads to the expected normalised object, with no warnings', async () => {
    const { config, configDir, warnings } = await loadConfig(EXAMPLE);
    expect(config).toStrictEqual(exampleConfig());
    expect(configDir).toBe(fileURLToPath(new URL('../../assets', import.meta.url)));
    expect(warnings).toEqual([]);
  });

  it('round-trips: a validated config validates to itself', async () => {
    const { config } = await loadConfig(EXAMPLE);
    expect(validateConfig(structuredClone(config)).config).toStrictEqual(config);
  });
});

describe('defaults', () => {
  it('a minimal config gets every default', () => {
    const text = 'hosts:\n  - { name: a.example.com, protocol: HTTP, route: v1 }\n';
    const { config, warnings } = parseConfig(text, { source: 'min.yaml', configDir: '/tmp' });
    // Against the written-out example (which sets every default's value), not defaultConfig(): that is the schema.
    expect(config).toStrictEqual({
      ...exampleConfig(),
      hosts: [{ name: 'a.example.com', protocol: 'HTTP', routes: [{ subset: 'v1', weight: 100 }] }],
    });
    expect(warnings).toEqual(['versions[1]: no host routes traffic to "v2"']);
  });

  it('anchors, aliases and merge keys (`<<: *anchor`) are resolved', () => {
    const text =
      'versions: [{ name: v1 }, { name: v2 }]\nhosts:\n' +
      '  - &h { name: a.example.com, protocol: HTTP, route: v1 }\n' +
      '  - { <<: *h, name: b.example.com }\n' +
      '  - *h\n';
    expect(() => parseConfig(text, { source: 'x', configDir: '/' })).toThrow(
      'hosts[2].name: "a.example.com" is already defined by hosts[0]',
    );
    const { config } = parseConfig(text.replace('  - *h\n', ''), { source: 'x', configDir: '/' });
    expect(config.hosts.map((h) => [h.name, h.protocol, h.routes])).toEqual([
      ['a.example.com', 'HTTP', [{ subset: 'v1', weight: 100 }]],
      ['b.example.com', 'HTTP', [{ subset: 'v1', weight: 100 }]],
    ]);
  });

  it('warns when a wildcard host also matches another host (Istio merges their routes)', () => {
    const text =
      'hosts:\n  - { name: "*.example.com", protocol: HTTPS, route: v1 }\n' +
      '  - { name: a.example.com, protocol: HTTPS, route: v2 }\n' +
      '  - { name: x.b.example.com, protocol: HTTP, route: v2 }\n' +
      '  - { name: example.com, protocol: HTTP, route: v1 }\n';
    const { warnings } = parseConfig(text, { source: 'x', configDir: '/' });
    expect(warnings).toEqual([
      "hosts[1].name: a.example.com is also matched by hosts[0] (*.example.com); Istio merges both hosts' routes for a.example.com and the older VirtualService's come first, so a.example.com may be routed like *.example.com",
      "hosts[2].name: x.b.example.com is also matched by hosts[0] (*.example.com); Istio merges both hosts' routes for x.b.example.com and the older VirtualService's come first, so x.b.example.com may be routed like *.example.com",
    ]);
  });

  it('istio.apiVersion may be given as just the version (v1beta1 → networking.istio.io/v1beta1)', () => {
    const hosts = 'hosts:\n  - { name: a.example.com, protocol: HTTP, route: v1 }\n';
    const apiVersion = (v: string) =>
      parseConfig(`istio: { apiVersion: ${v} }\n${hosts}`, { source: 'x', configDir: '/' }).config.istio
        .apiVersion;
    expect(apiVersion('v1')).toBe('networking.istio.io/v1');
    expect(apiVersion('v1beta1')).toBe('networking.istio.io/v1beta1');
    expect(apiVersion('v1alpha3')).toBe('networking.istio.io/v1alpha3');
    expect(apiVersion('networking.istio.io/v1alpha3')).toBe('networking.istio.io/v1alpha3');
    expect(apiVersion('auto')).toBe('auto');
  });

  it('warns when a positive weight rounds to 0% (Istio takes whole percentages)', () => {
    const text =
      'hosts:\n  - { name: a.example.com, protocol: HTTP, routes: [{ subset: v1, weight: 0 }, { subset: v2, weight: 1 }, { subset: v1x, weight: 1000 }] }\n' +
      'versions: [{ name: v1 }, { name: v2 }, { name: v1x }]\n';
    const { warnings } = parseConfig(text, { source: 'x', configDir: '/' });
    expect(warnings).toContain(
      'hosts[0].routes[1]: weight 1 of 1001 rounds to 0% (Istio takes whole percentages), so "v2" gets no traffic from a.example.com',
    );
    expect(warnings.filter((w) => w.includes('rounds to 0%'))).toHaveLength(1);
  });

  it('`key:` with no value means the default', () => {
    const text =
      'namespace:\ngateway:\n  name:\nhosts:\n  - { name: a.b, protocol: HTTPS, tls: , route: v1 }\n';
    const { config } = parseConfig(text, { source: 'x', configDir: '/' });
    expect(config.namespace).toBe('default');
    expect(config.gateway.name).toBe('flask-gateway');
    expect(config.hosts[0]?.tls).toEqual({ mode: 'SIMPLE' });
  });

  it('defaultConfig() is hosts-empty and validates when hosts may be missing', () => {
    const config = defaultConfig();
    expect(config.hosts).toEqual([]);
    expect(validateConfig(config, { allowMissing: ['hosts'] }).config).toStrictEqual(config);
    // Fresh copies: mutating one does not leak into the next.
    config.versions.push({ name: 'v3', replicas: 1 });
    expect(defaultConfig().versions).toHaveLength(2);
  });

  it('an empty file gives the defaults but fails for the missing hosts', () => {
    expect(() => parseConfig('', { source: 'empty.yaml', configDir: '/' })).toThrow(
      'invalid config empty.yaml\n  - hosts: required: list at least one host (name, protocol, route)',
    );
    const { config } = parseConfig('', { source: 'empty.yaml', configDir: '/', allowMissing: ['hosts'] });
    expect(config).toStrictEqual({ ...exampleConfig(), hosts: [] });
    expect(defaultConfig()).toStrictEqual({ ...exampleConfig(), hosts: [] });
  });

  it('normalises weighted routes, MUTUAL tls, and every optional section', () => {
    const text = `
namespace: shop
app: web
image: registry.example.com:5000/team/web@sha256:${'a'.repeat(64)}
versions: [{ name: blue, replicas: 0 }, { name: green, replicas: 3 }]
loadBalancer: LEAST_REQUEST
gateway: { name: gw-shop, selector: { istio: ingress, "app.kubernetes.io/name": gw }, workloadNamespace: istio-ingress, httpsRedirect: true, alsoMesh: true }
hosts:
  - { name: "*.shop.example", protocol: HTTPS, tls: { mode: MUTUAL }, routes: [{ subset: green, weight: 3 }, { subset: blue, weight: 0 }] }
certs: { storage: credentialName, keyType: rsa-2048, validityDays: 30 }
istio: { apiVersion: networking.istio.io/v1beta1 }
build: { enabled: false, tool: podman, load: push }
verify: { address: "2001:db8::1", httpPort: 8080, httpsPort: 8443, timeoutSeconds: 30, samples: 500 }
`;
    const { config, warnings } = parseConfig(text, { source: 'full.yaml', configDir: '/' });
    expect(config).toStrictEqual({
      api: 'istio',
      namespace: 'shop',
      app: 'web',
      image: `registry.example.com:5000/team/web@sha256:${'a'.repeat(64)}`,
      versions: [
        { name: 'blue', replicas: 0 },
        { name: 'green', replicas: 3 },
      ],
      loadBalancer: 'LEAST_REQUEST',
      gateway: {
        name: 'gw-shop',
        selector: { istio: 'ingress', 'app.kubernetes.io/name': 'gw' },
        workloadNamespace: 'istio-ingress',
        httpsRedirect: true,
        alsoMesh: true,
      },
      gatewayApi: { className: 'istio', deployment: 'attach' },
      hosts: [
        {
          name: '*.shop.example',
          protocol: 'HTTPS',
          tls: { mode: 'MUTUAL' },
          routes: [
            { subset: 'green', weight: 3 },
            { subset: 'blue', weight: 0 },
          ],
        },
      ],
      certs: { storage: 'credentialName', keyType: 'rsa-2048', validityDays: 30 },
      istio: { apiVersion: 'networking.istio.io/v1beta1' },
      build: { enabled: false, tool: 'podman', load: 'push' },
      verify: { address: '2001:db8::1', httpPort: 8080, httpsPort: 8443, timeoutSeconds: 30, samples: 500 },
    });
    // blue gets weight 0: nothing routes to it, which is worth a warning but allowed (a dark launch).
    expect(warnings).toEqual(['versions[0]: no host routes traffic to "blue"']);
  });
});
