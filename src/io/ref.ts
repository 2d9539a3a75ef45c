/** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects: how results, errors and reports name objects. */
export function refString(ref: { kind: string; namespace?: string; name: string }): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}
