// A stand-in for istiod's Gateway API status writer (no istiod runs at this tier): it reads the real objects on the
// API server and writes the conditions the spec defines from what it finds — a listener whose Secret is missing
// gets ResolvedRefs=False InvalidCertificateRef, a route to a missing Service ResolvedRefs=False BackendNotFound, a
// sectionName naming no listener Accepted=False NoMatchingParent — so the wizard's wait is tested on consequences
// of real objects, not on canned statuses. `addressNotAssigned` plays a kind cluster without a load balancer.
import type { LiveCluster } from '../../src/io/kube/live.js';
import type { K8sObject } from '../../src/manifests/types.js';
import { writeStatus } from './gatewayStandIn.js';

export interface ControllerBehaviour {
  addressNotAssigned?: boolean;
  /** Called once per Gateway generation, just before Programmed=True is first written for it. */
  beforeProgrammed?: (gw: K8sObject) => Promise<void> | void;
}

const G = 'gateway.networking.k8s.io/v1';
const now = () => new Date().toISOString();
const cond = (type: string, ok: boolean, reason: string, gen: number, message = reason) => ({
  type,
  status: ok ? 'True' : 'False',
  reason,
  message,
  observedGeneration: gen,
  lastTransitionTime: now(),
});
const gen = (o: K8sObject) => (o.metadata as { generation?: number }).generation ?? 1;

export function startGatewayApiController(
  cluster: LiveCluster,
  behaviour: ControllerBehaviour = {},
): () => Promise<void> {
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      try {
        await pass();
      } catch {
        // objects come and go while tests run; the next pass sees the new state
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  };
  const exists = async (kind: string, apiVersion: string, namespace: string, name: string) =>
    !!(await cluster.get({ apiVersion, kind, namespace, name }));

  async function pass(): Promise<void> {
    const gateways = await cluster.list({ apiVersion: G, kind: 'Gateway' });
    for (const gw of gateways) {
      const ns = gw.metadata.namespace as string;
      const g = gen(gw);
      const listeners = [];
      for (const l of gw.spec?.listeners ?? []) {
        let ok = true;
        for (const r of l.tls?.certificateRefs ?? []) {
          if (!(await exists('Secret', 'v1', r.namespace ?? ns, r.name))) ok = false;
        }
        listeners.push({
          name: l.name,
          attachedRoutes: 0,
          supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
          conditions: [
            cond('Accepted', true, 'Accepted', g),
            cond('Programmed', ok, ok ? 'Programmed' : 'Invalid', g),
            cond(
              'ResolvedRefs',
              ok,
              ok ? 'ResolvedRefs' : 'InvalidCertificateRef',
              g,
              ok ? 'ok' : 'invalid certificate reference',
            ),
          ],
        });
      }
      const programmed = !behaviour.addressNotAssigned;
      if (
        programmed &&
        gw.status?.conditions?.find(
          (c: { type: string; status: string; observedGeneration?: number }) =>
            c.type === 'Programmed' && c.status === 'True' && c.observedGeneration === g,
        ) === undefined
      ) {
        await behaviour.beforeProgrammed?.(gw);
      }
      await writeStatus(
        cluster,
        { apiVersion: G, kind: 'Gateway', namespace: ns, name: gw.metadata.name },
        {
          addresses: programmed
            ? [
                {
                  type: 'Hostname',
                  value:
                    gw.spec?.addresses?.[0]?.value ?? `${gw.metadata.name}-istio.${ns}.svc.cluster.local`,
                },
              ]
            : [],
          conditions: [
            cond('Accepted', true, 'Accepted', g),
            programmed
              ? cond('Programmed', true, 'Programmed', g)
              : cond(
                  'Programmed',
                  false,
                  'AddressNotAssigned',
                  g,
                  'Assigned to service(s) but no address yet: LoadBalancer pending',
                ),
          ],
          listeners,
        },
      );
    }
    const routes = await cluster.list({ apiVersion: G, kind: 'HTTPRoute' });
    for (const route of routes) {
      const ns = route.metadata.namespace as string;
      const g = gen(route);
      let backendsOk = true;
      const missing: string[] = [];
      for (const rule of route.spec?.rules ?? []) {
        for (const b of rule.backendRefs ?? []) {
          if (!(await exists('Service', 'v1', b.namespace ?? ns, b.name))) {
            backendsOk = false;
            missing.push(`${b.name}.${b.namespace ?? ns}.svc.cluster.local`);
          }
        }
      }
      const parents = [];
      for (const p of route.spec?.parentRefs ?? []) {
        const gw = gateways.find(
          (x) => x.metadata.name === p.name && x.metadata.namespace === (p.namespace ?? ns),
        );
        const section = gw?.spec?.listeners?.some((l: { name: string }) => l.name === p.sectionName);
        parents.push({
          parentRef: p,
          controllerName: 'istio.io/gateway-controller',
          conditions: [
            gw && section
              ? cond('Accepted', true, 'Accepted', g)
              : cond('Accepted', false, 'NoMatchingParent', g),
            backendsOk
              ? cond('ResolvedRefs', true, 'ResolvedRefs', g)
              : cond('ResolvedRefs', false, 'BackendNotFound', g, `backend(${missing.join(', ')}) not found`),
          ],
        });
      }
      await writeStatus(
        cluster,
        { apiVersion: G, kind: 'HTTPRoute', namespace: ns, name: route.metadata.name },
        { parents },
      );
    }
  }
  const done = loop();
  return async () => {
    stopped = true;
    await done;
  };
}
