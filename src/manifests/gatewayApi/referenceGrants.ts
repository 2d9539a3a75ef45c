// ReferenceGrants, only where a reference crosses namespaces and the Gateway API requires the target namespace to
// allow it: a Gateway's certificate or CA reference, or a route's backendRef, into another namespace. (Route →
// Gateway attachment is governed by the listener's allowedRoutes instead.) The wizard's own layout keeps every such
// reference in one namespace, so for its plans this returns nothing; it exists so that a layout change cannot
// silently produce references the gateway would refuse with RefNotPermitted.
import type { WizardConfig } from '../../config/types.js';
import { commonLabels } from '../labels.js';
import type { K8sObject } from '../types.js';
import { GATEWAY_API_GROUP, type ReferenceGrantVersion } from './names.js';

type Json = Record<string, unknown>;

export interface CrossReference {
  from: { group: string; kind: string; namespace: string };
  to: { group: string; kind: string; namespace: string; name: string };
}

const asArray = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

/** Every reference from Gateways and HTTPRoutes to an object in another namespace. */
export function crossNamespaceReferences(objects: readonly K8sObject[]): CrossReference[] {
  const out: CrossReference[] = [];
  for (const o of objects) {
    const ns = o.metadata.namespace ?? 'default';
    const from = { group: GATEWAY_API_GROUP, kind: o.kind, namespace: ns };
    const add = (ref: Json, kind: string) => {
      const target = typeof ref.namespace === 'string' ? ref.namespace : ns;
      if (target === ns) return;
      out.push({
        from,
        to: {
          group: String(ref.group ?? ''),
          kind: String(ref.kind ?? kind),
          namespace: target,
          name: String(ref.name),
        },
      });
    };
    if (!o.apiVersion.startsWith(`${GATEWAY_API_GROUP}/`)) continue;
    if (o.kind === 'Gateway') {
      for (const l of asArray(o.spec?.listeners))
        for (const r of asArray((l.tls as Json)?.certificateRefs)) add(r, 'Secret');
      const validation = o.spec?.tls?.frontend?.default?.validation;
      for (const r of asArray(validation?.caCertificateRefs)) add(r, 'ConfigMap');
    }
    if (o.kind === 'HTTPRoute') {
      for (const rule of asArray(o.spec?.rules)) for (const r of asArray(rule.backendRefs)) add(r, 'Service');
    }
  }
  return out;
}

/** One ReferenceGrant per target namespace and referring kind+namespace, naming exactly the objects referred to. */
export function buildReferenceGrants(
  config: WizardConfig,
  objects: readonly K8sObject[],
  apiVersion: ReferenceGrantVersion,
): K8sObject[] {
  const grants = new Map<string, { from: CrossReference['from']; ns: string; to: Map<string, Json> }>();
  for (const ref of crossNamespaceReferences(objects)) {
    const key = `${ref.to.namespace}|${ref.from.kind}|${ref.from.namespace}`;
    let g = grants.get(key);
    if (!g) {
      g = { from: ref.from, ns: ref.to.namespace, to: new Map() };
      grants.set(key, g);
    }
    g.to.set(`${ref.to.group}|${ref.to.kind}|${ref.to.name}`, {
      group: ref.to.group,
      kind: ref.to.kind,
      name: ref.to.name,
    });
  }
  return [...grants.values()].map((g) => ({
    apiVersion,
    kind: 'ReferenceGrant',
    metadata: {
      name: `${config.app}-from-${g.from.kind.toLowerCase()}-${g.from.namespace}`
        .slice(0, 63)
        .replace(/-+$/, ''),
      namespace: g.ns,
      labels: commonLabels(config),
    },
    spec: { from: [g.from], to: [...g.to.values()] },
  }));
}
