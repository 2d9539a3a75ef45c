// Which of a plan's objects exist with the wizard's label: what teardown deletes and what a mode switch removes.
import { MANAGED_BY_LABEL, MANAGER } from '../config/types.js';
import { refKey } from '../io/ref.js';
import type { ClusterIo, ObjectRef } from '../io/types.js';

/** The refs grouped by apiVersion, kind and namespace: one list request per group instead of a GET per object. */
export function byKindAndNamespace(refs: readonly ObjectRef[]): ObjectRef[][] {
  const groups = new Map<string, ObjectRef[]>();
  for (const r of refs) {
    const g = `${r.apiVersion}|${r.kind}|${r.namespace ?? ''}`;
    groups.set(g, [...(groups.get(g) ?? []), r]);
  }
  return [...groups.values()];
}

/**
 * `present`: the refKeys of `refs` that exist with the wizard's label. `others`: labelled objects of the same kinds
 * and namespaces under names not in `refs` (left from an earlier config). Metadata-only lists, one per group.
 */
export async function findLabelled(
  cluster: Pick<ClusterIo, 'list'>,
  refs: readonly ObjectRef[],
): Promise<{ present: Set<string>; others: ObjectRef[] }> {
  const present = new Set<string>();
  const others: ObjectRef[] = [];
  for (const group of byKindAndNamespace(refs)) {
    const first = group[0] as ObjectRef;
    const names = new Set(group.map((r) => r.name));
    const items = await cluster.list({
      apiVersion: first.apiVersion,
      kind: first.kind,
      namespace: first.namespace,
      labelSelector: `${MANAGED_BY_LABEL}=${MANAGER}`,
      metadataOnly: true,
    });
    for (const o of items) {
      const ref = { ...first, name: o.metadata.name };
      if (names.has(ref.name)) present.add(refKey(ref));
      else others.push(ref);
    }
  }
  return { present, others };
}
