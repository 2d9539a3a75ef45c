// Which local cluster tool made this context (build-image loads the image into it): from the context name,
// which kind (`kind-NAME`), minikube (`minikube`) and k3d (`k3d-NAME`) set when they create a cluster.
import type { PreflightOutputs } from '../steps/types.js';

export function detectClusterKind(context: string): Pick<PreflightOutputs, 'clusterKind' | 'clusterName'> {
  if (context.startsWith('kind-') && context.length > 5)
    return { clusterKind: 'kind', clusterName: context.slice(5) };
  if (context === 'minikube') return { clusterKind: 'minikube', clusterName: 'minikube' };
  if (context.startsWith('k3d-') && context.length > 4)
    return { clusterKind: 'k3d', clusterName: context.slice(4) };
  return { clusterKind: 'other' };
}
