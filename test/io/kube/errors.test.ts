// How API errors are worded and classified (no API server needed): conflicts name the other manager, 422 causes
// are listed, transient statuses are retried.
import { describe, expect, it } from 'vitest';
import { apiError, isTransientStatus, managerOf, typedPatchError } from '../../../src/io/kube/errors.js';

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
