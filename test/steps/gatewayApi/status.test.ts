// The Gateway API status verdict, level by level, on objects shaped as a controller writes them.
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../../src/manifests/types.js';
import { addressFix, judgeStatus } from '../../../src/steps/gatewayApi/status.js';

const c = (type: string, status: 'True' | 'False', reason: string, observedGeneration = 2) => ({
  type,
  status,
  reason,
  message: `${reason} message`,
  observedGeneration,
});
const ok = (type: string, g = 2) => c(type, 'True', type, g);

function gateway(over: { conditions?: unknown[]; listeners?: unknown[] } = {}): K8sObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'gw', namespace: 'istio-system', generation: 2 } as K8sObject['metadata'],
    spec: { gatewayClassName: 'istio', listeners: [{ name: 'http' }, { name: 'https-a' }] },
    status: {
      conditions: over.conditions ?? [ok('Accepted'), ok('Programmed')],
      listeners: over.listeners ?? [
        { name: 'http', conditions: [ok('Accepted'), ok('Programmed'), ok('ResolvedRefs')] },
        { name: 'https-a', conditions: [ok('Accepted'), ok('Programmed'), ok('ResolvedRefs')] },
      ],
    },
  };
}

function route(conditions: unknown[] | undefined): K8sObject {
  const parentRef = { name: 'gw', namespace: 'istio-system', sectionName: 'https-a' };
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'a', namespace: 'default', generation: 1 } as K8sObject['metadata'],
    spec: { parentRefs: [parentRef], rules: [{ backendRefs: [{ name: 'flask-v1' }, { name: 'flask-v2' }] }] },
    status: conditions
      ? { parents: [{ parentRef, controllerName: 'istio.io/gateway-controller', conditions }] }
      : {},
  };
}

const names = { gateway: 'Gateway/istio-system/gw', routes: ['HTTPRoute/default/a'] };
const goodRoute = () => route([ok('Accepted', 1), ok('ResolvedRefs', 1)]);

describe('judgeStatus', () => {
  it('is ready when every level says True for the current generation', () => {
    expect(judgeStatus(gateway(), [goodRoute()], names)).toEqual({ ready: true, pending: [], problems: [] });
  });

  it('waits (does not fail) on missing objects, missing status and conditions of an older generation', () => {
    const stale = gateway({ conditions: [ok('Accepted', 1), ok('Programmed', 1)] });
    const v = judgeStatus(stale, [undefined], names);
    expect(v.ready).toBe(false);
    expect(v.problems).toEqual([]);
    expect(v.pending).toContain(
      'Gateway/istio-system/gw: not accepted by the controller yet (is istiod running, with gatewayClassName istio?)',
    );
    expect(v.pending).toContain('HTTPRoute/default/a: not found');
    expect(judgeStatus(gateway(), [route(undefined)], names).pending).toEqual([
      'HTTPRoute/default/a parent istio-system/gw/https-a: no status from the controller yet',
    ]);
  });

  it('finds a broken certificateRef on its listener although the Gateway is Programmed and the route Accepted', () => {
    const gw = gateway({
      listeners: [
        { name: 'http', conditions: [ok('Accepted'), ok('Programmed'), ok('ResolvedRefs')] },
        {
          name: 'https-a',
          conditions: [
            ok('Accepted'),
            c('Programmed', 'False', 'Invalid'),
            c('ResolvedRefs', 'False', 'InvalidCertificateRef'),
          ],
        },
      ],
    });
    const v = judgeStatus(gw, [goodRoute()], names);
    expect(v.problems.map((p) => [p.where, p.condition, p.reason])).toEqual([
      ['Gateway/istio-system/gw listener https-a', 'ResolvedRefs', 'InvalidCertificateRef'],
      ['Gateway/istio-system/gw listener https-a', 'Programmed', 'Invalid'],
    ]);
    expect(v.problems[0]?.fix).toContain('wizard --from load-certs');
  });

  it('reports route parents: NotAllowedByListeners, NoMatchingListenerHostname, BackendNotFound naming the backends', () => {
    for (const [reason, text] of [
      ['NotAllowedByListeners', 'allowedRoutes does not admit'],
      ['NoMatchingListenerHostname', "none of the route's hostnames matches"],
    ] as const) {
      const v = judgeStatus(
        gateway(),
        [route([c('Accepted', 'False', reason, 1), ok('ResolvedRefs', 1)])],
        names,
      );
      expect(v.problems[0]).toMatchObject({ condition: 'Accepted', reason });
      expect(v.problems[0]?.fix).toContain(text);
    }
    const v = judgeStatus(
      gateway(),
      [route([ok('Accepted', 1), c('ResolvedRefs', 'False', 'BackendNotFound', 1)])],
      names,
    );
    expect(v.problems[0]?.fix).toContain("(the route's backends: flask-v1, flask-v2)");
    const refs = judgeStatus(
      gateway(),
      [route([ok('Accepted', 1), c('ResolvedRefs', 'False', 'RefNotPermitted', 1)])],
      names,
    );
    expect(refs.problems[0]?.fix).toContain('ReferenceGrant');
  });

  it('treats AddressNotAssigned as pending on a real cluster but as a problem with the fix on kind and minikube', () => {
    const gw = gateway({ conditions: [ok('Accepted'), c('Programmed', 'False', 'AddressNotAssigned')] });
    expect(
      judgeStatus(gw, [], { gateway: names.gateway, routes: [] }, { clusterKind: 'other' }).problems,
    ).toEqual([]);
    const kind = judgeStatus(gw, [], { gateway: names.gateway, routes: [] }, { clusterKind: 'kind' });
    expect(kind.problems[0]?.fix).toBe(addressFix('kind'));
    expect(addressFix('kind')).toContain('cloud-provider-kind');
    expect(addressFix('minikube')).toContain('minikube tunnel');
    expect(addressFix('minikube')).toContain('networking.istio.io/service-type: NodePort');
  });

  it('explains AddressNotUsable (a Gateway outside its Service namespace) and a refused Gateway', () => {
    const v = judgeStatus(
      gateway({
        conditions: [
          c('Accepted', 'False', 'UnsupportedAddress'),
          c('Programmed', 'False', 'AddressNotUsable'),
        ],
      }),
      [],
      { gateway: names.gateway, routes: [] },
    );
    expect(v.problems.map((p) => p.reason)).toEqual(['UnsupportedAddress', 'AddressNotUsable']);
    expect(v.problems[1]?.fix).toContain("gateway Service's namespace");
  });
});
