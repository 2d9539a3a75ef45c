// A namespace-scoped user (what `kubectl create rolebinding --clusterrole=edit` gives): may write in the app
// namespace and read and create Namespace objects, but not patch them. What preflight lets through must then apply.
import { beforeAll, describe, expect, it } from 'vitest';
import type { LiveCluster } from '../../src/io/kube/live.js';
import { deployVersionsStep } from '../../src/steps/deploy-versions.js';
import { runPreflight } from '../../src/steps/preflight.js';
import { skipReason, useControlPlane } from '../support/apiserver.js';
import { exampleConfig } from '../support/configs.js';
import { noExec, testContext } from '../support/context.js';

async function grant(admin: LiveCluster) {
  const rbac = 'rbac.authorization.k8s.io/v1';
  const roleRef = (name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name });
  const subjects = [{ kind: 'User', name: 'restricted', apiGroup: 'rbac.authorization.k8s.io' }];
  const objs = [
    {
      kind: 'ClusterRole',
      metadata: { name: 'app-edit' },
      rules: [
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'create', 'patch'] },
        { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'create', 'patch'] },
      ],
    },
    {
      kind: 'ClusterRole',
      metadata: { name: 'ns-read' },
      rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'create'] }],
    },
    {
      kind: 'RoleBinding',
      metadata: { name: 'app-edit', namespace: 'default' },
      roleRef: roleRef('app-edit'),
      subjects,
    },
    { kind: 'ClusterRoleBinding', metadata: { name: 'ns-read' }, roleRef: roleRef('ns-read'), subjects },
  ];
  for (const o of objs) {
    await admin.request({
      method: 'PATCH',
      path: `/apis/${rbac}/${o.kind === 'RoleBinding' ? 'namespaces/default/rolebindings' : `${o.kind.toLowerCase()}s`}/${o.metadata.name}`,
      query: { fieldManager: 'test', force: 'true' },
      body: { apiVersion: rbac, ...o },
      contentType: 'application/apply-patch+yaml',
      what: `rbac ${o.metadata.name}`,
    });
  }
}

describe.skipIf(skipReason)('a namespace-scoped user (real API server)', () => {
  const suite = useControlPlane();
  beforeAll(async () => {
    await grant(suite().admin);
  }, 60_000);

  it('deploy-versions into an existing namespace does not write the Namespace (no `patch namespaces` needed)', async () => {
    const { cp, connect } = suite();
    const restricted = await connect({ kubeconfig: cp.restrictedKubeconfig });
    const logs: string[] = [];
    await deployVersionsStep.run(
      testContext({
        config: exampleConfig(),
        io: { cluster: restricted, exec: noExec },
        log: (l) => logs.push(l),
      }),
    );
    expect(logs.filter((l) => !l.startsWith('not waiting'))).toEqual([
      'created    Deployment/default/flask-v1',
      'created    Deployment/default/flask-v2',
      'created    Service/default/flask',
    ]);
  });

  it('preflight finds that a new namespace cannot be created with server-side apply (create without patch)', async () => {
    const { cp, connect } = suite();
    const restricted = await connect({ kubeconfig: cp.restrictedKubeconfig });
    const config = exampleConfig();
    config.namespace = 'brand-new';
    const lines: string[] = [];
    const err = await runPreflight(restricted, config, (l) => lines.push(l)).catch((e) => e);
    expect(err.message).toMatch(/^preflight failed/);
    expect(lines).toContain(
      'FAIL  permission missing: cannot patch namespaces (cluster-wide) — fix: ask a cluster admin for a Role/ClusterRole granting "patch" on namespaces, or use another --context',
    );
    expect(lines.some((l) => l.includes('cannot create namespaces'))).toBe(false);
  });

  it('deploy-versions does not offer the istio-injection label to a user who may not patch the namespace', async () => {
    const { cp, connect } = suite();
    const restricted = await connect({ kubeconfig: cp.restrictedKubeconfig });
    const logs: string[] = [];
    const asked: string[] = [];
    await deployVersionsStep.run(
      testContext({
        config: exampleConfig(),
        io: { cluster: restricted, exec: noExec },
        flags: { yes: false },
        outputs: {
          preflight: {
            context: 'envtest-restricted',
            server: cp.server,
            apiVersion: 'networking.istio.io/v1',
            sidecarInjection: false,
            clusterKind: 'other',
          },
        },
        log: (l) => logs.push(l),
        ask: async (m) => {
          asked.push(m);
          return true;
        },
      }),
    );
    expect(asked).toEqual([]);
    expect(logs[0]).toBe(
      'no permission to label namespace default: pods run without the sidecar unless an admin runs kubectl label namespace default istio-injection=enabled',
    );
  });
});
