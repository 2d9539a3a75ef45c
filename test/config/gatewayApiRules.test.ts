// api: gateway-api: what the mode cannot express is a config error (exit 2) saying why and what to do instead.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { UsageError } from '../../src/errors.js';

function issuesOf(text: string): string[] {
  try {
    parseConfig(text, { source: 'c.yaml', configDir: '/' });
  } catch (e) {
    if (e instanceof UsageError) return e.issues;
    throw e;
  }
  return [];
}

const host = (name: string, mode: 'SIMPLE' | 'MUTUAL') =>
  `  - { name: ${name}, protocol: HTTPS, tls: { mode: ${mode} }, route: v1 }`;

describe('api: gateway-api config rules', () => {
  it('defaults to istio, and gateway-api with its defaults is valid', () => {
    const base = parseConfig('hosts: [{ name: a.example.com, protocol: HTTP, route: v1 }]', {
      source: 'c.yaml',
      configDir: '/',
    }).config;
    expect(base.api).toBe('istio');
    expect(base.gatewayApi).toEqual({ className: 'istio', deployment: 'attach' });
    expect(issuesOf('api: gateway-api\nhosts: [{ name: a.example.com, protocol: HTTP, route: v1 }]')).toEqual(
      [],
    );
  });

  it('names the allowed values of api and gatewayApi.deployment', () => {
    expect(issuesOf('api: gateway\nhosts: [{ name: a.example.com, protocol: HTTP, route: v1 }]')).toEqual([
      'api: "gateway" is not allowed (istio, gateway-api)',
    ]);
    expect(
      issuesOf(
        'gatewayApi: { deployment: manual }\nhosts: [{ name: a.example.com, protocol: HTTP, route: v1 }]',
      ),
    ).toEqual(['gatewayApi.deployment: "manual" is not allowed (attach, automated)']);
  });

  it('refuses MUTUAL and SIMPLE on one port, saying why (coalescing) and what to do', () => {
    const issues = issuesOf(
      `api: gateway-api\nhosts:\n${host('a.example.com', 'SIMPLE')}\n${host('b.example.com', 'MUTUAL')}`,
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(
      /^hosts\[1\]\.tls\.mode: MUTUAL here but hosts\[0\] is SIMPLE on the same port 443/,
    );
    expect(issues[0]).toContain('connection coalescing');
    expect(issues[0]).toContain('make every HTTPS host MUTUAL, or every one SIMPLE, or use api: istio');
    // The same config is fine in istio mode (per-host MUTUAL), and all-MUTUAL is fine in gateway-api mode.
    expect(
      issuesOf(`hosts:\n${host('a.example.com', 'SIMPLE')}\n${host('b.example.com', 'MUTUAL')}`),
    ).toEqual([]);
    expect(
      issuesOf(
        `api: gateway-api\nhosts:\n${host('a.example.com', 'MUTUAL')}\n${host('b.example.com', 'MUTUAL')}`,
      ),
    ).toEqual([]);
  });

  it('refuses file-mount storage and alsoMesh with the reason', () => {
    const issues = issuesOf(
      `api: gateway-api\ncerts: { storage: file-mount }\ngateway: { alsoMesh: true }\nhosts:\n${host('a.example.com', 'SIMPLE')}`,
    );
    expect(issues[0]).toMatch(
      /^gateway\.alsoMesh: not available with api: gateway-api: a Gateway API mesh route/,
    );
    expect(issues[1]).toMatch(
      /^certs\.storage: file-mount is not available with api: gateway-api: .*certificateRefs/,
    );
  });

  it('maps the Helm-style selector to its Service, and asks for gatewayApi.service for a custom one', () => {
    const helm = parseConfig(
      `api: gateway-api\ngateway: { selector: { istio: ingress }, workloadNamespace: istio-ingress }\nhosts:\n${host('a.example.com', 'SIMPLE')}`,
      { source: 'c.yaml', configDir: '/' },
    ).config;
    expect(helm.gateway.selector).toEqual({ istio: 'ingress' });
    const custom = issuesOf(
      `api: gateway-api\ngateway: { selector: { app: edge } }\nhosts:\n${host('a.example.com', 'SIMPLE')}`,
    );
    expect(custom).toEqual([
      expect.stringMatching(
        /^gatewayApi\.service: required with gatewayApi\.deployment: attach when gateway\.selector \(app=edge\)/,
      ),
    ]);
    expect(
      issuesOf(
        `api: gateway-api\ngateway: { selector: { app: edge } }\ngatewayApi: { deployment: automated }\nhosts:\n${host('a.example.com', 'SIMPLE')}`,
      ),
    ).toEqual([]);
  });

  it('refuses more HTTPS hosts than a Gateway has listeners, and too-long per-version Service names', () => {
    const many = Array.from({ length: 64 }, (_, i) => host(`h${i}.example.com`, 'SIMPLE')).join('\n');
    expect(issuesOf(`api: gateway-api\nhosts:\n${many}`)).toEqual([]);
    const http = '  - { name: plain.example.com, protocol: HTTP, route: v1 }';
    expect(issuesOf(`api: gateway-api\nhosts:\n${many}\n${http}`)[0]).toMatch(
      /^hosts: 64 HTTPS hosts, but .* at most 64 listeners \(63 here\)/,
    );
    const long = 'v'.repeat(60);
    expect(
      issuesOf(
        `api: gateway-api\nversions: [{ name: ${long} }]\nhosts: [{ name: a.example.com, protocol: HTTP, route: ${long} }]`,
      )[0],
    ).toMatch(
      /^versions\[0\]\.name: with api: gateway-api each version gets a Service named <app>-<version>/,
    );
  });
});
