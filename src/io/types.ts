// Every side effect the wizard has — on the cluster, on processes, on the network — goes through Io.
// Dry-run is a kind of Io (helm's printing client, kubeadm's dry-run client), not `if (dryRun)` inside steps: the
// client dry-run's cluster records what would be applied (src/io/recording.ts), the server dry-run's sends
// dryRun=All.
import type { K8sObject } from '../manifests/types.js';
import type { ProgressInfo } from '../steps/types.js';

export type ApplyOutcome = 'created' | 'configured' | 'unchanged';

export interface ApplyResult {
  /** `Kind/namespace/name` (or `Kind/name` for cluster-scoped objects). */
  ref: string;
  outcome: ApplyOutcome;
  /** Side facts worth a log line, e.g. `namespace demo created` or what a server dry-run could not validate. */
  notes?: string[];
}

/** Identifies one object: what get/delete/teardown take. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** A list query: `labelSelector`/`fieldSelector` use the API server's syntax (`a=b,c=d`). */
export interface ListQuery {
  apiVersion: string;
  kind: string;
  /** Absent: all namespaces (or a cluster-scoped kind). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Metadata only (labels, managedFields, resourceVersion): no spec, no status, no secret data. */
  metadataOnly?: boolean;
}

/**
 * One access question: about the wizard's own user (SelfSubjectAccessReview), or with `user` about another one —
 * e.g. the gateway's service account, asked as istiod asks it (SubjectAccessReview). `group` '' is the core group.
 */
export interface AccessQuestion {
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
  user?: string;
}

export interface AccessAnswer {
  allowed: boolean;
  /** The authorizer's reason or evaluation error, when it gave one. */
  reason?: string;
}

export interface ServerVersion {
  /** e.g. v1.34.4 */
  gitVersion: string;
  platform?: string;
}

export interface RolloutWaitOptions {
  timeoutMs: number;
  onProgress?: (p: ProgressInfo) => void;
  signal?: AbortSignal;
}

export interface ClusterTarget {
  /** kube context name ('' when there is no cluster: a client dry-run). */
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
  /** Whether writes persist: false in both dry-runs (nothing rolls out, so there is nothing to wait for). */
  readonly persists: boolean;
  /** Server-side apply with field manager `istio-ingress-wizard`. */
  apply(obj: K8sObject, opts?: { forceConflicts?: boolean }): Promise<ApplyResult>;
  /** Returns 'absent' when the object does not exist (teardown is idempotent). */
  delete(ref: ObjectRef): Promise<'deleted' | 'absent'>;

  // Reads (preflight, rollout, teardown). The recording (client dry-run) cluster answers "nothing there".
  serverVersion(): Promise<ServerVersion>;
  /** Versions of an API group the server serves (`['v1', 'v1beta1']`), preferred first; [] when the group is absent. */
  servedVersions(group: string): Promise<string[]>;
  /** undefined when the object does not exist. */
  get(ref: ObjectRef): Promise<K8sObject | undefined>;
  list(query: ListQuery): Promise<K8sObject[]>;
  /** SelfSubjectAccessReview: may the current user do this? */
  accessReview(q: AccessQuestion): Promise<AccessAnswer>;
  /**
   * Waits until the Deployment's rollout is complete (observedGeneration ≥ generation, updated/available replicas ==
   * replicas). On timeout throws a WizardError saying which pods are not ready and why. Returns at once on a
   * cluster that persists nothing (target().persists false).
   */
  waitForRollout(namespace: string, name: string, opts: RolloutWaitOptions): Promise<void>;
  /** Creates the namespace, only its name, when it does not exist (it is not ours to label or delete). */
  ensureNamespace(name: string): Promise<'created' | 'exists'>;
  /** Sets `istio-injection=enabled` on a namespace (offered by the TUI when preflight warns). */
  labelNamespaceForInjection(namespace: string): Promise<void>;
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
