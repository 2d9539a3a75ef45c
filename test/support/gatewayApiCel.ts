// The CEL rules of the Gateway API v1.6.1 CRDs that the wizard's Gateways and HTTPRoutes reach, implemented by hand
// (crdSchemas.ts cannot compile CEL). Each entry recognises its rule's text and checks `self` the way the
// apiserver would — after its defaulting (matches → one PathPrefix "/", parentRef group/kind → Gateway,
// listener tls.mode → Terminate, address type → IPAddress). Families of rules that differ only in a name (one per
// filter type) are parsed from the rule text, so every member is evaluated, not only the ones seen so far.

// biome-ignore lint/suspicious/noExplicitAny: CEL's `self` is open-ended JSON
type Self = any;

export interface CelImpl {
  match: (rule: string) => boolean;
  check: (self: Self, rule: string) => boolean;
}

const has = (o: Self, k: string) => typeof o === 'object' && o !== null && o[k] !== undefined;
const list = (v: Self): Self[] => (Array.isArray(v) ? v : []);
const exactly = (text: string) => (rule: string) => rule.replace(/\s+/g, ' ') === text.replace(/\s+/g, ' ');

const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Unique by `key` among the items for which `applies` holds (CEL's all(exists_one(…))). */
const uniqueBy = (items: Self[], key: (x: Self) => string, applies: (x: Self) => boolean = () => true) => {
  const seen = new Map<string, number>();
  for (const x of items.filter(applies)) seen.set(key(x), (seen.get(key(x)) ?? 0) + 1);
  return [...seen.values()].every((n) => n === 1);
};

const addrType = (a: Self) => a?.type ?? 'IPAddress';
const matchesOf = (rule: Self) =>
  has(rule, 'matches') ? list(rule.matches) : [{ path: { type: 'PathPrefix', value: '/' } }];
const parentKey = (p: Self, withSection: boolean) =>
  JSON.stringify([
    p?.group ?? 'gateway.networking.k8s.io',
    p?.kind ?? 'Gateway',
    p?.name,
    p?.namespace || '',
    withSection ? p?.sectionName || '' : '',
  ]);
const prefixRewrite = (filters: Self[], which: 'requestRedirect' | 'urlRewrite') =>
  filters.filter(
    (f) => f?.[which]?.path?.type === 'ReplacePrefixMatch' && has(f[which].path, 'replacePrefixMatch'),
  ).length === 1;
const singlePrefixMatch = (rule: Self) => {
  const m = matchesOf(rule);
  return m.length === 1 && m[0]?.path?.type === 'PathPrefix';
};

export const GATEWAY_API_CEL: CelImpl[] = [
  // Gateway.spec.addresses
  {
    match: (r) => r.startsWith("self.all(a1, a1.type == 'IPAddress' && has(a1.value) ?"),
    check: (self) =>
      uniqueBy(
        list(self),
        (a) => a.value,
        (a) => addrType(a) === 'IPAddress' && has(a, 'value'),
      ),
  },
  {
    match: (r) => r.startsWith("self.all(a1, a1.type == 'Hostname'  && has(a1.value) ?"),
    check: (self) =>
      uniqueBy(
        list(self),
        (a) => a.value,
        (a) => addrType(a) === 'Hostname' && has(a, 'value'),
      ),
  },
  {
    match: (r) => r.startsWith("self.type == 'Hostname' ? (!has(self.value) || self.value.matches("),
    check: (self) => addrType(self) !== 'Hostname' || !has(self, 'value') || HOSTNAME.test(self.value),
  },
  // Gateway.spec.listeners
  {
    match: exactly("self.all(l, l.protocol in ['HTTP', 'TCP', 'UDP'] ? !has(l.tls) : true)"),
    check: (self) => list(self).every((l) => !['HTTP', 'TCP', 'UDP'].includes(l.protocol) || !has(l, 'tls')),
  },
  {
    match: exactly(
      "self.all(l, (l.protocol == 'HTTPS' && has(l.tls)) ? (l.tls.mode == '' || l.tls.mode == 'Terminate') : true)",
    ),
    check: (self) =>
      list(self).every(
        (l) =>
          !(l.protocol === 'HTTPS' && has(l, 'tls')) || ['', 'Terminate', undefined].includes(l.tls.mode),
      ),
  },
  {
    match: exactly(
      "self.all(l, (l.protocol == 'TLS' ? has(l.tls) && has(l.tls.mode) && l.tls.mode != '' : true))",
    ),
    check: (self) => list(self).every((l) => l.protocol !== 'TLS' || (has(l, 'tls') && l.tls.mode !== '')),
  },
  {
    match: exactly(
      "self.all(l, l.protocol in ['TCP', 'UDP'] ? (!has(l.hostname) || l.hostname == '') : true)",
    ),
    check: (self) => list(self).every((l) => !['TCP', 'UDP'].includes(l.protocol) || !l.hostname),
  },
  {
    match: exactly('self.all(l1, self.exists_one(l2, l1.name == l2.name))'),
    check: (self) => uniqueBy(list(self), (l) => l.name),
  },
  {
    match: (r) =>
      r.startsWith('self.all(l1, self.exists_one(l2, l1.port == l2.port && l1.protocol == l2.protocol'),
    check: (self) => uniqueBy(list(self), (l) => JSON.stringify([l.port, l.protocol, l.hostname ?? null])),
  },
  {
    match: exactly(
      "self.mode == 'Terminate' ? size(self.certificateRefs) > 0 || size(self.options) > 0 : true",
    ),
    check: (self) =>
      (self?.mode ?? 'Terminate') !== 'Terminate' ||
      list(self?.certificateRefs).length > 0 ||
      Object.keys(self?.options ?? {}).length > 0,
  },
  {
    match: exactly('self.all(t1, self.exists_one(t2, t1.port == t2.port))'),
    check: (self) => uniqueBy(list(self), (t) => String(t.port)),
  },
  // HTTPRoute.spec.parentRefs
  {
    match: (r) => r.startsWith('self.all(p1, self.all(p2, p1.group == p2.group'),
    // Two refs to the same parent must both set sectionName or both leave it out.
    check: (self) => {
      const refs = list(self);
      return refs.every((p1) =>
        refs.every(
          (p2) => parentKey(p1, false) !== parentKey(p2, false) || !!p1.sectionName === !!p2.sectionName,
        ),
      );
    },
  },
  {
    match: (r) => r.startsWith('self.all(p1, self.exists_one(p2, p1.group == p2.group'),
    check: (self) => uniqueBy(list(self), (p) => parentKey(p, true)),
  },
  // HTTPRoute.spec.rules
  {
    match: (r) => r.startsWith('(self.size() > 0 ? self[0].matches.size() : 0)') && r.endsWith('<= 128'),
    check: (self) =>
      list(self)
        .slice(0, 16)
        .reduce((n, rule) => n + matchesOf(rule).length, 0) <= 128,
  },
  {
    match: exactly(
      '(has(self.backendRefs) && size(self.backendRefs) > 0) ? (!has(self.filters) || self.filters.all(f, !has(f.requestRedirect))): true',
    ),
    check: (self) =>
      list(self?.backendRefs).length === 0 || list(self?.filters).every((f) => !has(f, 'requestRedirect')),
  },
  {
    match: (r) =>
      r.startsWith(
        '(has(self.filters) && self.filters.exists_one(f, has(f.requestRedirect) && has(f.requestRedirect.path)',
      ),
    check: (self) => !prefixRewrite(list(self?.filters), 'requestRedirect') || singlePrefixMatch(self),
  },
  {
    match: (r) =>
      r.startsWith(
        '(has(self.filters) && self.filters.exists_one(f, has(f.urlRewrite) && has(f.urlRewrite.path)',
      ),
    check: (self) => !prefixRewrite(list(self?.filters), 'urlRewrite') || singlePrefixMatch(self),
  },
  {
    match: (r) =>
      r.startsWith(
        '(has(self.backendRefs) && self.backendRefs.exists_one(b, (has(b.filters) && b.filters.exists_one(f, has(f.requestRedirect)',
      ),
    check: (self) =>
      list(self?.backendRefs).filter((b) => prefixRewrite(list(b?.filters), 'requestRedirect')).length !==
        1 || singlePrefixMatch(self),
  },
  {
    match: (r) =>
      r.startsWith(
        '(has(self.backendRefs) && self.backendRefs.exists_one(b, (has(b.filters) && b.filters.exists_one(f, has(f.urlRewrite)',
      ),
    check: (self) =>
      list(self?.backendRefs).filter((b) => prefixRewrite(list(b?.filters), 'urlRewrite')).length !== 1 ||
      singlePrefixMatch(self),
  },
  {
    match: exactly("(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true"),
    check: (self) =>
      !((self?.group ?? '') === '' && (self?.kind ?? 'Service') === 'Service') || has(self, 'port'),
  },
  // HTTPRoute filters (lists, rule- and backend-level)
  {
    match: exactly(
      "!(self.exists(f, f.type == 'RequestRedirect') && self.exists(f, f.type == 'URLRewrite'))",
    ),
    check: (self) =>
      !(
        list(self).some((f) => f.type === 'RequestRedirect') &&
        list(self).some((f) => f.type === 'URLRewrite')
      ),
  },
  {
    match: (r) => /^self\.filter\(f, f\.type == '(\w+)'\)\.size\(\) <= 1$/.test(r),
    check: (self, r) => {
      const type = /'(\w+)'/.exec(r)?.[1];
      return list(self).filter((f) => f.type === type).length <= 1;
    },
  },
  // One filter: its type names the field that is set ("!(has(self.x) && self.type != 'X')" and the converse).
  {
    match: (r) => /^!\(!?has\(self\.(\w+)\) && self\.type (!=|==) '(\w+)'\)$/.test(r),
    check: (self, r) => {
      const [, neg, field, op, type] =
        /^!\((!?)has\(self\.(\w+)\) && self\.type (!=|==) '(\w+)'\)$/.exec(r) ?? [];
      const fieldSet = has(self, field as string);
      const cond = (neg ? !fieldSet : fieldSet) && (op === '!=' ? self?.type !== type : self?.type === type);
      return !cond;
    },
  },
];

export function gatewayApiCel(rule: string): ((self: Self) => boolean) | undefined {
  const impl = GATEWAY_API_CEL.find((c) => c.match(rule));
  return impl ? (self) => impl.check(self, rule) : undefined;
}
