import { describe, expect, it } from 'vitest';
import { detectClusterKind } from '../../src/plan/clusterKind.js';

describe('detectClusterKind', () => {
  it('detects kind / minikube / k3d from the context name', () => {
    expect(detectClusterKind('kind-demo')).toEqual({ clusterKind: 'kind', clusterName: 'demo' });
    expect(detectClusterKind('minikube')).toEqual({ clusterKind: 'minikube', clusterName: 'minikube' });
    expect(detectClusterKind('k3d-dev')).toEqual({ clusterKind: 'k3d', clusterName: 'dev' });
    expect(detectClusterKind('gke_proj_zone_c')).toEqual({ clusterKind: 'other' });
    expect(detectClusterKind('kind-')).toEqual({ clusterKind: 'other' });
  });
});
