// The real check behind the offline schema tier: every golden scenario's objects, sent to a real kube-apiserver
// (etcd-backed, Istio 1.30.3 CRDs installed) as server-side apply with dryRun=All and fieldValidation=Strict —
// the apiserver's own OpenAPI/CRD validation, CEL rules and unknown-field detection. Negative controls prove the
// tier can fail: a misspelt field, a CEL violation, and the redaction placeholder (must be rejected, not stored).
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { kindOf } from '../../src/io/kinds.js';
import { buildManifests } from '../../src/manifests/index.js';
import { redactSecrets } from '../../src/manifests/redact.js';
import type { K8sObject } from '../../src/manifests/types.js';
import { type ControlPlane, ensureBinaries, startControlPlane } from '../control-plane/controlPlane.js';
import { fakeCerts } from '../support/configs.js';
import { SCENARIOS } from './scenarios.js';

const binaries = await ensureBinaries();
const skipReason = 'skip' in binaries ? binaries.skip : undefined;
if (skipReason) process.stderr.write(`\n*** SKIPPED: manifests against a real API server: ${skipReason}\n\n`);

const ISTIO_CRDS = new URL('../../../shared/fixtures/crds/istio-1.30.3.yaml', import.meta.url);

interface Reply {
  status: number;
  body: string;
}

let cp: ControlPlane | undefined;

function request(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<Reply> {
  if (!cp) throw new Error('control plane not started');
  const url = new URL(path, cp.server);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: readFileSync(cp?.certs.ca ?? ''),
        cert: readFileSync(cp?.certs.adminCert ?? ''),
        key: readFileSync(cp?.certs.adminKey ?? ''),
        headers: payload
          ? { 'content-type': contentType, accept: 'application/json' }
          : { accept: 'application/json' },
        timeout: 30_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

function objectPath(obj: K8sObject): string {
  const base = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
  const plural = kindOf(obj.apiVersion, obj.kind)?.plural;
  if (!plural) throw new Error(`no plural for ${obj.kind}`);
  return `${base}/namespaces/${obj.metadata.namespace}/${plural}/${obj.metadata.name}`;
}

/** Server-side apply, dry run, strict field validation: nothing is stored, everything is validated. */
function dryRunApply(obj: K8sObject): Promise<Reply> {
  const q = 'fieldManager=istio-ingress-wizard&force=true&dryRun=All&fieldValidation=Strict';
  return request('PATCH', `${objectPath(obj)}?${q}`, obj, 'application/apply-patch+yaml');
}

async function installCrds(): Promise<void> {
  const crds = parseAllDocuments(readFileSync(ISTIO_CRDS, 'utf8'))
    .map((d) => d.toJS() as K8sObject | null)
    .filter((d): d is K8sObject => d?.kind === 'CustomResourceDefinition');
  for (const crd of crds) {
    const r = await request(
      'PATCH',
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}?fieldManager=test&force=true`,
      crd,
      'application/apply-patch+yaml',
    );
    if (r.status >= 300) throw new Error(`CRD ${crd.metadata.name}: ${r.status} ${r.body}`);
  }
  for (const crd of crds) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const r = await request(
        'GET',
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
      );
      const conds = (JSON.parse(r.body).status?.conditions ?? []) as { type: string; status: string }[];
      if (conds.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${crd.metadata.name} not Established`);
      await new Promise((res) => setTimeout(res, 200));
    }
  }
  // Established can precede discovery of the new group; wait until a list on it answers.
  for (const v of ['v1', 'v1beta1', 'v1alpha3']) {
    const deadline = Date.now() + 60_000;
    while ((await request('GET', `/apis/networking.istio.io/${v}/gateways`)).status !== 200) {
      if (Date.now() > deadline) throw new Error(`networking.istio.io/${v} not served`);
      await new Promise((res) => setTimeout(res, 200));
    }
  }
}

async function ensureNamespace(name: string): Promise<void> {
  const r = await request('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });
  if (r.status !== 201 && r.status !== 409) throw new Error(`namespace ${name}: ${r.status} ${r.body}`);
}

describe.skipIf(skipReason !== undefined)(
  'manifests against a real kube-apiserver with the Istio CRDs',
  () => {
    beforeAll(async () => {
      if ('skip' in binaries) return;
      cp = await startControlPlane({ binaries });
      await installCrds();
      const namespaces = new Set(
        SCENARIOS.flatMap(({ config }) => [config.namespace, config.gateway.workloadNamespace]),
      );
      for (const ns of namespaces) await ensureNamespace(ns);
    }, 300_000);

    afterAll(async () => {
      await cp?.stop();
    }, 60_000);

    it.each(SCENARIOS)('accepts every object of $name (dryRun=All, fieldValidation=Strict)', async (s) => {
      const objects = buildManifests(s.config, { apiVersion: s.apiVersion, certs: fakeCerts(s.config) });
      const failures: string[] = [];
      for (const obj of objects) {
        const r = await dryRunApply(obj);
        if (r.status !== 200 && r.status !== 201) {
          failures.push(`${obj.kind}/${obj.metadata.name}: ${r.status} ${r.body}`);
          continue;
        }
        // Nothing pruned: what the server would store still holds every field we sent.
        const stored = JSON.parse(r.body) as K8sObject;
        const { metadata: _m, status: _s, ...sent } = obj;
        const { metadata: _sm, status: _ss, ...kept } = stored;
        expect(kept).toMatchObject(sent);
      }
      expect(failures).toEqual([]);
    });

    it('rejects a misspelt field (strict field validation)', async () => {
      const [s] = SCENARIOS;
      if (!s) throw new Error('no scenarios');
      const gw = buildManifests(s.config, { apiVersion: s.apiVersion }).at(-1) as K8sObject;
      gw.spec.servers[0].port.numbr = 80;
      const r = await dryRunApply(gw);
      // Server-side apply reports this as 500 "field not declared in schema" (kube-apiserver 1.34), not 400.
      expect(r.status, r.body).toBe(500);
      expect(r.body).toContain('.spec.servers[0].port.numbr: field not declared in schema');
    });

    it('enforces the CEL rule the offline tier implements by hand', async () => {
      const s = SCENARIOS.find((x) => x.name === 'stage3-two-https');
      if (!s) throw new Error('scenario missing');
      const gw = buildManifests(s.config, { apiVersion: s.apiVersion }).at(-1) as K8sObject;
      gw.spec.servers[0].tls.credentialNames = ['other'];
      const r = await dryRunApply(gw);
      expect(r.status).toBe(422);
      expect(r.body).toContain('only one of credentialName or credentialNames can be set');
    });

    it('rejects the redaction placeholder instead of storing it as a key', async () => {
      const s = SCENARIOS.find((x) => x.name === 'stage3-two-https');
      if (!s) throw new Error('scenario missing');
      const secrets = redactSecrets(
        buildManifests(s.config, { apiVersion: s.apiVersion, certs: fakeCerts(s.config) }),
      );
      const secret = secrets.find((o) => o.kind === 'Secret') as K8sObject;
      const r = await dryRunApply(secret);
      // Also a 500 under server-side apply: a hard failure, never stored.
      expect(r.status, r.body).toBe(500);
      expect(r.body).toContain('illegal base64 data at input byte 0');
    });
  },
);
