// The Gateway API's cross-object rules, checked offline on the plan before anything is written — the conditions a
// controller would otherwise report after the fact (codes → the status they predict):
//   gwapi-listener-name-duplicate      (CEL: listener names unique)
//   gwapi-route-parent-not-found       HTTPRoute parent Accepted=False (no such Gateway)
//   gwapi-route-section-missing        (the wizard's rule: without sectionName a route attaches to every listener)
//   gwapi-route-section-not-found      Accepted=False NoMatchingParent
//   gwapi-route-not-allowed            Accepted=False NotAllowedByListeners
//   gwapi-route-hostname-mismatch      Accepted=False NoMatchingListenerHostname
//   gwapi-backend-not-found            ResolvedRefs=False BackendNotFound
//   gwapi-backend-ref-not-permitted    ResolvedRefs=False RefNotPermitted (cross-namespace without ReferenceGrant)
//   gwapi-backend-selects-no-pods      (a backend Service whose selector matches no pod template: 503s)
//   gwapi-certificate-ref-not-found    listener ResolvedRefs=False InvalidCertificateRef
//   gwapi-ca-ref-not-found             listener ResolvedRefs=False InvalidCACertificateRef (every HTTPS listener)
import { asArray, type Finding, finding, type Json, type ObjectSet } from '../analyzeContext.js';
import { hostsOverlap } from '../hostMatch.js';
import type { K8sObject } from '../types.js';
import { GATEWAY_API_GROUP } from './names.js';

const isGatewayApi = (o: K8sObject) => o.apiVersion.startsWith(`${GATEWAY_API_GROUP}/`);
const gateways = (set: ObjectSet) => set.ofKind('Gateway').filter(isGatewayApi);
const routes = (set: ObjectSet) => set.ofKind('HTTPRoute').filter(isGatewayApi);

function findGateway(set: ObjectSet, namespace: string, name: string): K8sObject | undefined {
  return gateways(set).find((g) => set.ns(g) === namespace && g.metadata.name === name);
}

export function checkListenerNames(set: ObjectSet): Finding[] {
  const out: Finding[] = [];
  for (const gw of gateways(set)) {
    const seen = new Set<string>();
    for (const l of asArray(gw.spec?.listeners)) {
      if (seen.has(l?.name)) {
        out.push(
          finding(
            'error',
            'gwapi-listener-name-duplicate',
            set.ref(gw),
            `listener name ${l.name} is used twice`,
          ),
        );
      }
      seen.add(l?.name);
    }
  }
  return out;
}

/** Whether a listener's allowedRoutes admits routes from `routeNs` (only what can be decided offline). */
function admits(listener: Json, gatewayNs: string, routeNs: string): boolean {
  const from = listener?.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNs === gatewayNs;
  const sel = listener?.allowedRoutes?.namespaces?.selector ?? {};
  const labels: Record<string, string> = sel.matchLabels ?? {};
  if (asArray(sel.matchExpressions).length > 0) return true; // not decidable without the Namespace objects
  // The only label the wizard can know offline: the immutable kubernetes.io/metadata.name.
  return Object.entries(labels).every(([k, v]) => k === 'kubernetes.io/metadata.name' && v === routeNs);
}

function checkParent(set: ObjectSet, route: K8sObject, ref: Json): Finding[] {
  const routeNs = set.ns(route);
  const ns = ref.namespace ?? routeNs;
  const gw = findGateway(set, ns, ref.name);
  const where = set.ref(route);
  if (!gw)
    return [
      finding(
        'error',
        'gwapi-route-parent-not-found',
        where,
        `parent Gateway ${ns}/${ref.name} does not exist`,
      ),
    ];
  if (ref.sectionName === undefined) {
    return [
      finding(
        'error',
        'gwapi-route-section-missing',
        where,
        `parentRef to Gateway ${ns}/${ref.name} has no sectionName: the route would attach to every listener, the hostname-less http listener included`,
      ),
    ];
  }
  const listener = asArray(gw.spec?.listeners).find((l) => l?.name === ref.sectionName);
  if (!listener) {
    return [
      finding(
        'error',
        'gwapi-route-section-not-found',
        where,
        `Gateway ${ns}/${ref.name} has no listener ${ref.sectionName}`,
      ),
    ];
  }
  const out: Finding[] = [];
  if (!admits(listener, ns, routeNs)) {
    out.push(
      finding(
        'error',
        'gwapi-route-not-allowed',
        where,
        `listener ${ref.sectionName} of Gateway ${ns}/${ref.name} does not admit routes from namespace ${routeNs}`,
      ),
    );
  }
  const hostnames = asArray(route.spec?.hostnames) as unknown as string[];
  if (
    listener.hostname &&
    hostnames.length > 0 &&
    !hostnames.some((h) => hostsOverlap(listener.hostname, h))
  ) {
    out.push(
      finding(
        'error',
        'gwapi-route-hostname-mismatch',
        where,
        `no hostname of the route (${hostnames.join(', ')}) matches listener ${ref.sectionName}'s hostname ${listener.hostname}`,
      ),
    );
  }
  return out;
}

export function checkRouteParents(set: ObjectSet): Finding[] {
  return routes(set).flatMap((route) =>
    asArray(route.spec?.parentRefs).flatMap((ref) => checkParent(set, route, ref)),
  );
}

/** Whether a ReferenceGrant in `targetNs` lets `fromKind` objects of `fromNs` refer to `kind`/`name` there. */
export function granted(
  set: ObjectSet,
  fromKind: string,
  fromNs: string,
  targetNs: string,
  kind: string,
  name: string,
): boolean {
  return set
    .ofKind('ReferenceGrant')
    .some(
      (g) =>
        set.ns(g) === targetNs &&
        asArray(g.spec?.from).some(
          (f) => f?.kind === fromKind && f?.namespace === fromNs && f?.group === GATEWAY_API_GROUP,
        ) &&
        asArray(g.spec?.to).some((t) => t?.kind === kind && (t?.name === undefined || t?.name === name)),
    );
}

function labelsMatch(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export function checkBackends(set: ObjectSet): Finding[] {
  const out: Finding[] = [];
  const templates = set
    .ofKind('Deployment')
    .map((d) => ({ ns: set.ns(d), labels: d.spec?.template?.metadata?.labels }));
  const judged = new Set<K8sObject>();
  for (const route of routes(set)) {
    const routeNs = set.ns(route);
    for (const rule of asArray(route.spec?.rules)) {
      for (const b of asArray(rule?.backendRefs)) {
        if ((b.kind ?? 'Service') !== 'Service' || (b.group ?? '') !== '') continue;
        const ns = b.namespace ?? routeNs;
        const svc = set.find('Service', ns, b.name);
        const where = set.ref(route);
        if (ns !== routeNs && !granted(set, 'HTTPRoute', routeNs, ns, 'Service', b.name)) {
          out.push(
            finding(
              'error',
              'gwapi-backend-ref-not-permitted',
              where,
              `backend Service ${ns}/${b.name} is in another namespace and no ReferenceGrant there allows it`,
            ),
          );
        }
        if (!svc) {
          out.push(
            finding(
              'error',
              'gwapi-backend-not-found',
              where,
              `backend Service ${ns}/${b.name} does not exist`,
            ),
          );
          continue;
        }
        if (!asArray(svc.spec?.ports).some((p) => p?.port === b.port)) {
          out.push(
            finding(
              'error',
              'gwapi-backend-not-found',
              where,
              `backend Service ${ns}/${b.name} has no port ${b.port}`,
            ),
          );
        }
        if (judged.has(svc)) continue;
        judged.add(svc);
        const sel = svc.spec?.selector ?? {};
        if (!templates.some((t) => t.ns === ns && labelsMatch(sel, t.labels))) {
          out.push(
            finding(
              'error',
              'gwapi-backend-selects-no-pods',
              set.ref(svc),
              `selector ${JSON.stringify(sel)} matches no pod template of the plan`,
            ),
          );
        }
      }
    }
  }
  return out;
}

function hasKeys(obj: K8sObject, keys: string[]): boolean {
  const data = { ...(obj.data ?? {}), ...(obj.stringData ?? {}) };
  return keys.every((k) => k in data);
}

export function checkGatewayRefs(set: ObjectSet): Finding[] {
  const out: Finding[] = [];
  for (const gw of gateways(set)) {
    const gwNs = set.ns(gw);
    const where = set.ref(gw);
    for (const l of asArray(gw.spec?.listeners)) {
      for (const r of asArray(l?.tls?.certificateRefs)) {
        const ns = r.namespace ?? gwNs;
        const secret = set.find('Secret', ns, r.name);
        if (!secret) {
          out.push(
            finding(
              'error',
              'gwapi-certificate-ref-not-found',
              where,
              `listener ${l.name}: Secret ${ns}/${r.name} does not exist (listener ResolvedRefs=False InvalidCertificateRef)`,
            ),
          );
        } else if (secret.type !== 'kubernetes.io/tls' || !hasKeys(secret, ['tls.crt', 'tls.key'])) {
          out.push(
            finding(
              'error',
              'gwapi-certificate-ref-not-found',
              where,
              `listener ${l.name}: Secret ${ns}/${r.name} is not a kubernetes.io/tls Secret with tls.crt and tls.key`,
            ),
          );
        }
        if (ns !== gwNs && !granted(set, 'Gateway', gwNs, ns, 'Secret', r.name)) {
          out.push(
            finding(
              'error',
              'gwapi-certificate-ref-not-found',
              where,
              `listener ${l.name}: Secret ${ns}/${r.name} is in another namespace and no ReferenceGrant there allows it (RefNotPermitted)`,
            ),
          );
        }
      }
    }
    for (const r of asArray(gw.spec?.tls?.frontend?.default?.validation?.caCertificateRefs)) {
      const ns = r.namespace ?? gwNs;
      const cm = set.find(r.kind ?? 'ConfigMap', ns, r.name);
      if (!cm || !hasKeys(cm, ['ca.crt'])) {
        out.push(
          finding(
            'error',
            'gwapi-ca-ref-not-found',
            where,
            `client CA ${r.kind} ${ns}/${r.name} ${cm ? 'has no ca.crt' : 'does not exist'}: every HTTPS listener would be invalid`,
          ),
        );
      }
    }
  }
  return out;
}

export const GATEWAY_API_CHECKS = [checkListenerNames, checkRouteParents, checkBackends, checkGatewayRefs];
