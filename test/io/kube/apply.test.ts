// Server-side apply against a real kube-apiserver with the real Istio CRDs: outcomes, idempotency, dry-run,
// field conflicts, validation errors.
// One test writes a status as a controller would (writeStatus): an apply right after a status write must still be
// unchanged, a moment the test has to choose, which real controllers do not let it.
import { beforeAll, describe, expect, it } from 'vitest';
import { KubeApiError } from '../../../src/io/kube/errors.js';
import { buildManifests } from '../../../src/manifests/index.js';
import type { K8sObject } from '../../../src/manifests/types.js';
import { meta, skipReason, useControlPlane } from '../../support/apiserver.js';
import { exampleConfig, fakeCerts, weightedConfig } from '../../support/configs.js';
import { installCrds, wizardCrds } from '../../support/crds.js';
import { writeStatus } from '../../support/gatewayStandIn.js';

const V1 = 'networking.istio.io/v1' as const;

function refOf(o: K8sObject) {
  return { apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name };
}

describe.skipIf(skipReason)('server-side apply (real API server)', () => {
  const suite = useControlPlane();
  beforeAll(async () => {
    await installCrds(suite().admin, { filter: wizardCrds });
  }, 120_000);

  const example = exampleConfig();
  const plan = buildManifests(example, { apiVersion: V1, certs: fakeCerts(example) });

  it('creates every object of the example plan, Gateway servers as planned', async () => {
    const { admin } = suite();
    const results = [];
    for (const obj of plan) results.push(await admin.apply(obj));
    expect(results.map((r) => r.outcome)).toEqual(plan.map(() => 'created'));
    expect(results.map((r) => r.ref)).toContain('Gateway/default/flask-gateway');
    for (const obj of plan) {
      const got = await admin.get(refOf(obj));
      expect(got, `${obj.kind}/${obj.metadata.name}`).toBeDefined();
      expect(got?.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('istio-ingress-wizard');
    }
    const gw = plan.find((o) => o.kind === 'Gateway') as K8sObject;
    const got = await admin.get(refOf(gw));
    expect(got?.spec.servers).toEqual(gw.spec.servers);
    expect(
      got?.spec.servers.filter((s: { port: { protocol: string } }) => s.port.protocol === 'HTTPS'),
    ).toHaveLength(2);
  });

  it('re-applying the same plan changes nothing: every object unchanged, resourceVersions equal', async () => {
    const { admin } = suite();
    const before = await Promise.all(plan.map((o) => admin.get(refOf(o))));
    const results = [];
    for (const obj of plan) results.push(await admin.apply(obj));
    expect(results.map((r) => `${r.ref} ${r.outcome}`)).toEqual(results.map((r) => `${r.ref} unchanged`));
    const after = await Promise.all(plan.map((o) => admin.get(refOf(o))));
    expect(after.map((o) => meta(o).resourceVersion)).toEqual(before.map((o) => meta(o).resourceVersion));
    expect(after.map((o) => JSON.stringify(meta(o).managedFields))).toEqual(
      before.map((o) => JSON.stringify(meta(o).managedFields)),
    );
  });

  it('a changed object is reported configured', async () => {
    const { admin } = suite();
    const changed = structuredClone(example);
    const host = changed.hosts[0];
    if (host) host.routes = [{ subset: 'v1', weight: 100 }];
    const vs = buildManifests(changed, { apiVersion: V1 }).filter((o) => o.kind === 'VirtualService');
    const results = [];
    for (const obj of vs) results.push(await admin.apply(obj));
    expect(results.map((r) => r.outcome).sort()).toEqual(['configured', 'unchanged']);
    // and back, so later tests see the example again
    for (const obj of plan.filter((o) => o.kind === 'VirtualService')) await admin.apply(obj);
  });

  it('applies a weighted / MUTUAL / HTTP / file-mount plan into a new namespace', async () => {
    const { admin } = suite();
    const cfg = weightedConfig();
    const objs = buildManifests(cfg, { apiVersion: V1, certs: fakeCerts(cfg) });
    const results = [];
    for (const obj of objs) results.push(await admin.apply(obj));
    expect(results.every((r) => r.outcome === 'created')).toBe(true);
    expect(results[0]?.notes).toEqual(['namespace weighted created']);
    expect(results.flatMap((r) => r.notes ?? [])).toHaveLength(1);
    for (const obj of objs) expect(await admin.get(refOf(obj)), obj.metadata.name).toBeDefined();
    const secrets = objs.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name);
    expect(secrets).toEqual(['istio-ingressgateway-certs', 'istio-ingressgateway-ca-certs']);
    const gw = objs.find((o) => o.kind === 'Gateway') as K8sObject;
    expect((await admin.get(refOf(gw)))?.spec.servers).toEqual(gw.spec.servers);
    const vs = await admin.get({
      apiVersion: V1,
      kind: 'VirtualService',
      namespace: 'weighted',
      name: objs.find((o) => o.kind === 'VirtualService')?.metadata.name as string,
    });
    const weights = vs?.spec.http[0].route.map((r: { weight: number }) => r.weight);
    expect(weights).toEqual([75, 25]);
    // idempotent too
    for (const obj of objs) expect((await admin.apply(obj)).outcome).toBe('unchanged');
  });

  it('--dry-run=server persists nothing, reports outcomes, and still rejects invalid objects with the field', async () => {
    const { connect, admin } = suite();
    const dry = await connect({ dryRunServer: true });
    const cfg = exampleConfig();
    cfg.app = 'dryapp';
    for (const h of cfg.hosts) h.name = `dry.${h.name}`; // own secret names too
    const objs = buildManifests(cfg, { apiVersion: V1, certs: fakeCerts(cfg) }).map((o) =>
      o.kind === 'Gateway' ? { ...o, metadata: { ...o.metadata, name: 'dry-gateway' } } : o,
    );
    for (const obj of objs) expect((await dry.apply(obj)).outcome).toBe('created');
    for (const obj of objs) expect(await admin.get(refOf(obj)), obj.metadata.name).toBeUndefined();

    // an existing object: unchanged when equal, configured when different — and still unchanged on the server
    const dep = plan.find((o) => o.kind === 'Deployment') as K8sObject;
    const rv = meta(await admin.get(refOf(dep))).resourceVersion;
    expect((await dry.apply(dep)).outcome).toBe('unchanged');
    const scaled = structuredClone(dep);
    scaled.spec.replicas = 4;
    expect((await dry.apply(scaled)).outcome).toBe('configured');
    const after = await admin.get(refOf(dep));
    expect(after?.spec.replicas).toBe(1);
    expect(meta(after).resourceVersion).toBe(rv);

    // a namespace that does not exist: created in dry-run only, and said so
    const ghost = structuredClone(dep);
    ghost.metadata.namespace = 'ghost';
    const r = await dry.apply(ghost);
    expect(r.outcome).toBe('created');
    expect(r.notes?.join(' ')).toMatch(/namespace ghost would be created/);
    expect(await admin.get({ apiVersion: 'v1', kind: 'Namespace', name: 'ghost' })).toBeUndefined();

    const bad = structuredClone(dep);
    bad.spec.replicas = -1;
    const err = await dry.apply(bad).catch((e) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/spec\.replicas/);
    expect(err.message).toMatch(/Deployment\/default\/flask-v1/);

    const vs = structuredClone(plan.find((o) => o.kind === 'VirtualService') as K8sObject);
    vs.spec.http[0].route[0].weight = 'heavy';
    // A type mismatch is answered 500 by server-side apply; it is the input's fault: no retries, the field named.
    const sent = dry.requestCount;
    const err2 = await dry.apply(vs).catch((e) => e);
    expect(err2).toBeInstanceOf(KubeApiError);
    expect(err2.message).toBe(
      'apply VirtualService/default/flask-example1-com: rejected by the API server (invalid): .spec.http[0].route[0].weight: expected numeric (int or float), got string',
    );
    expect(dry.requestCount - sent).toBe(2); // GET + one PATCH

    // A CRD schema violation (enum) is the classic 422, with the field.
    const dr = structuredClone(plan.find((o) => o.kind === 'DestinationRule') as K8sObject);
    dr.spec.trafficPolicy = { loadBalancer: { simple: 'FASTEST' } };
    const err3 = await dry.apply(dr).catch((e) => e);
    expect(err3.status).toBe(422);
    expect(err3.message).toMatch(
      /^apply DestinationRule\/default\/flask: rejected by the API server \(422 Invalid\): spec\.trafficPolicy\.loadBalancer\.simple: Unsupported value: "FASTEST"/,
    );
    expect(dry.requestCount).toBeGreaterThan(0);
  });

  it('a field owned by another manager stops the apply, naming it; --force-conflicts takes over', async () => {
    const { admin } = suite();
    const dep = plan.find((o) => o.kind === 'Deployment') as K8sObject;
    await admin.request({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/default/deployments/${dep.metadata.name}`,
      query: { fieldManager: 'hpa-like-tool', force: 'true' },
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: dep.metadata.name },
        spec: { replicas: 3 },
      },
      contentType: 'application/apply-patch+yaml',
      what: 'scale by another manager',
    });
    const err = await admin.apply(dep).catch((e) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect(err.status).toBe(409);
    expect(err.message).toContain('"hpa-like-tool"');
    expect(err.message).toContain('.spec.replicas');
    expect(err.hint).toMatch(/--force-conflicts/);
    expect((await admin.get(refOf(dep)))?.spec.replicas).toBe(3);

    const r = await admin.apply(dep, { forceConflicts: true });
    expect(r.outcome).toBe('configured');
    expect((await admin.get(refOf(dep)))?.spec.replicas).toBe(1);
  });

  it('a user who may not list still gets exact outcomes (GET per object instead of one list)', async () => {
    const { admin, cp, connect } = suite();
    const rbac = 'rbac.authorization.k8s.io/v1';
    for (const o of [
      {
        apiVersion: rbac,
        kind: 'Role',
        metadata: { name: 'cm-no-list', namespace: 'default' },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'create', 'patch'] }],
      },
      {
        apiVersion: rbac,
        kind: 'RoleBinding',
        metadata: { name: 'cm-no-list', namespace: 'default' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-no-list' },
        subjects: [{ kind: 'User', name: 'restricted', apiGroup: 'rbac.authorization.k8s.io' }],
      },
    ]) {
      await admin.request({
        method: 'PATCH',
        path: `/apis/${rbac}/namespaces/default/${o.kind.toLowerCase()}s/${o.metadata.name}`,
        query: { fieldManager: 'test' },
        body: o,
        contentType: 'application/apply-patch+yaml',
        what: 'rbac',
      });
    }
    const restricted = await connect({ kubeconfig: cp.restrictedKubeconfig });
    const cm: K8sObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'no-list', namespace: 'default' },
      data: { a: '1' },
    };
    expect((await restricted.apply(cm)).outcome).toBe('created');
    expect((await restricted.apply(cm)).outcome).toBe('unchanged');
    expect((await restricted.apply({ ...cm, data: { a: '2' } })).outcome).toBe('configured');
  });

  it('an object created by someone else after the first list is not reported as created by us', async () => {
    const { admin, connect } = suite();
    const c = await connect();
    const one: K8sObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'race-1', namespace: 'default' },
      data: { a: '1' },
    };
    const two: K8sObject = { ...one, metadata: { ...one.metadata, name: 'race-2' } };
    expect((await c.apply(one)).outcome).toBe('created'); // lists ConfigMaps in default once
    await admin.apply(two); // someone else creates race-2 now
    expect((await c.apply(two)).outcome).toBe('configured');
    expect((await c.apply(two)).outcome).toBe('unchanged');
  });

  it('re-applying in the same session after a status write (controller) is still unchanged', async () => {
    const { connect } = suite();
    const c = await connect();
    const dep = structuredClone(plan.find((o) => o.kind === 'Deployment') as K8sObject);
    dep.metadata.name = 'status-moves';
    expect((await c.apply(dep)).outcome).toBe('created');
    await writeStatus(
      c,
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'status-moves' },
      {
        observedGeneration: 1,
        replicas: 1,
      },
    );
    expect((await c.apply(dep)).outcome).toBe('unchanged');
  });

  it('delete reports deleted, then absent', async () => {
    const { admin } = suite();
    const obj: K8sObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'tmp', namespace: 'default' },
      data: { a: 'b' },
    };
    await admin.apply(obj);
    expect(await admin.delete(refOf(obj))).toBe('deleted');
    expect(await admin.delete(refOf(obj))).toBe('absent');
  });
});
