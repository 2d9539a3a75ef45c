// Where the built image goes: into a local cluster's nodes (kind, minikube, k3d) or pushed to a registry.
import type { LoadTarget, WizardConfig } from '../config/types.js';
import { detectClusterKind } from '../plan/clusterKind.js';
import type { PreflightOutputs } from '../steps/types.js';

export interface ShipTarget {
  target: LoadTarget;
  /** kind cluster name, minikube profile or k3d cluster name. */
  cluster?: string;
  /** Why this target: shown in the plan. */
  reason: string;
}

const DEFAULT_CLUSTER: Record<'kind' | 'minikube' | 'k3d', string> = {
  kind: 'kind',
  minikube: 'minikube',
  k3d: 'k3s-default',
};

/** The local cluster a kube context name implies, by the names kind, minikube and k3d give their contexts. */
export function clusterFromContext(
  context: string,
): { kind: 'kind' | 'minikube' | 'k3d'; name: string } | undefined {
  const { clusterKind, clusterName } = detectClusterKind(context);
  return clusterKind && clusterKind !== 'other'
    ? { kind: clusterKind, name: clusterName ?? DEFAULT_CLUSTER[clusterKind] }
    : undefined;
}

/**
 * `build.load` wins; else preflight's cluster kind; else the kube context's name (`context`: the one in use when
 * preflight did not run, e.g. `--from build-image`); else push. A configured kind/minikube/k3d load goes to the
 * detected cluster's name when it is of that kind.
 */
export function resolveShipTarget(
  config: WizardConfig,
  preflight: PreflightOutputs | undefined,
  context?: string,
): ShipTarget {
  const fromContext = preflight?.context ?? context;
  const detected =
    preflight?.clusterKind && preflight.clusterKind !== 'other'
      ? { kind: preflight.clusterKind, name: preflight.clusterName ?? DEFAULT_CLUSTER[preflight.clusterKind] }
      : fromContext
        ? clusterFromContext(fromContext)
        : undefined;
  const configured = config.build.load;
  if (configured) {
    if (configured === 'push' || configured === 'none') return { target: configured, reason: 'build.load' };
    // Use the detected cluster's name when it is of the configured kind, else that tool's default name.
    const cluster = detected?.kind === configured ? detected.name : DEFAULT_CLUSTER[configured];
    return { target: configured, cluster, reason: 'build.load' };
  }
  if (detected) {
    return {
      target: detected.kind,
      cluster: detected.name,
      reason: preflight?.clusterKind
        ? `preflight found a ${detected.kind} cluster`
        : `context ${fromContext}`,
    };
  }
  return {
    target: 'push',
    reason: preflight
      ? 'the cluster is not a local kind/minikube/k3d cluster'
      : 'no preflight outputs and no kube context (not detected)',
  };
}
