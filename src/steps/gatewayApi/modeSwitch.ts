// Switching `api` on a live cluster: the wizard's objects of the other mode that the current plan does not have
// (Istio's VirtualServices, Gateway and subset DestinationRule; or the Kubernetes Gateway, HTTPRoutes, per-version
// Services and their DestinationRules, the client-CA ConfigMap) would keep serving the same hosts. Preflight shows
// what will be removed and what replaces it; apply-gateway removes it only after the new objects are programmed,
// so the old routing keeps serving until the new one is ready. Objects both modes share (Deployments, the app
// Service, the TLS Secrets) are never touched.
import type { IstioApiVersion, RoutingApi, WizardConfig } from '../../config/types.js';
import { groupOf } from '../../io/kinds.js';
import { refKey as key, refString } from '../../io/ref.js';
import type { ClusterIo, ObjectRef } from '../../io/types.js';
import { sleep } from '../../lib/async.js';
import { GATEWAY_API_GROUP } from '../../manifests/gatewayApi/names.js';
import { ISTIO_GROUP, pickApiVersion } from '../../plan/istioApi.js';
import { findLabelled } from '../../plan/labelled.js';
import { refsForMode } from '../../plan/objects.js';

/** What the other mode plans that this one does not: the candidates for removal, in reverse apply order. */
export function otherModeRefs(config: WizardConfig, apiVersion: IstioApiVersion): ObjectRef[] {
  const other: RoutingApi = config.api === 'istio' ? 'gateway-api' : 'istio';
  const mine = new Set(refsForMode(config, config.api, apiVersion).map(key));
  return refsForMode(config, other, apiVersion)
    .filter((r) => !mine.has(key(r)))
    .reverse();
}

export interface ModeSwitchPlan {
  /** The other mode's objects that exist (with the wizard's label): removed after the new ones are programmed. */
  remove: ObjectRef[];
  /** This mode's routing objects that take over the same hosts. */
  replacedBy: ObjectRef[];
}

/** Finds the other mode's objects on the cluster (one labelled, metadata-only list per kind and namespace). */
export async function planModeSwitch(
  cluster: Pick<ClusterIo, 'list' | 'servedVersions'>,
  config: WizardConfig,
  apiVersion: IstioApiVersion,
): Promise<ModeSwitchPlan> {
  const candidates = otherModeRefs(config, apiVersion);
  const served = new Map<string, boolean>();
  for (const group of [ISTIO_GROUP, GATEWAY_API_GROUP]) {
    const versions = await cluster.servedVersions(group);
    served.set(group, group === ISTIO_GROUP ? !!pickApiVersion(versions, 'auto') : versions.includes('v1'));
  }
  // A kind the cluster does not serve cannot have objects.
  const servedRefs = candidates.filter((r) => served.get(groupOf(r.apiVersion)) !== false);
  const { present } = await findLabelled(cluster, servedRefs);
  const remove = candidates.filter((r) => present.has(key(r)));
  const routing = config.api === 'istio' ? ['Gateway', 'VirtualService'] : ['Gateway', 'HTTPRoute'];
  const replacedBy = remove.length
    ? refsForMode(config, config.api, apiVersion).filter(
        (r) =>
          routing.includes(r.kind) &&
          groupOf(r.apiVersion) === (config.api === 'istio' ? ISTIO_GROUP : GATEWAY_API_GROUP),
      )
    : [];
  return { remove, replacedBy };
}

/** Preflight's lines: what goes, what replaces it, and when. */
export function describeModeSwitch(config: WizardConfig, plan: ModeSwitchPlan): string[] {
  if (plan.remove.length === 0) return [];
  const from = config.api === 'istio' ? 'gateway-api' : 'istio';
  const when =
    config.api === 'gateway-api'
      ? 'after the new Gateway and routes are Accepted and Programmed (apply-gateway)'
      : 'after the Istio Gateway is applied (apply-gateway)';
  return [
    `switching from api: ${from} to api: ${config.api}: ${plan.remove.length} object(s) of the old mode will be removed ${when}, so both never serve the same hosts for longer than needed: ${plan.remove.map(refString).join(', ')}`,
    `replaced by: ${plan.replacedBy.map(refString).join(', ')}`,
  ];
}

/**
 * How long a gateway takes to receive a config change: measured 123–216 ms from a route change to the first correct
 * answer on a real istiod + Envoy; 2 s leaves room for a loaded control plane.
 */
export const DRAIN_MS = 2000;

/**
 * Deletes the old mode's objects: first its Gateway, after the new routing had time to reach the gateway — while
 * both serve a host, istiod keeps one of the two servers, so deleting the old routes first could leave that server
 * without routes (404) — then, once the old Gateway had time to leave the gateway, its routes and the backends they
 * pointed at (per-version Services, DestinationRules, the CA ConfigMap), which nothing serves any more.
 * `drainMs` 0 (a server dry-run) skips the pauses. Idempotent.
 */
export async function removeOldMode(
  cluster: Pick<ClusterIo, 'delete'>,
  plan: ModeSwitchPlan,
  from: RoutingApi,
  log: (line: string) => void,
  opts: { drainMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const drainMs = opts.drainMs ?? DRAIN_MS;
  const gateways = plan.remove.filter((r) => r.kind === 'Gateway');
  const rest = plan.remove.filter((r) => r.kind !== 'Gateway');
  const pause = async (why: string) => {
    if (drainMs <= 0) return;
    log(`waiting ${drainMs / 1000} s ${why}`);
    await sleep(drainMs, opts.signal);
  };
  const remove = async (refs: ObjectRef[]) => {
    for (const r of refs) {
      const outcome = await cluster.delete(r);
      log(`${outcome.padEnd(10)} ${refString(r)} (api: ${from}, replaced)`);
    }
  };
  // After a hand-over (handOver.ts) the old Gateway is gone already: this pause lets the exact hosts arrive first.
  await pause(
    gateways.length
      ? 'for the gateway to receive the new routing before the old Gateway goes'
      : 'for the gateway to receive the new routing before the old routes and backends go',
  );
  await remove(gateways);
  if (gateways.length && rest.length)
    await pause('for the gateway to drop the old Gateway before its routes and backends go');
  await remove(rest);
}
