// Object, port and secret-key names derived from host names. Hosts are DNS names, possibly wildcards
// (`*.example.com`); Kubernetes names must be DNS-1123, so the derivation is lossy (`a-b.com` and `a.b.com` both
// become `a-b-com`) and every derived set is de-duplicated deterministically, in host order, with `-2`, `-3`, ….

/** Longest DNS-1123 label: used as the cap for every derived name so they stay label-like everywhere. */
export const MAX_LABEL = 63;

/** `flask.example1.com` → `flask-example1-com`; `*.example.com` → `wildcard-example-com`. */
export function hostSlug(host: string): string {
  const slug = host
    .toLowerCase()
    .replace(/\*/g, 'wildcard')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'host';
}

/** Cuts `base` so that `base + suffix` fits in `max`, never leaving a trailing dash. */
export function fitName(base: string, suffix: string, max = MAX_LABEL): string {
  const room = max - suffix.length;
  const cut = base.length > room ? base.slice(0, room).replace(/-+$/, '') : base;
  return `${cut}${suffix}`;
}

/**
 * Derives one name per input with `derive`, then makes them unique: the first keeps its name, later duplicates get
 * `-2`, `-3`, … (cut to fit `max`). `taken` holds names already in use (e.g. the plain `http` port).
 */
export function uniqueNames(
  inputs: readonly string[],
  derive: (input: string) => string,
  max = MAX_LABEL,
  taken: Iterable<string> = [],
): Map<string, string> {
  const used = new Set(taken);
  const out = new Map<string, string>();
  for (const input of inputs) {
    if (out.has(input)) continue;
    const base = fitName(derive(input), '', max);
    let name = base;
    for (let n = 2; used.has(name); n++) name = fitName(base, `-${n}`, max);
    used.add(name);
    out.set(input, name);
  }
  return out;
}

/** Map lookup that fails loudly: a missing entry is a bug in the builder, never a user error. */
export function mustGet<K, V>(map: ReadonlyMap<K, V>, key: K, what: string): V {
  const v = map.get(key);
  if (v === undefined) throw new Error(`internal: no ${what} for ${String(key)}`);
  return v;
}
