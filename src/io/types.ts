// Every side effect the wizard has — on the cluster, on processes, on the network — goes through Io.
// Dry-run is done by handing steps a different Io (kubeadm's way), not by `if (dryRun)` inside steps.
import type { K8sObject } from '../manifests/types.js';

export type ApplyOutcome = 'created' | 'configured' | 'unchanged';

export interface ApplyResult {
  /** `Kind/namespace/name` (or `Kind/name` for cluster-scoped objects). */
  ref: string;
  outcome: ApplyOutcome;
}

export interface ClusterTarget {
  /** kube context name ('' when offline). */
  context: string;
  server: string;
  /** Namespace the context points at, if any. */
  namespace?: string;
  offline: boolean;
}

/**
 * The cluster, as the steps see it. The live implementation (src/io/kube) uses @kubernetes/client-node and is
 * loaded lazily; `--dry-run=server` is the same implementation with the API server's dryRun=All.
 */
export interface ClusterIo {
  target(): ClusterTarget;
  /** Server-side apply with field manager `istio-ingress-wizard`. */
  apply(obj: K8sObject, opts?: { forceConflicts?: boolean }): Promise<ApplyResult>;
  /** Returns 'absent' when the object does not exist (teardown is idempotent). */
  delete(ref: { apiVersion: string; kind: string; namespace?: string; name: string }): Promise<'deleted' | 'absent'>;
  /** Further read methods (preflight, rollout wait) live on the live implementation: see src/io/kube. */
}

export interface ExecOptions {
  cwd?: string;
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
  /** Called for each output line as it arrives (streamed into the step's live output). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  signal?: AbortSignal;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Set when the command could not be started at all (ENOENT → not installed). */
  notFound?: boolean;
  timedOut?: boolean;
}

/** External commands: always an argument array (execa, never a shell string). */
export interface Exec {
  run(cmd: string, args: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Absolute path of a command on PATH, or undefined. */
  which(cmd: string): Promise<string | undefined>;
}

export interface Io {
  cluster: ClusterIo;
  exec: Exec;
}
