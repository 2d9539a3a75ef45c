// Reading the Gateway API's status the way the spec defines it, at every level — a broken certificateRef shows only
// on its listener (the Gateway stays Programmed, the route Accepted), a missing client CA invalidates every HTTPS
// listener — and saying, for each False condition, its reason and the fix. Pure: objects in, verdict out.
import type { K8sObject } from '../../manifests/types.js';
import type { PreflightOutputs } from '../types.js';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

export interface StatusProblem {
  /** `Gateway/istio-system/flask-gateway listener https-a-com`, `HTTPRoute/default/a-com parent …`. */
  where: string;
  condition: string;
  reason: string;
  message?: string;
  fix: string;
}

export interface StatusVerdict {
  ready: boolean;
  /** What is still awaited (no status yet, an old generation, an address being assigned). */
  pending: string[];
  problems: StatusProblem[];
}

export interface JudgeContext {
  clusterKind?: PreflightOutputs['clusterKind'];
}

const ref = (o: K8sObject) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
const generation = (o: K8sObject) => (o.metadata as { generation?: number }).generation ?? 0;

function condition(list: unknown, type: string): Condition | undefined {
  return (Array.isArray(list) ? (list as Condition[]) : []).find((c) => c.type === type);
}

/** A condition written for an older generation of the object says nothing about the current spec. */
function current(c: Condition | undefined, gen: number): Condition | undefined {
  if (!c) return undefined;
  return c.observedGeneration !== undefined && c.observedGeneration < gen ? undefined : c;
}

/** The fix for kind / minikube / k3d, where no load balancer assigns the gateway Service an address. */
export function addressFix(kind: JudgeContext['clusterKind']): string {
  const nodePort =
    'or give the Gateway the annotation networking.istio.io/service-type: NodePort and pass --address with a node IP and the NodePort';
  switch (kind) {
    case 'kind':
      return `kind has no load balancer: run cloud-provider-kind (go install sigs.k8s.io/cloud-provider-kind@latest), ${nodePort}`;
    case 'minikube':
      return `run \`minikube tunnel\` in another terminal so the LoadBalancer Service gets an IP, ${nodePort}`;
    case 'k3d':
      return `create the cluster with k3d's load balancer ports (-p 80:80@loadbalancer -p 443:443@loadbalancer), ${nodePort}`;
    default:
      return `wait for the cloud load balancer to assign the gateway Service an address, ${nodePort}`;
  }
}

const GATEWAY_FIXES: Record<string, string> = {
  InvalidParameters: 'check spec.infrastructure / parametersRef of the Gateway and the GatewayClass',
  UnsupportedAddress:
    'attach by exactly one address {type: Hostname, value: <gateway Service>.<namespace>.svc.cluster.local} (gatewayApi.service)',
  AddressNotUsable:
    "an attached Gateway must live in its gateway Service's namespace (gateway.workloadNamespace) and name that Service (gatewayApi.service)",
  NoResources:
    'the gateway deployment could not be created: kubectl describe gateway and the istiod logs say why',
};

const LISTENER_FIXES: Record<string, (l: string) => string> = {
  InvalidCertificateRef: (l) =>
    `listener ${l}: its Secret is missing or not a kubernetes.io/tls Secret with tls.crt and tls.key in the Gateway's namespace: run \`wizard --from load-certs\``,
  RefNotPermitted: (l) =>
    `listener ${l}: its Secret is in another namespace: a ReferenceGrant there must allow this Gateway's namespace, or move the Secret next to the Gateway`,
  InvalidCACertificateRef: (l) =>
    `listener ${l}: the client CA ConfigMap (spec.tls.frontend) is missing or has no ca.crt, which invalidates every HTTPS listener: run \`wizard --from load-certs\``,
  InvalidCACertificateKind: (l) => `listener ${l}: the client CA must be a ConfigMap with key ca.crt`,
  InvalidRouteKinds: (l) => `listener ${l}: allowedRoutes.kinds must admit HTTPRoute`,
  PortUnavailable: (l) =>
    `listener ${l}: its port is taken on the gateway; is another Gateway attached to the same Service?`,
  HostnameConflict: (l) => `listener ${l}: another listener on this port has the same hostname`,
  ProtocolConflict: (l) => `listener ${l}: another listener on this port uses another protocol`,
  UnsupportedProtocol: (l) => `listener ${l}: the controller does not support its protocol`,
};

const ROUTE_FIXES: Record<string, string> = {
  NotAllowedByListeners:
    "the listener's allowedRoutes does not admit the route's namespace: the wizard's Gateway admits the app namespace by its kubernetes.io/metadata.name label; re-apply with `wizard --from apply-gateway`",
  NoMatchingListenerHostname:
    "none of the route's hostnames matches its listener's hostname: re-apply with `wizard --from apply-gateway`",
  NoMatchingParent:
    "the parentRef's sectionName names no listener of the Gateway: re-apply with `wizard --from apply-gateway`",
  UnsupportedValue: 'the controller refused a value in the route: kubectl describe httproute says which',
  BackendNotFound:
    'a backend Service does not exist (or lacks the port): run `wizard --from deploy-versions`',
  RefNotPermitted: 'a backend is in another namespace without a ReferenceGrant there allowing the route',
  InvalidKind: 'a backendRef names a kind the controller does not support',
};

function gatewayLevel(gw: K8sObject, ctx: JudgeContext, out: StatusVerdict): void {
  const gen = generation(gw);
  const conds = gw.status?.conditions;
  const accepted = current(condition(conds, 'Accepted'), gen);
  const programmed = current(condition(conds, 'Programmed'), gen);
  if (!accepted || accepted.status === 'Unknown') {
    out.pending.push(
      `${ref(gw)}: not accepted by the controller yet (is istiod running, with gatewayClassName ${gw.spec?.gatewayClassName}?)`,
    );
  } else if (accepted.status === 'False') {
    const reason = accepted.reason ?? 'unknown';
    out.problems.push({
      where: ref(gw),
      condition: 'Accepted',
      reason,
      message: accepted.message,
      fix: GATEWAY_FIXES[reason] ?? "kubectl describe gateway shows the controller's message",
    });
  }
  if (!programmed || programmed.status === 'Unknown') {
    out.pending.push(`${ref(gw)}: not programmed yet`);
  } else if (programmed.status === 'False') {
    const reason = programmed.reason ?? 'unknown';
    const local = ctx.clusterKind && ctx.clusterKind !== 'other';
    if (reason === 'Pending' || (reason === 'AddressNotAssigned' && !local)) {
      out.pending.push(
        `${ref(gw)}: Programmed=False ${reason}${programmed.message ? ` (${programmed.message})` : ''}`,
      );
    } else {
      out.problems.push({
        where: ref(gw),
        condition: 'Programmed',
        reason,
        message: programmed.message,
        fix:
          reason === 'AddressNotAssigned'
            ? addressFix(ctx.clusterKind)
            : (GATEWAY_FIXES[reason] ?? "kubectl describe gateway shows the controller's message"),
      });
    }
  }
}

function listenerLevel(gw: K8sObject, out: StatusVerdict): void {
  const gen = generation(gw);
  const statuses: { name: string; conditions?: Condition[] }[] = gw.status?.listeners ?? [];
  for (const l of (gw.spec?.listeners ?? []) as { name: string }[]) {
    const st = statuses.find((s) => s.name === l.name);
    const where = `${ref(gw)} listener ${l.name}`;
    if (!st) {
      out.pending.push(`${where}: no status yet`);
      continue;
    }
    for (const type of ['ResolvedRefs', 'Accepted', 'Programmed']) {
      const c = current(condition(st.conditions, type), gen);
      if (!c) {
        out.pending.push(`${where}: no current ${type}`);
        continue;
      }
      if (c.status !== 'False') continue;
      const reason = c.reason ?? 'unknown';
      out.problems.push({
        where,
        condition: type,
        reason,
        message: c.message,
        fix:
          LISTENER_FIXES[reason]?.(l.name) ??
          `listener ${l.name}: kubectl describe gateway shows the controller's message`,
      });
    }
  }
}

type ParentRef = { name: string; namespace?: string; sectionName?: string };
const sameParent = (a: ParentRef, b: ParentRef, routeNs: string) =>
  a.name === b.name &&
  (a.namespace ?? routeNs) === (b.namespace ?? routeNs) &&
  (a.sectionName ?? '') === (b.sectionName ?? '');

function routeLevel(route: K8sObject, out: StatusVerdict): void {
  const gen = generation(route);
  const routeNs = route.metadata.namespace ?? 'default';
  const parents: { parentRef: ParentRef; conditions?: Condition[] }[] = route.status?.parents ?? [];
  const backends = ((route.spec?.rules ?? []) as { backendRefs?: { name: string }[] }[]).flatMap((r) =>
    (r.backendRefs ?? []).map((b) => b.name),
  );
  for (const p of (route.spec?.parentRefs ?? []) as ParentRef[]) {
    const where = `${ref(route)} parent ${p.namespace ?? routeNs}/${p.name}${p.sectionName ? `/${p.sectionName}` : ''}`;
    const st = parents.find((s) => sameParent(s.parentRef, p, routeNs));
    if (!st) {
      out.pending.push(`${where}: no status from the controller yet`);
      continue;
    }
    for (const type of ['Accepted', 'ResolvedRefs']) {
      const c = current(condition(st.conditions, type), gen);
      if (!c) {
        out.pending.push(`${where}: no current ${type}`);
        continue;
      }
      if (c.status !== 'False') continue;
      const reason = c.reason ?? 'unknown';
      const named =
        reason === 'BackendNotFound' && backends.length
          ? ` (the route's backends: ${backends.join(', ')})`
          : '';
      out.problems.push({
        where,
        condition: type,
        reason,
        message: c.message,
        fix: `${ROUTE_FIXES[reason] ?? "kubectl describe httproute shows the controller's message"}${named}`,
      });
    }
  }
}

/** The verdict on a Gateway and its routes (undefined entries: not found). */
export function judgeStatus(
  gateway: K8sObject | undefined,
  routes: readonly (K8sObject | undefined)[],
  names: { gateway: string; routes: string[] },
  ctx: JudgeContext = {},
): StatusVerdict {
  const out: StatusVerdict = { ready: false, pending: [], problems: [] };
  if (!gateway) out.pending.push(`${names.gateway}: not found`);
  else {
    gatewayLevel(gateway, ctx, out);
    listenerLevel(gateway, out);
  }
  routes.forEach((r, i) => {
    if (!r) out.pending.push(`${names.routes[i]}: not found`);
    else routeLevel(r, out);
  });
  out.ready = out.pending.length === 0 && out.problems.length === 0;
  return out;
}

export function formatProblem(p: StatusProblem): string {
  return `${p.where}: ${p.condition}=False ${p.reason}${p.message ? ` (${p.message})` : ''}\n    fix: ${p.fix}`;
}
