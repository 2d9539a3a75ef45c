// Tolerant readers for the unvalidated config, used by cross-checks and findMissingAnswers: they look only at
// values of the expected type and ignore the rest (the schema reports wrong types).

export type RawMap = Record<string, unknown>;

export function isMap(value: unknown): value is RawMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The items of a list that are mappings, with their index in the list. */
export function mapItems(value: unknown): [number, RawMap][] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item, index): [number, RawMap][] => (isMap(item) ? [[index, item]] : []));
}

/** YAML `key:` with no value means "not given": drop null map values so defaults apply. List items stay. */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (!isMap(value)) return value;
  const out: RawMap = {};
  for (const [key, v] of Object.entries(value)) {
    // defineProperty, not `out[key] =`: a `__proto__` key must stay a key (reported as unknown), not become the
    // map's prototype, whose keys every check would then see without the schema seeing them.
    if (v !== null)
      Object.defineProperty(out, key, { value: dropNulls(v), enumerable: true, writable: true });
  }
  return out;
}
