// The SelfSubjectAccessReview questions a plan raises: what applying it needs (preflight asks before anything is
// written) and what deleting it needs (teardown asks before anything is deleted).
import { kindOf } from '../io/kinds.js';
import type { AccessQuestion, ObjectRef } from '../io/types.js';

/** The permission question's resource for a planned object. */
function resourceOf(ref: ObjectRef): { group: string; resource: string } | undefined {
  const k = kindOf(ref.apiVersion, ref.kind);
  return k && { group: k.group, resource: k.plural };
}

/** The questions for a plan: get/create/patch per planned kind and namespace, plus what preflight itself reads. */
export function accessQuestions(
  planned: readonly ObjectRef[],
  opts: { gatewayNamespace: string; appNamespace: string; createNamespace: boolean },
): AccessQuestion[] {
  const qs = new Map<string, AccessQuestion>();
  const add = (q: AccessQuestion) => qs.set(`${q.verb} ${q.group}/${q.resource} ${q.namespace ?? ''}`, q);
  for (const ref of planned) {
    const r = resourceOf(ref);
    if (!r) continue;
    for (const verb of ['get', 'create', 'patch']) add({ verb, ...r, namespace: ref.namespace });
  }
  add({ verb: 'get', group: '', resource: 'namespaces' });
  // Created with server-side apply: a PATCH that creates, so the API server checks both verbs.
  if (opts.createNamespace) {
    add({ verb: 'create', group: '', resource: 'namespaces' });
    add({ verb: 'patch', group: '', resource: 'namespaces' });
  }
  add({ verb: 'list', group: '', resource: 'pods', namespace: opts.gatewayNamespace });
  add({ verb: 'list', group: '', resource: 'services', namespace: opts.gatewayNamespace });
  return [...qs.values()];
}

/** `delete` per kind and namespace of these objects (what teardown asks before deleting anything). */
export function deleteQuestions(refs: readonly ObjectRef[]): AccessQuestion[] {
  const qs = new Map<string, AccessQuestion>();
  for (const ref of refs) {
    const r = resourceOf(ref);
    if (r)
      qs.set(`${r.group}/${r.resource} ${ref.namespace ?? ''}`, {
        verb: 'delete',
        ...r,
        namespace: ref.namespace,
      });
  }
  return [...qs.values()];
}

export function describeQuestion(q: AccessQuestion): string {
  const res = q.group ? `${q.resource}.${q.group}` : q.resource;
  return `${q.verb} ${res}${q.namespace ? ` in namespace ${q.namespace}` : ' (cluster-wide)'}`;
}
