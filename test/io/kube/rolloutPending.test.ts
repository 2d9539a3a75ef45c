// The rollout status words, kubectl rollout status's order of conditions (no API server needed).
import { describe, expect, it } from 'vitest';
import { rolloutPending } from '../../../src/io/kube/rollout.js';
import type { K8sObject } from '../../../src/manifests/types.js';

describe('rolloutPending', () => {
  const dep = (status: Record<string, number>, generation = 2, replicas = 2): K8sObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', generation } as K8sObject['metadata'],
    spec: { replicas },
    status,
  });
  it('follows kubectl rollout status', () => {
    expect(rolloutPending(undefined)).toBe('the Deployment does not exist');
    expect(rolloutPending(dep({ observedGeneration: 1 }))).toBe(
      'waiting for the Deployment controller to see the new spec',
    );
    expect(rolloutPending(dep({ observedGeneration: 2, updatedReplicas: 1 }))).toBe('1/2 replicas updated');
    expect(rolloutPending(dep({ observedGeneration: 2, updatedReplicas: 2, replicas: 3 }))).toBe(
      '1 old replicas pending termination',
    );
    expect(
      rolloutPending(dep({ observedGeneration: 2, updatedReplicas: 2, replicas: 2, availableReplicas: 1 })),
    ).toBe('1/2 replicas available');
    expect(
      rolloutPending(dep({ observedGeneration: 2, updatedReplicas: 2, replicas: 2, availableReplicas: 2 })),
    ).toBeUndefined();
  });
});
