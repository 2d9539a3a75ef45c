// A mode switch hands each HTTPS host from the old Gateway to the new one without a failed request.
//
// Why a plain swap loses requests: each HTTPS server is its own Envoy filter chain (matched by SNI) with its own
// route configuration (`https.443.<port>.<gateway>.<ns>`) and certificate resource, and Envoy takes one chain per
// SNI name, so while both Gateways list a host only the old chain serves it. When the old Gateway goes, istiod in one push sends Envoy a listener whose
// chain for the host names the new route and certificate, and — for the old route name, which Envoy still uses while
// the new chain warms — an empty route configuration ("Gateway missing for route … normal if gateway was recently
// deleted", pilot/pkg/networking/core/gateway.go). Until Envoy has fetched the new route, a request on the old
// chain gets 404: measured as 1–2 requests in ~150–450 during a switch on the real stack.
//
// The hand-over: first the OLD Gateway lists each HTTPS host as the wildcard of its parent domain (`*.example1.com`
// for flask.example1.com): the same route name (it depends on the port or listener name, not the host) and
// certificate, so Envoy swaps that chain in place with nothing to fetch, and its route still covers the host. Then
// the new Gateway is applied with the exact host: not the same host to istiod and a different SNI match to Envoy, so
// no clash; while Envoy fetches the new route, connections keep landing on the old wildcard chain, whose route is
// whole; once it has it, the exact match wins. Only then does the old Gateway go: istiod blanks its route, but no
// connection for the host uses that chain any more. Hosts that share a parent domain (a.example.com,
// b.example.com) would need the same wildcard (one listener, one certificate): they are swapped plainly, and the
// log says so.
import { httpsHosts } from '../../config/hosts.js';
import type { IstioApiVersion, WizardConfig } from '../../config/types.js';
import { sleep } from '../../lib/async.js';
import type { K8sObject } from '../../manifests/types.js';
import type { StepContext } from '../types.js';
import { DRAIN_MS, type ModeSwitchPlan, planModeSwitch } from './modeSwitch.js';

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
export async function beforeApplyGateway(ctx: Ctx, apiVersion: IstioApiVersion): Promise<void> {
  // Without the status wait, gateway-api mode keeps the old objects (afterApplyGateway says so): nothing to hand over.
  if (ctx.flags.mode !== 'live' || (ctx.config.api === 'gateway-api' && !ctx.flags.wait)) return;
  await handOver(ctx, await planModeSwitch(ctx.io.cluster, ctx.config, apiVersion));
}

/** A live object as the wizard applies it again: its name, namespace, labels and spec, none of the server's fields. */
function reapplicable(o: K8sObject): K8sObject {
  const { name, namespace, labels, annotations } = o.metadata;
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: { name, namespace, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) },
    spec: o.spec,
  };
}

/**
 * Runs before apply-gateway applies its objects, on a live mode switch: the old Gateway's HTTPS hosts widened to
 * their wildcards, then a pause for the gateway to take that in. The step's own apply then adds the new exact hosts,
 * and afterApplyGateway removes the old Gateway (whose now-unused routes istiod blanks), routes and backends.
 */
export async function handOver(ctx: Ctx, plan: ModeSwitchPlan): Promise<void> {
  const { config, log } = ctx;
  const oldGateways = plan.remove.filter((r) => r.kind === 'Gateway');
  if (oldGateways.length === 0) return;
  const { warm, cold } = handOverHosts(config);
  for (const c of cold)
    log(`hand-over: ${c.host} moves without a wildcard step (${c.why}): a request may fail at the swap`);
  if (warm.size === 0) return;
  log(
    `hand-over: the old Gateway first lists ${[...warm].map(([h, w]) => `${h} as ${w}`).join(', ')}, so each host keeps a live route while the new Gateway's exact hosts take over`,
  );
  for (const r of oldGateways) {
    if (ctx.signal.aborted) return;
    const live = await ctx.io.cluster.get(r);
    if (!live) continue;
    const res = await ctx.io.cluster.apply(handOverGateway(reapplicable(live), warm), {
      forceConflicts: ctx.flags.forceConflicts,
    });
    log(`${res.outcome.padEnd(10)} ${res.ref} (hand-over: the old mode's hosts as wildcards)`);
  }
  log(`waiting ${DRAIN_MS / 1000} s for the gateway to move the hosts to the old Gateway's wildcard routes`);
  await sleep(DRAIN_MS, ctx.signal);
}
