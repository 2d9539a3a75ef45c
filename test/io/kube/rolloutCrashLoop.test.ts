// The rollout wait's crash-loop logic without a cluster: when a container of the new spec crash-loops the wait
// stops early (it will not come up by itself) and the report names the container, its exit code and its last log
// lines; an in-memory reader stands in for the API server (the real kubelet's crash loop: test/stack/breakages).
import { describe, expect, it } from 'vitest';
import { WizardError } from '../../../src/errors.js';
import { CRASH_LOOP_RESTARTS, crashLooping, waitForRollout } from '../../../src/io/kube/rollout.js';
import type { ListQuery, ObjectRef } from '../../../src/io/types.js';
import type { K8sObject } from '../../../src/manifests/types.js';

const crashing = (restarts: number, reason = 'CrashLoopBackOff'): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'flask-v1-abc', namespace: 'default', labels: { app: 'flask', version: 'v1' } },
  spec: { nodeName: 'n' },
  status: {
    phase: 'Running',
    containerStatuses: [
      {
        name: 'flask',
        image: 'r/flask:bad',
        ready: false,
        restartCount: restarts,
        state: { waiting: { reason, message: 'back-off 20s restarting failed container' } },
        lastState: { terminated: { exitCode: 3, reason: 'Error' } },
      },
    ],
  },
});

const deployment: K8sObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'flask-v1', namespace: 'default', generation: 1 } as K8sObject['metadata'],
  spec: { replicas: 1, selector: { matchLabels: { app: 'flask', version: 'v1' } } },
  status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 0 },
};

describe('crashLooping', () => {
  it(`names the container once it has restarted ${CRASH_LOOP_RESTARTS} times and backs off`, () => {
    expect(crashLooping([crashing(CRASH_LOOP_RESTARTS)])).toBe(
      'container flask of pod flask-v1-abc is in CrashLoopBackOff',
    );
  });
  it('not on the first restart, nor for other waiting reasons', () => {
    expect(crashLooping([crashing(CRASH_LOOP_RESTARTS - 1)])).toBeUndefined();
    expect(crashLooping([crashing(9, 'ContainerCreating')])).toBeUndefined();
  });
});

describe('waitForRollout on a crash loop', () => {
  it('stops before the timeout with the exit code and the last log lines of the crashed instance', async () => {
    const asked: { previous: boolean; tailLines: number }[] = [];
    const reader = {
      get: async (ref: ObjectRef) => (ref.kind === 'Deployment' ? deployment : undefined),
      list: async (q: ListQuery) => (q.kind === 'Pod' ? [crashing(3)] : []),
      podLog: async (_ns: string, _pod: string, _c: string, o: { previous: boolean; tailLines: number }) => {
        asked.push(o);
        return 'starting\nTraceback (most recent call last):\nModuleNotFoundError: No module named flask\n';
      },
    };
    const err = (await waitForRollout(reader, 'default', 'flask-v1', { timeoutMs: 60_000 }).catch(
      (e) => e,
    )) as WizardError;
    expect(err).toBeInstanceOf(WizardError);
    expect(err.exitCode).toBe(1);
    expect(err.message).toMatch(
      /^deployment default\/flask-v1 will not become ready: container flask of pod flask-v1-abc is in CrashLoopBackOff/,
    );
    expect(err.message).toContain('container flask: CrashLoopBackOff, 3 restarts (last exit code 3, Error)');
    expect(err.message).toContain(
      "container flask's last log lines:\n      | starting\n      | Traceback (most recent call last):\n      | ModuleNotFoundError: No module named flask",
    );
    expect(asked[0]).toEqual({ previous: true, tailLines: 5 });
  });

  it('without log access the report still names the crash loop and exit code, and says why no log', async () => {
    const reader = {
      get: async () => deployment,
      list: async (q: ListQuery) => (q.kind === 'Pod' ? [crashing(4)] : []),
      podLog: async () => Promise.reject(new Error('forbidden')),
    };
    const err = (await waitForRollout(reader, 'default', 'flask-v1', { timeoutMs: 60_000 }).catch(
      (e) => e,
    )) as WizardError;
    expect(err.message).toContain('CrashLoopBackOff, 4 restarts (last exit code 3, Error)');
    expect(err.message).toContain("container flask's last log lines:\n      | (unreadable: forbidden)");
  });
});
