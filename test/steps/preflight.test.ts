// Preflight against a real API server with the real Istio CRDs and an ingress gateway stand-in
// (test/support/gatewayStandIn.ts: the gateway's pods, Service and load-balancer address written through the status
// subresources). It stays because these are cluster shapes the real stack (one node, one LoadBalancer address,
// test/stack/**) is not: a load balancer with a hostname, one still pending on kind with the NodePort fallback, a
// gateway under other labels, restricted users, foreign owners. Preflight on the real gateway runs in every stack
// test's `wizard --yes`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { WizardError } from '../../src/errors.js';
import { connectCluster } from '../../src/io/kube/connect.js';
import type { LiveCluster } from '../../src/io/kube/live.js';
import { buildManifests } from '../../src/manifests/index.js';
import { loadCertsStep } from '../../src/steps/load-certs.js';
import { preflightStep, runPreflight } from '../../src/steps/preflight.js';
import { meta, skipReason, useControlPlane } from '../support/apiserver.js';
import { exampleConfig, fakeCerts, httpsHost } from '../support/configs.js';
import { installCrds, wizardCrds } from '../support/crds.js';
import { createGatewayStandIn, createNode } from '../support/gatewayStandIn.js';
import { makeCertPaths } from '../verify/certs.js';

async function preflight(cluster: LiveCluster, config = exampleConfig()) {
  const lines: string[] = [];
  try {
    const out = await runPreflight(cluster, config, (l) => lines.push(l));
    return { out, lines, err: undefined };
  } catch (e) {
    return { out: undefined, lines, err: e as WizardError };
  }
}

/** RBAC for the "restricted" user: everything in the app namespace, only reads in istio-system (no secrets). */
async function grantAppOnly(admin: LiveCluster) {
  const rbac = 'rbac.authorization.k8s.io/v1';
  const objs = [
    {
      apiVersion: rbac,
      kind: 'ClusterRole',
      metadata: { name: 'wizard-app' },
      rules: [
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'create', 'patch'] },
        { apiGroups: [''], resources: ['services', 'pods'], verbs: ['get', 'list', 'create', 'patch'] },
        { apiGroups: ['networking.istio.io'], resources: ['*'], verbs: ['get', 'list', 'create', 'patch'] },
      ],
    },
    {
      apiVersion: rbac,
      kind: 'ClusterRole',
      metadata: { name: 'wizard-read' },
      rules: [
        { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods', 'services'], verbs: ['list'] },
      ],
    },
    {
      apiVersion: rbac,
      kind: 'RoleBinding',
      metadata: { name: 'wizard-app', namespace: 'default' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'wizard-app' },
      subjects: [{ kind: 'User', name: 'restricted', apiGroup: 'rbac.authorization.k8s.io' }],
    },
    {
      apiVersion: rbac,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'wizard-read' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'wizard-read' },
      subjects: [{ kind: 'User', name: 'restricted', apiGroup: 'rbac.authorization.k8s.io' }],
    },
  ];
  for (const o of objs) {
    await admin.request({
      method: 'PATCH',
      path: `/apis/${rbac}/${o.kind === 'RoleBinding' ? 'namespaces/default/rolebindings' : `${o.kind.toLowerCase()}s`}/${o.metadata.name}`,
      query: { fieldManager: 'test', force: 'true' },
      body: o,
      contentType: 'application/apply-patch+yaml',
      what: `rbac ${o.metadata.name}`,
    });
  }
}

describe.skipIf(skipReason)('preflight (real API server)', () => {
  const suite = useControlPlane();
  beforeAll(async () => {
    const { admin } = suite();
    await installCrds(admin, { filter: wizardCrds });
    await createGatewayStandIn(admin, { lbIp: '172.18.255.200' });
  }, 120_000);

  it('passes on a ready cluster and outputs what later steps need', async () => {
    const { admin, cp } = suite();
    const { out, lines, err } = await preflight(admin);
    expect(err).toBeUndefined();
    expect(out).toEqual({
      context: 'envtest-admin',
      server: cp.server,
      apiVersion: 'networking.istio.io/v1',
      gatewayAddress: '172.18.255.200',
      httpPort: 80,
      httpsPort: 443,
      clusterKind: 'other',
      // The test namespace has no istio-injection label.
      sidecarInjection: false,
    });
    expect(lines[0]).toMatch(
      /^PASS {2}API server reachable: https:\/\/127\.0\.0\.1:\d+ \(context envtest-admin\), Kubernetes v1\.\d+/,
    );
    expect(lines).toContain(
      'PASS  Istio CRDs installed: serving networking.istio.io/v1, networking.istio.io/v1beta1, networking.istio.io/v1alpha3; using networking.istio.io/v1 (auto)',
    );
    expect(lines).toContain(
      'PASS  ingress gateway: 1/1 pods ready (istio=ingressgateway in namespace istio-system)',
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^PASS {2}gateway Service istio-system\/istio-ingressgateway \(LoadBalancer\) ports: http 80→8080 \(nodePort \d+\), https 443→8443 \(nodePort \d+\)$/,
      ),
    );
    expect(lines).toContain('PASS  planned objects: 9 new, 0 already managed by the wizard');
    expect(lines).toContain('PASS  gateway address: 172.18.255.200 (LoadBalancer)');
    expect(lines).toContain(
      'WARN  sidecar injection is not enabled on namespace default: pods run without the Envoy sidecar — fix: kubectl label namespace default istio-injection=enabled',
    );
    expect(lines.some((l) => /^PASS {2}permissions: all \d+ needed verbs allowed$/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^preflight passed with \d warnings?$/);
  });

  it('works as the step: plan notes, outputs under preflight', async () => {
    const { admin } = suite();
    const plan = await preflightStep.plan({
      config: exampleConfig(),
      io: { cluster: admin, exec: undefined as never },
      log: () => undefined,
    });
    expect(plan.notes?.length).toBeGreaterThan(5);
    const out = await preflightStep.run({
      config: exampleConfig(),
      io: { cluster: admin, exec: undefined as never },
      log: () => undefined,
    });
    expect(out.preflight?.apiVersion).toBe('networking.istio.io/v1');
  });

  it('an explicit apiVersion must be served', async () => {
    const { admin } = suite();
    const cfg = exampleConfig();
    cfg.istio.apiVersion = 'networking.istio.io/v1beta1';
    expect((await preflight(admin, cfg)).out?.apiVersion).toBe('networking.istio.io/v1beta1');
  });

  it('finds a forbidden `create secrets` in istio-system before anything is written', async () => {
    const { admin, cp } = suite();
    await grantAppOnly(admin);
    const restricted = await connectCluster({ kubeconfig: cp.restrictedKubeconfig });
    const { err, lines } = await preflight(restricted);
    restricted.close();
    expect(err).toBeInstanceOf(WizardError);
    const missing = lines.filter((l) => l.startsWith('FAIL  permission missing'));
    expect(missing.map((l) => l.split(' — ')[0])).toEqual([
      'FAIL  permission missing: cannot get secrets in namespace istio-system',
      'FAIL  permission missing: cannot create secrets in namespace istio-system',
      'FAIL  permission missing: cannot patch secrets in namespace istio-system',
    ]);
    expect(err?.message).toMatch(
      /^preflight failed \(3 checks\); nothing was written:\n {2}- permission missing: cannot get secrets/,
    );
    expect(err?.message).toContain('fix: ask a cluster admin');
    expect(
      await admin.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'flask-v1' }),
    ).toBeUndefined();
  });

  it('offers the config change when the gateway runs under the other well-known label', async () => {
    const { admin } = suite();
    const cfg = exampleConfig();
    cfg.gateway.selector = { istio: 'ingress' };
    cfg.gateway.workloadNamespace = 'istio-ingress';
    const { err, lines } = await preflight(admin, cfg);
    expect(err).toBeInstanceOf(WizardError);
    expect(lines).toContain(
      'FAIL  ingress gateway: no pods match istio=ingress in namespace istio-ingress, but pods labelled istio=ingressgateway run in namespace istio-system — fix: set gateway.selector: { istio: ingressgateway } and gateway.workloadNamespace: istio-system in the config',
    );
  });

  it('warns about same-named objects another manager owns', async () => {
    const { admin } = suite();
    const cfg = exampleConfig();
    cfg.app = 'owned';
    await admin.request({
      method: 'PATCH',
      path: '/api/v1/namespaces/default/services/owned',
      query: { fieldManager: 'helm' },
      body: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'owned' },
        spec: { ports: [{ port: 80 }] },
      },
      contentType: 'application/apply-patch+yaml',
      what: 'service by helm',
    });
    const { lines } = await preflight(admin, cfg);
    expect(lines).toContain(
      'WARN  Service/default/owned already exists, managed by "helm" (no app.kubernetes.io/managed-by=istio-ingress-wizard label): applying will take it over — fix: rename it in the config, delete it, or accept; conflicting fields need --force-conflicts',
    );
  });

  it('resolves a LoadBalancer hostname to an IP (curl --resolve needs one)', async () => {
    const { admin } = suite();
    await createGatewayStandIn(admin, {
      namespace: 'gw-host',
      labels: { istio: 'host-gw' },
      lbHostname: 'localhost',
    });
    const cfg = exampleConfig();
    cfg.gateway.selector = { istio: 'host-gw' };
    cfg.gateway.workloadNamespace = 'gw-host';
    const { out, lines } = await preflight(admin, cfg);
    expect(out?.gatewayAddress).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect(lines).toContain(
      `PASS  gateway address: ${out?.gatewayAddress} (LoadBalancer hostname localhost)`,
    );
  });

  it('LoadBalancer pending on a kind cluster: the kind hint; then the NodePort on a node address', async () => {
    const { admin, cp } = suite();
    // The same server under a kind-style context name.
    const file = path.join(cp.dir, 'kind.kubeconfig');
    writeFileSync(file, readFileSync(cp.adminKubeconfig, 'utf8').replaceAll('envtest-admin', 'kind-demo'));
    const kind = await connectCluster({ kubeconfig: file });
    await createGatewayStandIn(admin, { namespace: 'gw-pending', labels: { istio: 'pending-gw' } });
    const cfg = exampleConfig();
    cfg.gateway.selector = { istio: 'pending-gw' };
    cfg.gateway.workloadNamespace = 'gw-pending';
    const first = await preflight(kind, cfg);
    expect(first.out?.clusterKind).toBe('kind');
    expect(first.out?.clusterName).toBe('demo');
    expect(first.out?.gatewayAddress).toBeUndefined();
    expect(first.lines).toContain(
      'WARN  gateway address: LoadBalancer pending and no node address found for the NodePort — fix: kind has no load balancer: run cloud-provider-kind (go install sigs.k8s.io/cloud-provider-kind@latest), or pass --address with a node IP and the NodePort',
    );

    await createNode(admin, 'demo-control-plane', [
      { type: 'InternalIP', address: '172.18.0.2' },
      { type: 'Hostname', address: 'demo-control-plane' },
    ]);
    const svc = await admin.get({
      apiVersion: 'v1',
      kind: 'Service',
      namespace: 'gw-pending',
      name: 'istio-ingressgateway',
    });
    const nodePort = (p: number) => svc?.spec.ports.find((x: { port: number }) => x.port === p).nodePort;
    const second = await preflight(kind, cfg);
    kind.close();
    expect(second.out).toMatchObject({
      gatewayAddress: '172.18.0.2',
      httpPort: nodePort(80),
      httpsPort: nodePort(443),
    });
    expect(
      second.lines.some((l) =>
        l.startsWith(
          'WARN  gateway address: LoadBalancer pending; using NodePort on node 172.18.0.2 (InternalIP)',
        ),
      ),
    ).toBe(true);
  });

  it('a second config claiming a host another wizard Gateway serves fails, naming both Gateways and the Secret', async () => {
    const { admin } = suite();
    // The first setup, applied as the wizard applies it: its Gateway in namespace "first" and its TLS secrets.
    const first = exampleConfig();
    first.namespace = 'first';
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'first' } });
    const applied = buildManifests(first, { apiVersion: 'networking.istio.io/v1', certs: fakeCerts(first) });
    for (const o of applied) await admin.apply(o);
    const secretBefore = await admin.get({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: 'istio-system',
      name: 'flask-example1-com-tls',
    });
    try {
      // The second: the same first host, its own namespace and Gateway.
      const second = exampleConfig();
      second.namespace = 'second';
      second.hosts = [second.hosts[0] as (typeof second.hosts)[number], httpsHost('shop.example.org', 'v1')];
      const { lines, err } = await preflight(admin, second);
      expect(err?.message).toMatch(/^preflight failed \(2 checks\); nothing was written:/);
      expect(lines).toContain(
        "FAIL  host flask.example1.com is already served by the wizard's Gateway first/flask-gateway; this config's Gateway second/flask-gateway claims it too: istiod would serve only one of them (duplicate host names) and Secret istio-system/flask-example1-com-tls (that Gateway's certificate) would be overwritten — fix: tear the other setup down first (wizard teardown with its config), or use another host name in this config",
      );
      expect(lines).toContain(
        "FAIL  Secret/istio-system/flask-example1-com-tls is the certificate of Gateway/first/flask-gateway (another wizard setup): loading this config's certificates would overwrite it — fix: tear the other setup down first (wizard teardown with its config), or use another host name in this config",
      );
      // The host nobody else serves is not named; the other's Secret is untouched.
      expect(lines.some((l) => l.includes('shop.example.org'))).toBe(false);
      const secretAfter = await admin.get({
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: 'istio-system',
        name: 'flask-example1-com-tls',
      });
      expect(meta(secretAfter).resourceVersion).toBe(meta(secretBefore).resourceVersion);

      // Preflight skipped: load-certs itself refuses before applying anything.
      const stateDir = mkdtempSync(path.join(tmpdir(), 'wizard-claims-'));
      try {
        const paths = await makeCertPaths(second, stateDir);
        const ctx = {
          config: second,
          outputs: { 'generate-certs': paths },
          io: { cluster: admin, exec: undefined as never },
          flags: { forceConflicts: true },
          log: () => undefined,
          signal: new AbortController().signal,
        };
        const refused = await loadCertsStep.run(ctx as never).catch((e: Error) => e);
        expect((refused as Error).message).toBe(
          'load-certs: Secret istio-system/flask-example1-com-tls is the certificate of Gateway/first/flask-gateway (another wizard setup); nothing was overwritten',
        );
        const stillThere = await admin.get({
          apiVersion: 'v1',
          kind: 'Secret',
          namespace: 'istio-system',
          name: 'flask-example1-com-tls',
        });
        expect(meta(stillThere).resourceVersion).toBe(meta(secretBefore).resourceVersion);
      } finally {
        rmSync(stateDir, { recursive: true, force: true });
      }

      // The first setup itself (its own Gateway) passes the check, and so does a config with other hosts.
      expect((await preflight(admin, first)).lines).toContain(
        'PASS  hosts: none is served by another wizard Gateway',
      );
      const other = exampleConfig();
      other.namespace = 'second';
      other.hosts = [httpsHost('shop.example.org', 'v1')];
      const third = await preflight(admin, other);
      expect(third.err).toBeUndefined();
      expect(third.lines).toContain('PASS  hosts: none is served by another wizard Gateway');
    } finally {
      for (const o of applied) {
        await admin.delete({
          apiVersion: o.apiVersion,
          kind: o.kind,
          namespace: o.metadata.namespace,
          name: o.metadata.name,
        });
      }
    }
  });
});
