// The config changed between two live runs (a host removed, a version renamed): the objects of the old plan that the
// new one no longer names keep running. Preflight says which, and how to remove them.
// The gateway stand-in (test/support/gatewayStandIn.ts) only gives preflight a gateway to find; nothing here
// depends on a data plane or on a rollout, so the real stack would add minutes and no coverage.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildManifests } from '../../../src/manifests/index.js';
import type { K8sObject } from '../../../src/manifests/types.js';
import { foreignManagers } from '../../../src/steps/preflight/ownership.js';
import { runPreflight } from '../../../src/steps/preflight.js';
import { skipReason, useControlPlane } from '../../support/apiserver.js';
import { exampleConfig, fakeCerts } from '../../support/configs.js';
import { installCrds, wizardCrds } from '../../support/crds.js';
import { createGatewayStandIn } from '../../support/gatewayStandIn.js';

/** The example with flask.example2.com removed and version v1 renamed to v3. */
function changedConfig() {
  const c = exampleConfig();
  c.hosts = c.hosts.filter((h) => h.name !== 'flask.example2.com');
  c.versions = c.versions.map((v) => (v.name === 'v1' ? { ...v, name: 'v3' } : v));
  return c;
}

describe.skipIf(skipReason)('objects left from an earlier config (real API server)', () => {
  const suite = useControlPlane();

  beforeAll(async () => {
    const { admin } = suite();
    await installCrds(admin, { filter: wizardCrds });
    await createGatewayStandIn(admin, { lbIp: '192.0.2.10' });
    const config = exampleConfig();
    for (const o of buildManifests(config, {
      apiVersion: 'networking.istio.io/v1',
      certs: fakeCerts(config),
    })) {
      await admin.apply(o);
    }
    // Another setup sharing the ingress gateway: its Gateway and its TLS secret are not this plan's leftovers.
    const labels = { app: 'shop', 'app.kubernetes.io/managed-by': 'istio-ingress-wizard' };
    await admin.apply({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name: 'shop-example-org-tls', namespace: 'istio-system', labels },
      data: { 'tls.crt': 'eA==', 'tls.key': 'eA==' },
    });
    await admin.apply({
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'shop-gateway', namespace: 'shop', labels },
      spec: {
        selector: { istio: 'ingressgateway' },
        servers: [
          {
            port: { number: 443, name: 'https-shop', protocol: 'HTTPS' },
            hosts: ['shop.example.org'],
            tls: { mode: 'SIMPLE', credentialName: 'shop-example-org-tls' },
          },
        ],
      },
    });
  }, 120_000);

  it('preflight warns about each managed object the new plan no longer has, with the command to delete it', async () => {
    const { admin } = suite();
    const lines: string[] = [];
    await runPreflight(admin, changedConfig(), (l) => lines.push(l));
    const leftovers = lines.filter((l) => l.includes('is not in the plan'));
    expect(leftovers).toEqual([
      'WARN  Deployment/default/flask-v1 carries the app.kubernetes.io/managed-by=istio-ingress-wizard label but is not in the plan (left from an earlier config?): it stays as it is, and teardown of this plan leaves it too — fix: delete it if it is no longer wanted: kubectl delete deployments.apps -n default flask-v1',
      'WARN  VirtualService/default/flask-example2-com carries the app.kubernetes.io/managed-by=istio-ingress-wizard label but is not in the plan (left from an earlier config?): it stays as it is, and teardown of this plan leaves it too — fix: delete it if it is no longer wanted: kubectl delete virtualservices.networking.istio.io -n default flask-example2-com',
      'WARN  Secret/istio-system/flask-example2-com-tls carries the app.kubernetes.io/managed-by=istio-ingress-wizard label but is not in the plan (left from an earlier config?): it stays as it is, and teardown of this plan leaves it too — fix: delete it if it is no longer wanted: kubectl delete secrets -n istio-system flask-example2-com-tls',
    ]);
    // The unchanged plan has none.
    const again: string[] = [];
    await runPreflight(admin, exampleConfig(), (l) => again.push(l));
    expect(again.filter((l) => l.includes('is not in the plan'))).toEqual([]);
  });
});

describe('foreignManagers', () => {
  it('counts only other managers of spec/data as foreign', () => {
    const obj = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 's',
        managedFields: [
          { manager: 'istio-ingress-wizard', operation: 'Apply', fieldsV1: { 'f:spec': {} } },
          {
            manager: 'kube-controller-manager',
            operation: 'Update',
            subresource: 'status',
            fieldsV1: { 'f:status': {} },
          },
          { manager: 'kubectl-label', operation: 'Update', fieldsV1: { 'f:metadata': {} } },
          { manager: 'helm', operation: 'Update', fieldsV1: { 'f:spec': {} } },
        ],
      },
    } as unknown as K8sObject;
    expect(foreignManagers(obj)).toEqual(['helm']);
  });

  it('counts `kubectl scale` (the scale subresource owns spec.replicas: a conflict on the next apply)', () => {
    const obj = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'd',
        managedFields: [
          { manager: 'istio-ingress-wizard', operation: 'Apply', fieldsV1: { 'f:spec': {} } },
          {
            manager: 'kubectl',
            operation: 'Update',
            subresource: 'scale',
            fieldsV1: { 'f:spec': { 'f:replicas': {} } },
          },
        ],
      },
    } as unknown as K8sObject;
    expect(foreignManagers(obj)).toEqual(['kubectl']);
  });
});
