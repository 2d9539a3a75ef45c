// The offline Gateway API rules must each be able to fail: every one is shown catching a broken copy of a plan.
import { describe, expect, it } from 'vitest';
import { analyzeManifests } from '../../../src/manifests/analyze.js';
import {
  buildReferenceGrants,
  crossNamespaceReferences,
} from '../../../src/manifests/gatewayApi/referenceGrants.js';
import { buildManifests } from '../../../src/manifests/index.js';
import type { K8sObject } from '../../../src/manifests/types.js';
import { fakeCerts } from '../../support/configs.js';
import { GATEWAY_API_SCENARIOS } from './scenarios.js';

const s = GATEWAY_API_SCENARIOS.find((x) => x.name === 'https-redirect');
if (!s) throw new Error('scenario missing');
const mutual = GATEWAY_API_SCENARIOS.find((x) => x.name === 'mutual');
if (!mutual) throw new Error('scenario missing');
const plan = (cfg = s.config) =>
  structuredClone(buildManifests(cfg, { apiVersion: s.apiVersion, certs: fakeCerts(cfg) }));
const codes = (objects: K8sObject[]) =>
  analyzeManifests(objects, { gatewayWorkloadNamespace: 'istio-system' }).map((f) => `${f.code} ${f.object}`);
const gw = (o: K8sObject[]) => o.find((x) => x.kind === 'Gateway') as K8sObject;
const routes = (o: K8sObject[]) => o.filter((x) => x.kind === 'HTTPRoute');

describe('offline Gateway API cross-checks', () => {
  it('find nothing in the plan itself', () => {
    expect(codes(plan())).toEqual([]);
  });

  it('route → parent and sectionName', () => {
    const a = plan();
    (routes(a)[0] as K8sObject).spec.parentRefs[0].name = 'other';
    expect(codes(a)).toEqual(['gwapi-route-parent-not-found HTTPRoute/default/flask-example1-com']);
    const b = plan();
    delete (routes(b)[0] as K8sObject).spec.parentRefs[0].sectionName;
    expect(codes(b)).toEqual(['gwapi-route-section-missing HTTPRoute/default/flask-example1-com']);
    const c = plan();
    (routes(c)[0] as K8sObject).spec.parentRefs[0].sectionName = 'https-nope';
    expect(codes(c)).toEqual(['gwapi-route-section-not-found HTTPRoute/default/flask-example1-com']);
  });

  it('hostnames must match the listener, and the listener must admit the namespace', () => {
    const a = plan();
    (routes(a)[0] as K8sObject).spec.hostnames = ['other.example.com'];
    expect(codes(a)).toEqual(['gwapi-route-hostname-mismatch HTTPRoute/default/flask-example1-com']);
    const b = plan();
    for (const l of gw(b).spec.listeners)
      l.allowedRoutes.namespaces.selector.matchLabels['kubernetes.io/metadata.name'] = 'shop';
    expect(codes(b)).toHaveLength(4);
    expect(codes(b).every((x) => x.startsWith('gwapi-route-not-allowed '))).toBe(true);
  });

  it('backends must exist (with the port, selecting pods), and cross-namespace ones need a ReferenceGrant', () => {
    const a = plan();
    a.splice(
      a.findIndex((o) => o.kind === 'Service' && o.metadata.name === 'flask-v1'),
      1,
    );
    expect(codes(a)).toEqual([
      'gwapi-backend-not-found HTTPRoute/default/flask-example2-com',
      'gwapi-backend-not-found HTTPRoute/default/flask-example3-com',
    ]);
    const b = plan();
    (
      b.find((o) => o.kind === 'Service' && o.metadata.name === 'flask-v2') as K8sObject
    ).spec.selector.version = 'v9';
    expect(codes(b)).toEqual(['gwapi-backend-selects-no-pods Service/default/flask-v2']);
    const c = plan();
    (routes(c)[0] as K8sObject).spec.rules[0].backendRefs[0].namespace = 'shop';
    expect(codes(c)).toEqual([
      'gwapi-backend-ref-not-permitted HTTPRoute/default/flask-example1-com',
      'gwapi-backend-not-found HTTPRoute/default/flask-example1-com',
    ]);
  });

  it('certificateRefs and the client CA must exist; listener names must be unique', () => {
    const a = plan();
    a.splice(
      a.findIndex((o) => o.kind === 'Secret'),
      1,
    );
    expect(codes(a)).toEqual(['gwapi-certificate-ref-not-found Gateway/istio-system/flask-gateway']);
    const b = plan(mutual.config);
    b.splice(
      b.findIndex((o) => o.kind === 'ConfigMap'),
      1,
    );
    expect(codes(b)).toEqual(['gwapi-ca-ref-not-found Gateway/istio-system/flask-gateway']);
    const c = plan();
    gw(c).spec.listeners[2].name = gw(c).spec.listeners[1].name;
    expect(codes(c)).toContain('gwapi-listener-name-duplicate Gateway/istio-system/flask-gateway');
  });

  it('emits a ReferenceGrant exactly for a cross-namespace reference, in the version given', () => {
    const objects = plan();
    expect(crossNamespaceReferences(objects)).toEqual([]);
    (gw(objects).spec.listeners[1].tls.certificateRefs[0] as Record<string, string>).namespace = 'certs';
    expect(crossNamespaceReferences(objects)).toEqual([
      {
        from: { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'istio-system' },
        to: { group: '', kind: 'Secret', namespace: 'certs', name: 'flask-example1-com-tls' },
      },
    ]);
    const [grant] = buildReferenceGrants(s.config, objects, 'gateway.networking.k8s.io/v1');
    expect(grant).toMatchObject({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'ReferenceGrant',
      metadata: { namespace: 'certs' },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'istio-system' }],
        to: [{ group: '', kind: 'Secret', name: 'flask-example1-com-tls' }],
      },
    });
    // With the grant, the analyzer accepts the reference (the Secret itself is still missing there).
    expect(codes([...objects, grant as K8sObject])).toEqual([
      'gwapi-certificate-ref-not-found Gateway/istio-system/flask-gateway',
    ]);
  });
});
