// findHostClaims decides which other Gateways clash with this config's planned Gateway: another wizard setup's on
// any shared host, any other Gateway only on the same selector, the same port and an overlapping host — istioctl's
// IST0145 ConflictingGateways (a different selector or port is a different listener, no clash).
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/defaults.js';
import type { WizardConfig } from '../../../src/config/types.js';
import type { K8sObject } from '../../../src/manifests/types.js';
import { findHostClaims } from '../../../src/steps/preflight/hostClaims.js';

function config(): WizardConfig {
  const c = defaultConfig();
  c.namespace = 'shop';
  c.hosts = [
    { name: 'a.example.com', protocol: 'HTTP', routes: [{ subset: 'v1', weight: 100 }] },
    {
      name: 'b.example.com',
      protocol: 'HTTPS',
      tls: { mode: 'SIMPLE' },
      routes: [{ subset: 'v2', weight: 100 }],
    },
  ];
  return c;
}

function gateway(
  ns: string,
  name: string,
  servers: { port: number; hosts: string[] }[],
  opts: { selector?: Record<string, string>; wizard?: boolean } = {},
): K8sObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: {
      name,
      namespace: ns,
      labels: opts.wizard ? { 'app.kubernetes.io/managed-by': 'istio-ingress-wizard' } : {},
    },
    spec: {
      selector: opts.selector ?? { istio: 'ingressgateway' },
      servers: servers.map((s) => ({
        port: { number: s.port, name: `p${s.port}`, protocol: 'HTTP' },
        hosts: s.hosts,
      })),
    },
  };
}

describe('findHostClaims', () => {
  it('a foreign Gateway on the same selector, port and host clashes (IST0145), named with the port', () => {
    const c = config();
    const claims = findHostClaims(
      [gateway('legacy', 'hand-made', [{ port: 80, hosts: ['a.example.com'] }])],
      c,
    );
    expect(claims).toEqual([
      {
        host: 'a.example.com',
        owner: 'legacy/hand-made',
        wizard: false,
        theirHost: 'a.example.com',
        port: 80,
      },
    ]);
  });

  it('a foreign wildcard or namespace-prefixed host overlapping on the HTTPS port clashes', () => {
    const claims = findHostClaims(
      [gateway('legacy', 'wild', [{ port: 443, hosts: ['./*.example.com'] }])],
      config(),
    );
    expect(claims).toEqual([
      { host: 'b.example.com', owner: 'legacy/wild', wizard: false, theirHost: '*.example.com', port: 443 },
    ]);
  });

  it('a foreign Gateway on another port, another selector or another host does not clash', () => {
    const c = config();
    expect(
      findHostClaims([gateway('legacy', 'other-port', [{ port: 8080, hosts: ['a.example.com'] }])], c),
    ).toEqual([]);
    expect(
      findHostClaims(
        [
          gateway('legacy', 'other-sel', [{ port: 80, hosts: ['a.example.com'] }], {
            selector: { istio: 'ingress' },
          }),
        ],
        c,
      ),
    ).toEqual([]);
    // A selector that only contains ours is still another selector for IST0145.
    expect(
      findHostClaims(
        [
          gateway('legacy', 'superset', [{ port: 80, hosts: ['a.example.com'] }], {
            selector: { istio: 'ingressgateway', extra: 'x' },
          }),
        ],
        c,
      ),
    ).toEqual([]);
    expect(
      findHostClaims([gateway('legacy', 'other-host', [{ port: 80, hosts: ['c.example.com'] }])], c),
    ).toEqual([]);
  });

  it("the HTTP host on the foreign Gateway's 443 does not clash (a different port of the same workload)", () => {
    expect(
      findHostClaims([gateway('legacy', 'tls', [{ port: 443, hosts: ['a.example.com'] }])], config()),
    ).toEqual([]);
  });

  it("another wizard setup's Gateway clashes on a shared host whatever its selector and port", () => {
    const claims = findHostClaims(
      [
        gateway('first', 'flask-gateway', [{ port: 8443, hosts: ['b.example.com'] }], {
          wizard: true,
          selector: { x: 'y' },
        }),
      ],
      config(),
    );
    expect(claims).toEqual([
      { host: 'b.example.com', owner: 'first/flask-gateway', wizard: true, theirHost: 'b.example.com' },
    ]);
  });

  it("this config's own Gateway is never a clash", () => {
    const c = config();
    const own = gateway(c.namespace, c.gateway.name, [{ port: 80, hosts: ['a.example.com'] }]);
    expect(
      findHostClaims(
        [
          own,
          {
            ...own,
            metadata: { ...own.metadata, labels: { 'app.kubernetes.io/managed-by': 'istio-ingress-wizard' } },
          },
        ],
        c,
      ),
    ).toEqual([]);
  });
});
