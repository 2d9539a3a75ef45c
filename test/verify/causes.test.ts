// withClusterCauses turns the failures curl cannot explain into their cause in the cluster: a 503 names the subset
// with no endpoints and why (its Deployment missing, scaled to 0, no pods, none ready); an HTTPS host that does not
// answer names a missing Secret, or a gateway service account that may not list secrets (asked as istiod asks:
// a SubjectAccessReview for system:serviceaccount:NS:SA, verb list). The reader is an in-memory cluster: the
// logic is what is under test (the real API server's answer is the stack tier's, test/stack/breakages).
import { describe, expect, it } from 'vitest';
import type { AccessQuestion, ListQuery, ObjectRef } from '../../src/io/types.js';
import type { K8sObject } from '../../src/manifests/types.js';
import { type CauseReader, subsetCause, withClusterCauses } from '../../src/verify/causes.js';
import type { VerifyCheck, VerifyReport } from '../../src/verify/types.js';
import { exampleHosts, plan } from './plans.js';

const config = () => plan(exampleHosts());

function reader(objects: K8sObject[], allowed: (q: AccessQuestion) => boolean) {
  const asked: AccessQuestion[] = [];
  const r: CauseReader = {
    async get(ref: ObjectRef) {
      return objects.find(
        (o) => o.kind === ref.kind && o.metadata.name === ref.name && o.metadata.namespace === ref.namespace,
      );
    },
    async list(q: ListQuery) {
      const want = Object.fromEntries(
        (q.labelSelector ?? '')
          .split(',')
          .filter(Boolean)
          .map((kv) => kv.split('=')),
      );
      return objects.filter(
        (o) =>
          o.kind === q.kind &&
          o.metadata.namespace === q.namespace &&
          Object.entries(want).every(([k, v]) => o.metadata.labels?.[k] === v),
      );
    },
    async accessReview(q) {
      asked.push(q);
      return allowed(q) ? { allowed: true } : { allowed: false, reason: 'no RBAC policy matched' };
    },
  };
  return { r, asked };
}

const deployment = (version: string, replicas: number): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: `flask-${version}`, namespace: 'default' },
  spec: { replicas },
});
const pod = (
  name: string,
  labels: Record<string, string>,
  ready: boolean,
  ns = 'default',
  sa?: string,
): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels },
  spec: sa ? { serviceAccountName: sa } : {},
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const secret = (name: string): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'istio-system' },
});

function report(check: Partial<VerifyCheck>): VerifyReport {
  const c: VerifyCheck = {
    host: 'flask.example1.com',
    kind: 'version',
    ok: false,
    title: 'flask.example1.com → v2',
    url: 'https://flask.example1.com/version',
    requestHost: 'flask.example1.com',
    attempts: 3,
    latencyMs: 5,
    ...check,
  };
  return {
    ok: false,
    address: '10.0.0.1',
    httpPort: 80,
    httpsPort: 443,
    passed: 0,
    failed: 1,
    durationMs: 1,
    checks: [c],
  };
}

describe('subsetCause', () => {
  const c = { app: 'flask', namespace: 'default' };
  it('names the subset and what is wrong with its Deployment', () => {
    expect(subsetCause(c, 'v2', undefined, [])).toBe(
      'subset v2 (pods app=flask,version=v2) has no endpoints: Deployment default/flask-v2 does not exist',
    );
    expect(subsetCause(c, 'v2', deployment('v2', 0), [])).toBe(
      'subset v2 (pods app=flask,version=v2) has no endpoints: Deployment default/flask-v2 is scaled to 0 replicas',
    );
    expect(subsetCause(c, 'v2', deployment('v2', 1), [])).toMatch(/has no pods$/);
    expect(subsetCause(c, 'v2', deployment('v2', 2), [pod('a', {}, false), pod('b', {}, false)])).toMatch(
      /none of its 2 pods is ready$/,
    );
  });
  it('a subset with a ready pod has no cause', () => {
    expect(subsetCause(c, 'v2', deployment('v2', 1), [pod('a', {}, true)])).toBeUndefined();
  });
});

describe('withClusterCauses', () => {
  it('a 503 names the routed subset without endpoints, not the healthy one', async () => {
    const { r } = reader(
      [deployment('v1', 1), pod('v1-a', { app: 'flask', version: 'v1' }, true), deployment('v2', 0)],
      () => true,
    );
    const out = await withClusterCauses(
      report({ status: 503, diagnosis: '503: no healthy upstream — …' }),
      config(),
      r,
    );
    expect(out.checks[0]?.diagnosis).toBe(
      '503 no healthy upstream: subset v2 (pods app=flask,version=v2) has no endpoints: Deployment default/flask-v2 is scaled to 0 replicas',
    );
    expect(out.checks[0]?.next).toContain('wizard --from deploy-versions');
  });

  it("an HTTPS host without an answer: RBAC, by the gateway's service account, asked as istiod asks", async () => {
    const { r, asked } = reader(
      [
        secret('flask-example1-com-tls'),
        pod('gw', { istio: 'ingressgateway' }, true, 'istio-system', 'gw-sa'),
      ],
      (q) => q.user !== 'system:serviceaccount:istio-system:gw-sa',
    );
    const out = await withClusterCauses(
      report({
        curlExit: 35,
        diagnosis: 'curl: (35) TLS handshake failed for SNI flask.example1.com: no server for this SNI …',
      }),
      config(),
      r,
    );
    expect(asked).toEqual([
      {
        verb: 'list',
        group: '',
        resource: 'secrets',
        namespace: 'istio-system',
        user: 'system:serviceaccount:istio-system:gw-sa',
      },
    ]);
    expect(out.checks[0]?.diagnosis).toBe(
      "curl: (35) TLS handshake failed for SNI flask.example1.com: RBAC: the gateway's service account istio-system/gw-sa may not list secrets in istio-system (SubjectAccessReview denied: no RBAC policy matched), so istiod sends it no certificate: the HTTPS server for flask.example1.com (Secret istio-system/flask-example1-com-tls) cannot serve",
    );
    expect(out.checks[0]?.next).toContain('--serviceaccount=istio-system:gw-sa');
  });

  it('an HTTPS host without an answer and no Secret: names the Secret', async () => {
    const { r } = reader([pod('gw', { istio: 'ingressgateway' }, true, 'istio-system')], () => true);
    const out = await withClusterCauses(
      report({ curlExit: 7, diagnosis: 'curl: (7) nothing listening' }),
      config(),
      r,
    );
    expect(out.checks[0]?.diagnosis).toBe(
      'curl: (7) nothing listening: Secret istio-system/flask-example1-com-tls (the certificate of flask.example1.com) does not exist: the gateway has no certificate to serve',
    );
  });

  it('nothing found (secret there, access allowed; or a failure the cluster cannot explain): the curl diagnosis stays', async () => {
    const { r } = reader(
      [secret('flask-example1-com-tls'), pod('gw', { istio: 'ingressgateway' }, true, 'istio-system')],
      () => true,
    );
    const seen = report({ curlExit: 35, diagnosis: 'curl: (35) as it was' });
    expect(await withClusterCauses(seen, config(), r)).toEqual(seen);
    const wrong = report({ status: 200, body: 'v1', diagnosis: 'wrong version' });
    expect(await withClusterCauses(wrong, config(), r)).toEqual(wrong);
  });

  it('a lookup that fails leaves the curl diagnosis', async () => {
    const broken: CauseReader = {
      get: () => Promise.reject(new Error('forbidden')),
      list: () => Promise.reject(new Error('forbidden')),
      accessReview: () => Promise.reject(new Error('forbidden')),
    };
    const seen = report({ status: 503, diagnosis: '503: as it was' });
    expect(await withClusterCauses(seen, config(), broken)).toEqual(seen);
  });
});
