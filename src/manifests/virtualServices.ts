// One VirtualService per host, bound to the wizard's Gateway (and to `mesh` when asked), routing to the app's
// Service by subset. Weights in the config are relative; here they become integer percentages summing to 100.
//
// Zero weights: a route whose configured weight is 0 is LEFT OUT (it would carry no traffic, and Istio rejects a
// route list whose weights are all 0). A single remaining route gets no `weight` field (Istio's default is 100%).
import type { HostConfig, IstioApiVersion, WizardConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import { commonLabels, SERVICE_PORT, serviceFqdn } from './labels.js';
import { hostSlug, mustGet, uniqueNames } from './names.js';
import type { K8sObject } from './types.js';
import { toPercentages } from './weights.js';

/** One VirtualService name per host, unique and DNS-1123: `flask.example1.com` → `flask-example1-com`. */
export function virtualServiceNames(hosts: readonly HostConfig[]): Map<string, string> {
  return uniqueNames(
    hosts.map((h) => h.name),
    hostSlug,
  );
}

export interface WeightedDestination {
  subset: string;
  /** Absent when the route is the only one. */
  weight?: number;
}

/** The host's routes, duplicates merged (first position kept), zero weights dropped, the rest as percentages. */
export function normaliseRoutes(host: HostConfig, index = 0): WeightedDestination[] {
  // The same subset listed twice is one destination: Envoy's weighted clusters would otherwise repeat it.
  const merged = new Map<string, number>();
  for (const r of host.routes) merged.set(r.subset, (merged.get(r.subset) ?? 0) + r.weight);
  const live = [...merged].map(([subset, weight]) => ({ subset, weight })).filter((r) => r.weight > 0);
  const [first] = live;
  if (!first) {
    throw new UsageError(
      `hosts[${index}].routes: host ${host.name} has no route with a positive weight`,
      [],
      'give at least one route a weight above 0',
    );
  }
  if (live.length === 1) return [{ subset: first.subset }];
  const pct = toPercentages(live.map((r) => r.weight));
  return live.map((r, i) => ({ subset: r.subset, weight: pct[i] ?? 0 }));
}

export function buildVirtualServices(config: WizardConfig, apiVersion: IstioApiVersion): K8sObject[] {
  const names = virtualServiceNames(config.hosts);
  const gateways = config.gateway.alsoMesh ? [config.gateway.name, 'mesh'] : [config.gateway.name];
  return config.hosts.map((host, i) => ({
    apiVersion,
    kind: 'VirtualService',
    metadata: {
      name: mustGet(names, host.name, 'VirtualService name'),
      namespace: config.namespace,
      labels: commonLabels(config),
    },
    spec: {
      hosts: [host.name],
      gateways: [...gateways],
      http: [
        {
          route: normaliseRoutes(host, i).map((d) => ({
            destination: { host: serviceFqdn(config), port: { number: SERVICE_PORT }, subset: d.subset },
            ...(d.weight === undefined ? {} : { weight: d.weight }),
          })),
        },
      ],
    },
  }));
}
