// JSON whose text does not depend on key order: for hashing inputs and for comparing objects the API server
// returns with what was sent.

/** JSON with object keys sorted at every level; undefined members are dropped as JSON.stringify does. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value !== null && typeof value === 'object') {
    const src = value as Record<string, unknown>;
    if (typeof (src as { toJSON?: unknown }).toJSON === 'function')
      return sortKeys(JSON.parse(JSON.stringify(src)));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(src).sort()) {
      if (src[key] !== undefined) out[key] = sortKeys(src[key]);
    }
    return out;
  }
  return value;
}
