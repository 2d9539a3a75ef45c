// Waiting for a Deployment's rollout like `kubectl rollout status`, and when it does not finish, saying why in
// the words of the pods and events (image pull, crash loop, scheduling, missing sidecar, no pods at all).
import { InterruptedError, WizardError } from '../../errors.js';
import { sleep } from '../../lib/async.js';
import { injectionEnabled } from '../../manifests/labels.js';
import type { K8sObject } from '../../manifests/types.js';
import type { ListQuery, ObjectRef, RolloutWaitOptions } from '../types.js';

export interface RolloutReader {
  get(ref: ObjectRef): Promise<K8sObject | undefined>;
  list(q: ListQuery): Promise<K8sObject[]>;
  /** The container's log (its previous instance's with `previous`), last `tailLines` lines; where logs can be read. */
  podLog?(
    namespace: string,
    pod: string,
    container: string,
    opts: { previous: boolean; tailLines: number },
  ): Promise<string>;
}

const POLL_MS = 1000;
/**
 * A container the kubelet has restarted this often and now backs off (CrashLoopBackOff) will not come up by
 * itself: the wait stops there and says why instead of waiting out --wait-timeout.
 */
export const CRASH_LOOP_RESTARTS = 2;
/** Log lines shown per crashing container (each cut at LOG_LINE_CHARS). */
const LOG_LINES = 5;
const LOG_LINE_CHARS = 200;

/** Why a Deployment's rollout is not complete yet, or undefined when it is. */
export function rolloutPending(dep: K8sObject | undefined): string | undefined {
  if (!dep) return 'the Deployment does not exist';
  const want = dep.spec?.replicas ?? 1;
  const st = dep.status ?? {};
  if ((st.observedGeneration ?? 0) < ((dep.metadata as { generation?: number }).generation ?? 0)) {
    return 'waiting for the Deployment controller to see the new spec';
  }
  const updated = st.updatedReplicas ?? 0;
  const available = st.availableReplicas ?? 0;
  const total = st.replicas ?? 0;
  if (updated < want) return `${updated}/${want} replicas updated`;
  if (total > updated) return `${total - updated} old replicas pending termination`;
  if (available < want) return `${available}/${want} replicas available`;
  return undefined;
}

/** The first container of these pods that crash-loops (CRASH_LOOP_RESTARTS restarts, now backing off), if any. */
export function crashLooping(pods: K8sObject[]): string | undefined {
  for (const pod of pods) {
    for (const c of (pod.status?.containerStatuses ?? []) as ContainerStatus[]) {
      if (c.state?.waiting?.reason === 'CrashLoopBackOff' && (c.restartCount ?? 0) >= CRASH_LOOP_RESTARTS)
        return `container ${c.name} of pod ${pod.metadata.name} is in CrashLoopBackOff`;
    }
  }
  return undefined;
}

function podSelector(dep: K8sObject): string {
  return Object.entries((dep.spec?.selector?.matchLabels ?? {}) as Record<string, string>)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function deadlineExceeded(dep: K8sObject | undefined): boolean {
  const conds: { type: string; reason?: string }[] = dep?.status?.conditions ?? [];
  return conds.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
}

export async function waitForRollout(
  cluster: RolloutReader,
  namespace: string,
  name: string,
  opts: RolloutWaitOptions,
): Promise<void> {
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name };
  const start = Date.now();
  const label = `rollout of deployment ${namespace}/${name}`;
  for (;;) {
    if (opts.signal?.aborted) throw new InterruptedError();
    const dep = await cluster.get(ref);
    const pending = rolloutPending(dep);
    const elapsedMs = Date.now() - start;
    if (!pending) return;
    opts.onProgress?.({ label: `${label}: ${pending}`, elapsedMs, timeoutMs: opts.timeoutMs });
    if (elapsedMs >= opts.timeoutMs || deadlineExceeded(dep)) {
      throw await rolloutFailure(cluster, namespace, name, dep, pending, opts.timeoutMs);
    }
    // Every replica is of the new spec but not all are available: if one of them crash-loops, waiting is futile.
    if (dep && pending.endsWith('available')) {
      const pods = await cluster.list({
        apiVersion: 'v1',
        kind: 'Pod',
        namespace,
        labelSelector: podSelector(dep),
      });
      const crash = crashLooping(pods);
      if (crash) throw await rolloutFailure(cluster, namespace, name, dep, crash, opts.timeoutMs, elapsedMs);
    }
    await sleep(Math.min(POLL_MS, Math.max(0, opts.timeoutMs - elapsedMs)), opts.signal);
  }
}

interface ContainerStatus {
  name: string;
  image?: string;
  ready?: boolean;
  restartCount?: number;
  state?: {
    waiting?: { reason?: string; message?: string };
    terminated?: { reason?: string; exitCode?: number };
  };
  lastState?: { terminated?: { reason?: string; exitCode?: number } };
}

interface EventLike {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  involvedObject?: { kind?: string; name?: string };
  lastTimestamp?: string;
  eventTime?: string;
}

/** The readable report thrown on timeout. Exported for tests of the wording. */
export async function rolloutFailure(
  cluster: RolloutReader,
  namespace: string,
  name: string,
  dep: K8sObject | undefined,
  pending: string,
  timeoutMs: number,
  /** set when the wait stopped early (a crash loop), not at the timeout */
  stoppedAfterMs?: number,
): Promise<WizardError> {
  const head =
    stoppedAfterMs === undefined
      ? `deployment ${namespace}/${name} did not become ready within ${Math.round(timeoutMs / 1000)}s (${pending})`
      : `deployment ${namespace}/${name} will not become ready: ${pending} (stopped waiting after ${Math.round(stoppedAfterMs / 1000)}s)`;
  if (!dep) return new WizardError(head, undefined, 'was the deploy-versions step applied?');

  const selector = podSelector(dep);
  const [pods, events, ns] = await Promise.all([
    cluster.list({ apiVersion: 'v1', kind: 'Pod', namespace, labelSelector: selector }),
    cluster.list({ apiVersion: 'v1', kind: 'Event', namespace }).catch(() => [] as K8sObject[]),
    cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace }).catch(() => undefined),
  ]);
  const evs = events as unknown as EventLike[];
  const lines: string[] = [];
  const hints = new Set<string>();

  if (pods.length === 0) {
    lines.push(`no pods created for selector ${selector}: is a controller-manager running?`);
    for (const e of evs.filter(
      (e) => e.involvedObject?.kind === 'ReplicaSet' && e.involvedObject.name?.startsWith(`${name}-`),
    )) {
      lines.push(`  event ${e.reason}: ${e.message}`);
    }
    hints.add(`check ReplicaSet events: kubectl describe replicaset -n ${namespace} -l ${selector}`);
  }

  const nsLabels = (ns?.metadata.labels ?? {}) as Record<string, string>;
  const injection = injectionEnabled(nsLabels);

  for (const pod of pods) {
    const podName = pod.metadata.name;
    const phase = pod.status?.phase ?? 'Unknown';
    const statuses: ContainerStatus[] = [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ];
    const reasons: string[] = [];
    const logs: string[] = [];
    for (const c of statuses) {
      const w = c.state?.waiting;
      if (
        w?.reason === 'ImagePullBackOff' ||
        w?.reason === 'ErrImagePull' ||
        w?.reason === 'InvalidImageName'
      ) {
        reasons.push(
          `container ${c.name}: ${w.reason} for image ${c.image ?? '?'}${w.message ? ` (${w.message})` : ''}`,
        );
        hints.add(
          `the node cannot pull ${c.image ?? 'the image'}: build and load it into the cluster (build-image step: kind load / minikube image load / k3d image import) or push it to a registry the nodes can reach`,
        );
      } else if (w?.reason === 'CrashLoopBackOff') {
        const last = c.lastState?.terminated;
        reasons.push(
          `container ${c.name}: CrashLoopBackOff, ${c.restartCount ?? 0} restarts${last ? ` (last exit code ${last.exitCode}${last.reason ? `, ${last.reason}` : ''})` : ''}`,
        );
        const log = await lastLogLines(cluster, namespace, podName, c.name);
        if (log !== undefined)
          logs.push(
            `  container ${c.name}'s last log lines${log.length ? ':' : ': (none)'}`,
            ...log.map((l) => `    | ${l}`),
          );
        hints.add(`see why it crashes: kubectl logs -n ${namespace} ${podName} -c ${c.name} --previous`);
      } else if (w?.reason) {
        reasons.push(`container ${c.name}: ${w.reason}${w.message ? ` (${w.message})` : ''}`);
      } else if (c.ready === false && c.state && 'running' in c.state) {
        reasons.push(`container ${c.name}: running but not ready (readiness probe failing?)`);
      }
    }
    const sched = (
      (pod.status?.conditions ?? []) as { type: string; status: string; reason?: string; message?: string }[]
    ).find((c) => c.type === 'PodScheduled' && c.status === 'False');
    if (sched) {
      reasons.push(`not scheduled: ${sched.reason ?? ''}${sched.message ? ` (${sched.message})` : ''}`);
      hints.add('no node can run the pod: check node resources/taints (kubectl describe pod)');
    } else if (phase === 'Pending' && !pod.spec?.nodeName && statuses.length === 0) {
      reasons.push('Pending: not scheduled to a node yet (is a scheduler running?)');
    }
    if (injection) {
      const names = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map(
        (c: { name: string }) => c.name,
      );
      if (!names.includes('istio-proxy')) {
        reasons.push('no istio-proxy sidecar although injection is enabled on the namespace');
        hints.add(
          `is istiod running (the injection webhook)? then restart: kubectl rollout restart deployment -n ${namespace} ${name}`,
        );
      }
    }
    const ready = statuses.length > 0 && statuses.every((c) => c.ready) && phase === 'Running';
    if (ready && reasons.length === 0) continue;
    lines.push(`pod ${podName}: ${phase}${reasons.length ? ` — ${reasons.join('; ')}` : ''}`, ...logs);
    const podEvents = evs
      .filter(
        (e) => e.involvedObject?.kind === 'Pod' && e.involvedObject.name === podName && e.type === 'Warning',
      )
      .slice(-3);
    for (const e of podEvents)
      lines.push(`  event ${e.reason}: ${e.message}${e.count && e.count > 1 ? ` (×${e.count})` : ''}`);
  }
  if (lines.length === 0) lines.push('all pods look ready; the Deployment status has not caught up yet');
  return new WizardError(
    `${head}\n${lines.map((l) => `  ${l}`).join('\n')}`,
    undefined,
    [...hints].join('; ') || undefined,
  );
}

/** The crashed instance's last log lines (the current one's if there is no previous), or why they cannot be read. */
async function lastLogLines(
  cluster: RolloutReader,
  namespace: string,
  pod: string,
  container: string,
): Promise<string[] | undefined> {
  const podLog = cluster.podLog?.bind(cluster);
  if (!podLog) return undefined;
  const read = (previous: boolean) => podLog(namespace, pod, container, { previous, tailLines: LOG_LINES });
  let text: string;
  try {
    text = await read(true).catch(() => read(false));
  } catch (e) {
    // Said, not hidden: the user then knows to run kubectl logs themselves, and why this could not.
    return [`(unreadable: ${(e as Error).message.split('\n')[0]})`];
  }
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '')
    .slice(-LOG_LINES)
    .map((l) => (l.length > LOG_LINE_CHARS ? `${l.slice(0, LOG_LINE_CHARS)}…` : l));
}
