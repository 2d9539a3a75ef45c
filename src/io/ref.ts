import { groupOf, kindOf } from './kinds.js';
import type { ObjectRef } from './types.js';

/** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects: how results, errors and reports name objects. */
export function refString(ref: { kind: string; namespace?: string; name: string }): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

/** One key per object; the API group is part of it: Istio's Gateway and the Gateway API's may share a name. */
export function refKey(r: ObjectRef): string {
  return `${groupOf(r.apiVersion)}|${r.kind}|${r.namespace ?? ''}|${r.name}`;
}

/** `kubectl delete deployments.apps -n ns name`: fully qualified, so an Istio Gateway is not read as Gateway API's. */
export function kubectlDelete(r: ObjectRef): string {
  const group = groupOf(r.apiVersion) ? `.${groupOf(r.apiVersion)}` : '';
  const plural = kindOf(r.apiVersion, r.kind)?.plural ?? `${r.kind.toLowerCase()}s`;
  return `kubectl delete ${plural}${group}${r.namespace ? ` -n ${r.namespace}` : ''} ${r.name}`;
}
