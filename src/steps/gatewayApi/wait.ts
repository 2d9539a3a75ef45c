// After apply: wait until the Gateway and every HTTPRoute read back as the spec says they should (Accepted,
// Programmed, each listener's and each route parent's conditions), with a visible timeout. A False condition that
// holds for a few seconds fails the step with its reason and fix instead of waiting out the timeout; the settle time
// keeps a controller's first, not yet complete pass from failing the run. Programmed is not proof that traffic
// flows: verify's live curl checks stay the proof.
import { InterruptedError, WizardError } from '../../errors.js';
import type { ClusterIo } from '../../io/types.js';
import { sleep } from '../../lib/async.js';
import type { K8sObject } from '../../manifests/types.js';
import type { ProgressInfo } from '../types.js';
import { formatProblem, type JudgeContext, judgeStatus, type StatusVerdict } from './status.js';

export interface WaitOptions extends JudgeContext {
  timeoutMs: number;
  /** How long a False condition must persist before the wait gives up on it. */
  settleMs?: number;
  pollMs?: number;
  onProgress?: (p: ProgressInfo) => void;
  signal?: AbortSignal;
}

const toRef = (o: K8sObject) => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  namespace: o.metadata.namespace,
  name: o.metadata.name,
});
const label = (o: K8sObject) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;

/** Waits on the applied Gateway + HTTPRoutes; resolves with the final verdict (ready) or throws a WizardError. */
export async function waitForGatewayApiStatus(
  cluster: Pick<ClusterIo, 'get'>,
  applied: readonly K8sObject[],
  opts: WaitOptions,
): Promise<StatusVerdict> {
  const gateway = applied.find((o) => o.kind === 'Gateway');
  const routes = applied.filter((o) => o.kind === 'HTTPRoute');
  if (!gateway) throw new WizardError('internal: no Gateway to wait for');
  const names = { gateway: label(gateway), routes: routes.map(label) };
  const settleMs = opts.settleMs ?? 3000;
  const pollMs = opts.pollMs ?? 500;
  const start = Date.now();
  let failingSince: number | undefined;
  let failingKey = '';
  for (;;) {
    if (opts.signal?.aborted) throw new InterruptedError();
    const [gw, ...rs] = await Promise.all([
      cluster.get(toRef(gateway)),
      ...routes.map((r) => cluster.get(toRef(r))),
    ]);
    const verdict = judgeStatus(gw, rs, names, opts);
    if (verdict.ready) return verdict;
    const elapsedMs = Date.now() - start;
    const key = verdict.problems.map(formatProblem).join('\n');
    if (verdict.problems.length === 0) failingSince = undefined;
    else if (key !== failingKey || failingSince === undefined) failingSince = Date.now();
    failingKey = key;
    // A route is ready when no pending or failing line names it (lines start with the object's Kind/ns/name).
    const lines = [...verdict.pending, ...verdict.problems.map((p) => p.where)];
    const accepted = names.routes.filter(
      (n) => !lines.some((l) => l === n || l.startsWith(`${n} `) || l.startsWith(`${n}:`)),
    ).length;
    opts.onProgress?.({
      label: `${names.gateway}: ${verdict.problems.length ? `${verdict.problems.length} condition(s) False` : (verdict.pending[0] ?? 'waiting')}; ${accepted}/${routes.length} routes ready`,
      elapsedMs,
      timeoutMs: opts.timeoutMs,
    });
    const settled = failingSince !== undefined && Date.now() - failingSince >= settleMs;
    if (settled || elapsedMs >= opts.timeoutMs)
      throw statusError(verdict, elapsedMs, opts.timeoutMs, settled);
    await sleep(Math.min(pollMs, Math.max(0, opts.timeoutMs - elapsedMs)), opts.signal);
  }
}

function statusError(v: StatusVerdict, elapsedMs: number, timeoutMs: number, settled: boolean): WizardError {
  const lines: string[] = [];
  if (v.problems.length) {
    lines.push(
      settled
        ? `the Gateway API status reports ${v.problems.length} False condition(s) after ${Math.round(elapsedMs / 1000)}s:`
        : `timed out after ${Math.round(timeoutMs / 1000)}s with ${v.problems.length} False condition(s):`,
    );
    for (const p of v.problems) lines.push(`  - ${formatProblem(p)}`);
  }
  if (!settled && v.pending.length) {
    lines.push(
      `${v.problems.length ? 'and still' : `timed out after ${Math.round(timeoutMs / 1000)}s,`} waiting on:`,
    );
    for (const p of v.pending.slice(0, 10)) lines.push(`  - ${p}`);
    if (v.pending.length > 10) lines.push(`  - … and ${v.pending.length - 10} more`);
  }
  return new WizardError(
    lines.join('\n'),
    undefined,
    v.problems.length
      ? 'fix the first condition above, then run `wizard --from apply-gateway`'
      : 'is istiod running and watching the Gateway API (kubectl get gatewayclass)? a longer --wait-timeout, or --no-wait, changes how long the wizard waits',
  );
}
