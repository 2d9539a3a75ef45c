// gateway-api mode's goldens, checked by the real thing: every scenario's objects sent to a real kube-apiserver
// (etcd-backed, the Gateway API v1.6.1 standard CRDs and the Istio 1.30.3 CRDs installed) as server-side apply with
// dryRun=All and fieldValidation=Strict — the apiserver's own schema, CEL rules and unknown-field detection.
// Negative controls show the tier can fail: an HTTPS listener without certificates (CEL), a route whose redirect
// rule also has backends (CEL), a misspelt field, and the redaction placeholder in a Secret.
import { beforeAll, describe, expect, it } from 'vitest';
import type { LiveCluster } from '../../../src/io/kube/live.js';
import { buildManifests } from '../../../src/manifests/index.js';
import { redactSecrets } from '../../../src/manifests/redact.js';
import type { K8sObject } from '../../../src/manifests/types.js';
import { skipReason, useControlPlane } from '../../support/apiserver.js';
import { fakeCerts } from '../../support/configs.js';
import { GATEWAY_API_CRDS, installCrds, wizardCrds } from '../../support/crds.js';
import { GATEWAY_API_SCENARIOS } from './scenarios.js';

let cluster: LiveCluster;

async function dryRunApply(obj: K8sObject): Promise<{ status: number; body: unknown }> {
  const path = await cluster.resources.path({
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name,
  });
  return cluster.request({
    method: 'PATCH',
    path,
    query: { fieldManager: 'istio-ingress-wizard', force: 'true', dryRun: 'All', fieldValidation: 'Strict' },
    body: obj,
    contentType: 'application/apply-patch+yaml',
    what: `dry-run apply ${obj.kind}/${obj.metadata.name}`,
    allow: [400, 422, 500],
  });
}

const objectsOf = (name: string) => {
  const s = GATEWAY_API_SCENARIOS.find((x) => x.name === name);
  if (!s) throw new Error(`no scenario ${name}`);
  return buildManifests(s.config, { apiVersion: s.apiVersion, certs: fakeCerts(s.config) });
};

describe.skipIf(skipReason !== undefined)('gateway-api manifests against a real kube-apiserver', () => {
  const suite = useControlPlane();
  beforeAll(async () => {
    cluster = suite().admin;
    await installCrds(cluster, { filter: wizardCrds });
    await installCrds(cluster, { file: GATEWAY_API_CRDS });
    const namespaces = new Set(
      GATEWAY_API_SCENARIOS.flatMap(({ config }) => [config.namespace, config.gateway.workloadNamespace]),
    );
    for (const ns of namespaces) {
      await cluster.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    }
  }, 300_000);

  it.each(GATEWAY_API_SCENARIOS)(
    'accepts every object of $name (dryRun=All, fieldValidation=Strict)',
    async (s) => {
      const objects = buildManifests(s.config, { apiVersion: s.apiVersion, certs: fakeCerts(s.config) });
      const failures: string[] = [];
      for (const obj of objects) {
        const r = await dryRunApply(obj);
        if (r.status !== 200 && r.status !== 201) {
          failures.push(`${obj.kind}/${obj.metadata.name}: ${r.status} ${JSON.stringify(r.body)}`);
          continue;
        }
        // Nothing pruned: what the server would store still holds every field we sent.
        const stored = r.body as K8sObject;
        const { metadata: _m, status: _s, ...sent } = obj;
        const { metadata: _sm, status: _ss, ...kept } = stored;
        expect(kept).toMatchObject(sent);
      }
      expect(failures).toEqual([]);
    },
  );

  it('rejects an HTTPS listener without certificateRefs (CEL)', async () => {
    const gw = structuredClone(objectsOf('stage3-two-https').find((o) => o.kind === 'Gateway') as K8sObject);
    gw.spec.listeners[0].tls.certificateRefs = [];
    const r = await dryRunApply(gw);
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body)).toContain(
      'certificateRefs or options must be specified when mode is Terminate',
    );
  });

  it('rejects a redirect rule that also has backends (CEL), and a misspelt field', async () => {
    const routes = objectsOf('https-redirect').filter((o) => o.kind === 'HTTPRoute');
    const redirect = structuredClone(routes.at(-1) as K8sObject);
    redirect.spec.rules[0].backendRefs = routes[0]?.spec.rules[0].backendRefs;
    const r = await dryRunApply(redirect);
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body)).toContain(
      'RequestRedirect filter must not be used together with backendRefs',
    );
    const typo = structuredClone(routes[0] as K8sObject);
    typo.spec.parentRefs[0].sectionNmae = 'http';
    const t = await dryRunApply(typo);
    expect(t.status, JSON.stringify(t.body)).toBe(500);
    expect(JSON.stringify(t.body)).toContain('.spec.parentRefs[0].sectionNmae: field not declared in schema');
  });

  it('rejects the redaction placeholder instead of storing it as a key', async () => {
    const secret = redactSecrets(objectsOf('mutual')).find((o) => o.kind === 'Secret') as K8sObject;
    const r = await dryRunApply(secret);
    expect(r.status).toBe(500);
    expect(JSON.stringify(r.body)).toContain('illegal base64 data at input byte 0');
  });
});
