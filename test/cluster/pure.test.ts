// The pure parts of the cluster layer (no API server): wording, derivations, classifications.
import { describe, expect, it } from 'vitest';
import { apiError, isTransientStatus, managerOf, typedPatchError } from '../../src/io/kube/errors.js';
import { rolloutPending } from '../../src/io/kube/rollout.js';
import type { K8sObject } from '../../src/manifests/types.js';
import { plannedRefs } from '../../src/plan/objects.js';
import { detectClusterKind } from '../../src/steps/preflight/clusterKind.js';
import { foreignManagers } from '../../src/steps/preflight/ownership.js';
import { accessQuestions, describeQuestion } from '../../src/steps/preflight/permissions.js';
import { fail, formatCheck, pass, warn } from '../../src/steps/preflight/result.js';
import { exampleConfig } from './configs.js';

const target = { context: 'ctx', server: 'https://k:6443', auth: 'token' as const };

describe('error wording', () => {
  it('names the other field manager of an apply conflict', () => {
    const e = apiError(
      409,
      {
        kind: 'Status',
        reason: 'Conflict',
        message: 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas',
        details: {
          causes: [
            {
              reason: 'FieldManagerConflict',
              message: 'conflict with "kubectl-edit" using apps/v1',
              field: '.spec.replicas',
            },
          ],
        },
      },
      'apply Deployment/default/flask-v1',
      target,
    );
    expect(e.message).toBe(
      'apply Deployment/default/flask-v1: field conflict with another manager: .spec.replicas is owned by "kubectl-edit"',
    );
    expect(e.hint).toContain('--force-conflicts');
    expect(managerOf('nothing to see')).toBe('nothing to see');
  });

  it('lists 422 field causes', () => {
    const e = apiError(
      422,
      {
        reason: 'Invalid',
        message: 'x',
        details: {
          causes: [
            { field: 'spec.replicas', message: 'Invalid value: -1: must be greater than or equal to 0' },
          ],
        },
      },
      'apply Deployment/d/n',
      target,
    );
    expect(e.message).toBe(
      'apply Deployment/d/n: rejected by the API server (422 Invalid): spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it('a typed-patch 500 is permanent; other 5xx and 429 are transient; 4xx are not', () => {
    const body = {
      message:
        'failed to create typed patch object (d/n; apps/v1, Kind=Deployment): .spec.replicas: expected numeric (int or float), got string',
    };
    expect(typedPatchError(body)).toBe('.spec.replicas: expected numeric (int or float), got string');
    expect(isTransientStatus(500, body)).toBe(false);
    expect(
      [429, 500, 502, 503, 504].map((s) => isTransientStatus(s, { message: 'etcdserver: leader changed' })),
    ).toEqual([true, true, true, true, true]);
    expect([400, 401, 403, 404, 409, 422].some((s) => isTransientStatus(s))).toBe(false);
  });
});

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

describe('preflight pieces', () => {
  it('detects kind / minikube / k3d from the context name', () => {
    expect(detectClusterKind('kind-demo')).toEqual({ clusterKind: 'kind', clusterName: 'demo' });
    expect(detectClusterKind('minikube')).toEqual({ clusterKind: 'minikube', clusterName: 'minikube' });
    expect(detectClusterKind('k3d-dev')).toEqual({ clusterKind: 'k3d', clusterName: 'dev' });
    expect(detectClusterKind('gke_proj_zone_c')).toEqual({ clusterKind: 'other' });
    expect(detectClusterKind('kind-')).toEqual({ clusterKind: 'other' });
  });

  it('formats results with words', () => {
    expect(formatCheck(pass('ok'))).toBe('PASS  ok');
    expect(formatCheck(warn('hmm', 'do x'))).toBe('WARN  hmm — fix: do x');
    expect(formatCheck(fail('no'))).toBe('FAIL  no');
  });

  it('asks for every verb the plan needs, including secrets in the gateway namespace', () => {
    const cfg = exampleConfig();
    const qs = accessQuestions(plannedRefs(cfg, 'networking.istio.io/v1'), {
      gatewayNamespace: 'istio-system',
      appNamespace: 'default',
      createNamespace: true,
    }).map(describeQuestion);
    for (const verb of ['get', 'create', 'patch']) {
      expect(qs).toContain(`${verb} deployments.apps in namespace default`);
      expect(qs).toContain(`${verb} services in namespace default`);
      expect(qs).toContain(`${verb} gateways.networking.istio.io in namespace default`);
      expect(qs).toContain(`${verb} secrets in namespace istio-system`);
    }
    expect(qs).toContain('create namespaces (cluster-wide)');
    expect(qs).toContain('patch namespaces (cluster-wide)');
    expect(qs).toContain('list pods in namespace istio-system');
    expect(new Set(qs).size).toBe(qs.length);
  });

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
