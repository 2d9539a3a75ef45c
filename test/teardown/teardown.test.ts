// Teardown removes exactly the wizard's objects (managed-by label AND a planned name), and is harmless twice.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ObjectRef } from '../../src/io/types.js';
import { buildManifests } from '../../src/manifests/index.js';
import type { K8sObject } from '../../src/manifests/types.js';
import { checkDeletePermissions, planTeardown, runTeardown, scanTeardown } from '../../src/teardown/index.js';
import { skipReason, useControlPlane } from '../support/apiserver.js';
import { exampleConfig, fakeCerts, weightedConfig } from '../support/configs.js';
import { installCrds, wizardCrds } from '../support/crds.js';

const refOf = (o: K8sObject): ObjectRef => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  namespace: o.metadata.namespace,
  name: o.metadata.name,
});
const text = (r: ObjectRef) => `${r.kind}/${r.namespace}/${r.name}`;

describe.skipIf(skipReason)('teardown (real API server)', () => {
  const suite = useControlPlane();
  const config = exampleConfig();
  const plan = buildManifests(config, { apiVersion: 'networking.istio.io/v1', certs: fakeCerts(config) });
  const labels = plan[0]?.metadata.labels;
  // Same labels, different name: not the wizard's to delete.
  const lookAlike: K8sObject = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'someone-elses-vs', namespace: 'default', labels },
    spec: { hosts: ['other.example.com'], http: [{ route: [{ destination: { host: 'other' } }] }] },
  };
  // A planned name without the managed-by label: created by someone else, also not ours.
  const unlabelled: K8sObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'flask-example2-com-tls', namespace: 'istio-system', labels: { app: 'flask' } },
    type: 'Opaque',
    data: { x: 'eA==' },
  };

  beforeAll(async () => {
    const { admin } = suite();
    await installCrds(admin, { filter: wizardCrds });
    for (const o of [
      ...plan.filter((o) => o.metadata.name !== unlabelled.metadata.name),
      lookAlike,
      unlabelled,
    ]) {
      await admin.apply(o);
    }
  }, 120_000);

  it('plans exactly the managed, planned objects, Gateway first', async () => {
    const { admin } = suite();
    const refs = await planTeardown(admin, config);
    const expected = plan
      .filter((o) => o.metadata.name !== unlabelled.metadata.name)
      .map(refOf)
      .reverse();
    expect(refs.map(text)).toEqual(expected.map(text));
    expect(refs[0]?.kind).toBe('Gateway');
    expect(refs.map(text)).not.toContain('VirtualService/default/someone-elses-vs');
    expect(refs.map(text)).not.toContain('Secret/istio-system/flask-example2-com-tls');
  });

  it('keeps the TLS secrets another setup of the same hosts (other app namespace) still uses', async () => {
    const { admin } = suite();
    // The same hosts, torn down for an app namespace that was never set up: the secrets in istio-system carry the
    // same names, but they are Gateway/default/flask-gateway's.
    const elsewhere = { ...config, namespace: 'elsewhere' };
    const scan = await scanTeardown(admin, elsewhere);
    expect(scan.refs.map(text)).toEqual([]);
    expect(scan.inUse.map((u) => `${text(u.ref)} by ${u.by}`)).toEqual([
      'Secret/istio-system/flask-example1-com-tls by Gateway/default/flask-gateway',
    ]);
    // Other hosts in another namespace: that secret is not "left from an earlier config" of this plan either.
    const other = {
      ...elsewhere,
      hosts: [{ ...(config.hosts[0] as (typeof config.hosts)[number]), name: 'shop.example.org' }],
    };
    expect((await scanTeardown(admin, other)).leftovers.map(text)).toEqual([]);
  });

  it('checks every delete is allowed before deleting anything (a user without delete rights)', async () => {
    const { admin, cp, connect } = suite();
    const refs = await planTeardown(admin, config);
    await expect(checkDeletePermissions(admin, refs)).resolves.toBeUndefined();
    const restricted = await connect({ kubeconfig: cp.restrictedKubeconfig });
    const err = await checkDeletePermissions(restricted, refs).catch((e) => e);
    expect(err.message.split('\n')).toEqual([
      'teardown: permission missing, nothing was deleted:',
      '  - cannot delete gateways.networking.istio.io in namespace default',
      '  - cannot delete secrets in namespace istio-system',
      '  - cannot delete virtualservices.networking.istio.io in namespace default',
      '  - cannot delete destinationrules.networking.istio.io in namespace default',
      '  - cannot delete services in namespace default',
      '  - cannot delete deployments.apps in namespace default',
    ]);
    expect(err.hint).toContain('"delete"');
    for (const r of refs) expect(await admin.get(r), text(r)).toBeDefined();
  });

  it('deletes them, leaves look-alikes alone, and is harmless the second time', async () => {
    const { admin } = suite();
    const refs = await planTeardown(admin, config);
    const lines: string[] = [];
    const first = await runTeardown(admin, refs, (l) => lines.push(l));
    expect(first.every((r) => r.outcome === 'deleted')).toBe(true);
    expect(lines[0]).toBe('deleted    Gateway/default/flask-gateway');
    for (const r of refs) expect(await admin.get(r), text(r)).toBeUndefined();
    expect(await admin.get(refOf(lookAlike))).toBeDefined();
    expect(await admin.get(refOf(unlabelled))).toBeDefined();
    expect(await admin.get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' })).toBeDefined();

    const second = await runTeardown(admin, refs, () => undefined);
    expect(second.map((r) => r.outcome)).toEqual(refs.map(() => 'absent'));
    expect(await planTeardown(admin, config)).toEqual([]);
  });

  it('finds file-mount secrets too, even after the config switched storage', async () => {
    const { admin } = suite();
    const cfg = weightedConfig(); // file-mount, MUTUAL
    const objs = buildManifests(cfg, { apiVersion: 'networking.istio.io/v1', certs: fakeCerts(cfg) });
    for (const o of objs) await admin.apply(o);
    const switched = { ...cfg, certs: { ...cfg.certs, storage: 'credentialName' as const } };
    const refs = await planTeardown(admin, switched);
    expect(refs.map(text).sort()).toEqual(objs.map(refOf).map(text).sort());
    expect(refs.map(text)).toContain('Secret/istio-system/istio-ingressgateway-ca-certs');
    await runTeardown(admin, refs, () => undefined);
    expect(await planTeardown(admin, cfg)).toEqual([]);
  });
});
