// Rollout wait against a real API server. There is no controller-manager or kubelet: the test plays them,
// writing Deployment and Pod status through the status subresources, and Events, like they would.
// The wait ending on real readiness probes runs on the real node (test/stack/flow/tutorial.test.ts and every stack
// test's `wizard --yes`); these hand-written statuses stay for what the real tier cannot be made to show:
// - the first progress state ("waiting for the Deployment controller to see the new spec"), which a real
//   controller-manager passes within milliseconds: the loop's state machine, not the outcome;
// - ImagePullBackOff with a kind cluster's `kind load` hint (kind cannot run here; the stack's node pulls from its
//   loopback registry), CrashLoopBackOff with an exact restart count and exit code, Unschedulable, and a missing
//   sidecar in an injection-enabled namespace (the stack runs no injection webhook and one node with room);
// - no pods at all because no controller-manager runs (the stack always runs one), and a missing Deployment.
import { describe, expect, it } from 'vitest';
import { WizardError } from '../../../src/errors.js';
import type { LiveCluster } from '../../../src/io/kube/live.js';
import { buildDeployments } from '../../../src/manifests/deployments.js';
import type { K8sObject } from '../../../src/manifests/types.js';
import { deployVersionsStep } from '../../../src/steps/deploy-versions.js';
import type { ProgressInfo } from '../../../src/steps/types.js';
import { meta, skipReason, useControlPlane } from '../../support/apiserver.js';
import { exampleConfig } from '../../support/configs.js';
import { noExec, testContext } from '../../support/context.js';
import { writeStatus } from '../../support/gatewayStandIn.js';

async function deploy(admin: LiveCluster, namespace: string, app: string): Promise<K8sObject[]> {
  const cfg = exampleConfig();
  cfg.namespace = namespace;
  cfg.app = app;
  const deps = buildDeployments(cfg);
  for (const d of deps) await admin.apply(d);
  return deps;
}

/** A pod of the Deployment, with the status a kubelet would write. */
async function pod(
  admin: LiveCluster,
  dep: K8sObject,
  name: string,
  status: Record<string, unknown>,
  containers = dep.spec.template.spec.containers,
) {
  const namespace = dep.metadata.namespace as string;
  await admin.apply({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: dep.spec.template.metadata.labels },
    spec: { nodeName: 'node-1', containers },
  });
  await writeStatus(admin, { apiVersion: 'v1', kind: 'Pod', namespace, name }, status);
}

async function event(
  admin: LiveCluster,
  namespace: string,
  podName: string,
  reason: string,
  message: string,
) {
  await admin.request({
    method: 'POST',
    path: `/api/v1/namespaces/${namespace}/events`,
    body: {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${podName}.${Date.now()}`, namespace },
      involvedObject: { kind: 'Pod', name: podName, namespace, apiVersion: 'v1' },
      type: 'Warning',
      reason,
      message,
      count: 4,
      source: { component: 'kubelet' },
      firstTimestamp: new Date().toISOString(),
      lastTimestamp: new Date().toISOString(),
    },
    what: 'create event',
  });
}

describe.skipIf(skipReason)('rollout wait (real API server)', () => {
  const suite = useControlPlane();

  it('returns once the Deployment status says the rollout is complete', async () => {
    const { admin } = suite();
    const [dep] = await deploy(admin, 'default', 'ok');
    const name = dep?.metadata.name as string;
    const progress: ProgressInfo[] = [];
    const waiting = admin.waitForRollout('default', name, {
      timeoutMs: 30_000,
      onProgress: (p) => progress.push(p),
    });
    await new Promise((r) => setTimeout(r, 1500));
    const generation = meta(
      await admin.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name }),
    ).generation;
    await writeStatus(
      admin,
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name },
      {
        observedGeneration: generation,
        replicas: 1,
        updatedReplicas: 1,
        readyReplicas: 1,
        availableReplicas: 1,
      },
    );
    await expect(waiting).resolves.toBeUndefined();
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]?.label).toBe(
      `rollout of deployment default/${name}: waiting for the Deployment controller to see the new spec`,
    );
    expect(progress[0]?.timeoutMs).toBe(30_000);
  });

  it('times out with the pods’ reasons: ImagePullBackOff with the image, and the event', async () => {
    const { admin } = suite();
    const [dep] = await deploy(admin, 'default', 'pull');
    const podName = 'pull-v1-abc12-xyz34';
    await pod(admin, dep as K8sObject, podName, {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'True' }],
      containerStatuses: [
        {
          name: 'pull',
          image: 'python-flask-server:v2',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: {
            waiting: {
              reason: 'ImagePullBackOff',
              message: 'Back-off pulling image "python-flask-server:v2"',
            },
          },
        },
      ],
    });
    await event(
      admin,
      'default',
      podName,
      'Failed',
      'Failed to pull image "python-flask-server:v2": pull access denied',
    );
    const err = await admin.waitForRollout('default', 'pull-v1', { timeoutMs: 1500 }).catch((e) => e);
    expect(err).toBeInstanceOf(WizardError);
    expect(err.message).toContain('deployment default/pull-v1 did not become ready within 2s');
    expect(err.message).toContain(
      `pod ${podName}: Pending — container pull: ImagePullBackOff for image python-flask-server:v2`,
    );
    expect(err.message).toContain(
      'event Failed: Failed to pull image "python-flask-server:v2": pull access denied (×4)',
    );
    expect(err.hint).toMatch(/kind load/);
  });

  it('reports CrashLoopBackOff with the restart count', async () => {
    const { admin } = suite();
    const [dep] = await deploy(admin, 'default', 'crash');
    await pod(admin, dep as K8sObject, 'crash-v1-1', {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'crash',
          image: 'python-flask-server:v2',
          imageID: '',
          ready: false,
          restartCount: 7,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error' } },
        },
      ],
    });
    const err = await admin.waitForRollout('default', 'crash-v1', { timeoutMs: 1000 }).catch((e) => e);
    expect(err.message).toContain('container crash: CrashLoopBackOff, 7 restarts (last exit code 1, Error)');
    expect(err.hint).toContain('kubectl logs -n default crash-v1-1 -c crash --previous');
  });

  it('says when no pods exist at all (no controller-manager)', async () => {
    const { admin } = suite();
    await deploy(admin, 'default', 'nopods');
    const err = await admin.waitForRollout('default', 'nopods-v1', { timeoutMs: 500 }).catch((e) => e);
    expect(err.message).toContain(
      'no pods created for selector app=nopods,version=v1: is a controller-manager running?',
    );
    expect(err.hint).toContain('kubectl describe replicaset -n default -l app=nopods,version=v1');
  });

  it('notices a missing sidecar when the namespace has injection enabled, and unschedulable pods', async () => {
    const { admin } = suite();
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'meshed' } });
    await admin.labelNamespaceForInjection('meshed');
    const ns = await admin.get({ apiVersion: 'v1', kind: 'Namespace', name: 'meshed' });
    expect(ns?.metadata.labels?.['istio-injection']).toBe('enabled');
    const [dep] = await deploy(admin, 'meshed', 'side');
    await pod(admin, dep as K8sObject, 'side-v1-1', {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: '0/1 nodes are available: 1 Insufficient cpu.',
        },
      ],
    });
    const err = await admin.waitForRollout('meshed', 'side-v1', { timeoutMs: 500 }).catch((e) => e);
    expect(err.message).toContain(
      'not scheduled: Unschedulable (0/1 nodes are available: 1 Insufficient cpu.)',
    );
    expect(err.message).toContain('no istio-proxy sidecar although injection is enabled on the namespace');
  });

  it('a missing Deployment times out saying so', async () => {
    const { admin } = suite();
    const err = await admin.waitForRollout('default', 'ghost', { timeoutMs: 300 }).catch((e) => e);
    expect(err.message).toBe(
      'deployment default/ghost did not become ready within 0s (the Deployment does not exist)',
    );
  });

  it('deploy-versions waits for every version at once and reports each one that is not ready', async () => {
    const { admin } = suite();
    const config = exampleConfig();
    config.app = 'both';
    const logs: string[] = [];
    const err = await deployVersionsStep
      .run(
        testContext({
          config,
          io: { cluster: admin, exec: noExec },
          flags: { wait: true, waitTimeoutSeconds: 1 },
          log: (l) => logs.push(l),
        }),
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(WizardError);
    expect(err.message).toContain('deployment default/both-v1 did not become ready within 1s');
    expect(err.message).toContain('deployment default/both-v2 did not become ready within 1s');
    expect(err.message).toContain('no pods created for selector app=both,version=v2');
    expect(err.hint).toContain('kubectl describe replicaset -n default -l app=both,version=v1');
    expect(err.hint).toContain('kubectl describe replicaset -n default -l app=both,version=v2');
  });
});
