// A mode switch hands each HTTPS host from the old Gateway to the new one without a failed request.
//
// Why a plain swap loses requests: each HTTPS server is its own Envoy filter chain (matched by SNI) with its own
// route configuration (`https.443.<port>.<gateway>.<ns>`) and certificate resource. While both Gateways list a
// host, istiod serves only the older one. When the old Gateway goes, istiod in one push sends Envoy a listener whose
// chain for the host names the new route and certificate, and — for the old route name, which Envoy still uses while
// the new chain warms — an empty route configuration ("Gateway missing for route … normal if gateway was recently
// deleted", pilot/pkg/networking/core/gateway.go). Until Envoy has fetched the new route, a request on the old
// chain gets 404: measured as 1–2 requests in ~150–450 during a switch on the real stack.
//
// The hand-over: first the new Gateway lists each HTTPS host as the wildcard of its parent domain (`*.example1.com`
// for flask.example1.com). That is not the same host to istiod, and a different SNI match to Envoy, so it does not
// clash with the old server: it becomes a live chain with the new route and certificate, already fetched, while the
// old exact-SNI chain keeps answering (Envoy prefers the exact match). When the old Gateway goes, the host falls to
// the warm wildcard chain at once; then the new Gateway is applied with the exact host, a chain whose route and
// certificate Envoy already has. Hosts that share a parent domain (a.example.com, b.example.com) would need the same
// wildcard (one listener, one certificate): they are swapped plainly, and the log says so.
import { httpsHosts } from '../../config/hosts.js';
import type { IstioApiVersion, WizardConfig } from '../../config/types.js';
import { refString } from '../../io/ref.js';
import { sleep } from '../../lib/async.js';
import type { K8sObject } from '../../manifests/types.js';
import type { StepContext } from '../types.js';
import { DRAIN_MS, type ModeSwitchPlan, planModeSwitch } from './modeSwitch.js';
import { waitForGatewayApiStatus } from './wait.js';

export interface HandOverHosts {
  /** host → the wildcard the new Gateway lists it as during the hand-over */
  warm: Map<string, string>;
  /** HTTPS hosts swapped without a warm chain, with why */
  cold: { host: string; why: string }[];
}

const parentWildcard = (host: string): string | undefined => {
  const labels = host.split('.');
  // A wildcard of a public suffix (`*.com`) or of a wildcard is no hand-over target.
  if (host.startsWith('*') || labels.length < 3) return undefined;
  return `*.${labels.slice(1).join('.')}`;
};

/** Which HTTPS hosts get a warm hand-over and under which wildcard (pure). */
export function handOverHosts(config: WizardConfig): HandOverHosts {
  const hosts = httpsHosts(config.hosts).map((h) => h.name);
  const names = new Set(config.hosts.map((h) => h.name));
  const byWildcard = new Map<string, string[]>();
  const cold: HandOverHosts['cold'] = [];
  for (const h of hosts) {
    const w = parentWildcard(h);
    if (!w) cold.push({ host: h, why: h.startsWith('*') ? 'a wildcard host' : 'no parent domain' });
    else if (names.has(w)) cold.push({ host: h, why: `the config lists ${w} itself` });
    else byWildcard.set(w, [...(byWildcard.get(w) ?? []), h]);
  }
  const warm = new Map<string, string>();
  for (const [w, hs] of byWildcard) {
    if (hs.length === 1) warm.set(hs[0] as string, w);
    else
      for (const h of hs)
        cold.push({ host: h, why: `shares ${w} with ${hs.filter((x) => x !== h).join(', ')}` });
  }
  return { warm, cold };
}

/** The Gateway as the hand-over applies it: each warm host's HTTPS listener or server under its wildcard (pure). */
export function handOverGateway(gateway: K8sObject, warm: Map<string, string>): K8sObject {
  const g = structuredClone(gateway);
  for (const l of (g.spec?.listeners ?? []) as { protocol: string; hostname?: string }[])
    if (l.protocol === 'HTTPS' && l.hostname && warm.has(l.hostname)) l.hostname = warm.get(l.hostname);
  for (const s of (g.spec?.servers ?? []) as { port: { protocol: string }; hosts: string[] }[])
    if (s.port.protocol === 'HTTPS') s.hosts = s.hosts.map((h) => warm.get(h) ?? h);
  return g;
}

type Ctx = Pick<StepContext, 'config' | 'io' | 'flags' | 'outputs' | 'log' | 'progress' | 'signal'>;

/** apply-gateway's `before`: a hand-over only on a live switch whose old objects will be removed in this run. */
export async function beforeApplyGateway(
  ctx: Ctx,
  objects: K8sObject[],
  apiVersion: IstioApiVersion,
): Promise<void> {
  // Without the status wait, gateway-api mode keeps the old objects (afterApplyGateway says so): nothing to hand over.
  if (ctx.flags.mode !== 'live' || (ctx.config.api === 'gateway-api' && !ctx.flags.wait)) return;
  const plan = await planModeSwitch(ctx.io.cluster, ctx.config, apiVersion);
  await handOver(ctx, objects, plan);
}

/**
 * Runs before apply-gateway applies its objects, on a live mode switch: the hand-over Gateway (and in gateway-api
 * mode the routes, so they attach), the wait until it is programmed, then the old Gateway's removal. The step's own
 * apply then puts the exact hosts in place, and afterApplyGateway removes the old routes and backends.
 */
export async function handOver(ctx: Ctx, objects: K8sObject[], plan: ModeSwitchPlan): Promise<void> {
  const { config, log } = ctx;
  const oldGateways = plan.remove.filter((r) => r.kind === 'Gateway');
  if (oldGateways.length === 0) return;
  const { warm, cold } = handOverHosts(config);
  for (const c of cold)
    log(`hand-over: ${c.host} moves without a warm route (${c.why}): a request may fail at the swap`);
  if (warm.size === 0) return;
  const gateway = objects.find((o) => o.kind === 'Gateway') as K8sObject;
  const staged = objects.map((o) => (o === gateway ? handOverGateway(gateway, warm) : o));
  log(
    `hand-over: the new Gateway first lists ${[...warm].map(([h, w]) => `${h} as ${w}`).join(', ')}, so the gateway fetches each host's new route and certificate before the old Gateway goes`,
  );
  for (const o of staged) {
    if (ctx.signal.aborted) return;
    // Istio's VirtualServices are add-hosts' objects, applied already; here only the Gateway (and, in gateway-api
    // mode, the routes that must attach to it).
    const res = await ctx.io.cluster.apply(o, { forceConflicts: ctx.flags.forceConflicts });
    log(`${res.outcome.padEnd(10)} ${res.ref}${o.kind === 'Gateway' ? ' (hand-over)' : ''}`);
  }
  if (config.api === 'gateway-api')
    await waitForGatewayApiStatus(ctx.io.cluster, staged, {
      timeoutMs: ctx.flags.waitTimeoutSeconds * 1000,
      clusterKind: ctx.outputs.preflight?.clusterKind,
      onProgress: ctx.progress,
      signal: ctx.signal,
    });
  log(`waiting ${DRAIN_MS / 1000} s for the gateway to warm the new routes before the old Gateway goes`);
  await sleep(DRAIN_MS, ctx.signal);
  const from = config.api === 'istio' ? 'gateway-api' : 'istio';
  for (const r of oldGateways) {
    const outcome = await ctx.io.cluster.delete(r);
    log(`${outcome.padEnd(10)} ${refString(r)} (api: ${from}, replaced)`);
  }
  log(`waiting ${DRAIN_MS / 1000} s for the gateway to move the hosts to the warm routes`);
  await sleep(DRAIN_MS, ctx.signal);
}
