/**
 * Validates emitted custom resources against the real, published CRDs (Istio 1.30.3, Gateway API v1.6.1) from
 * `<repo>/../shared/fixtures/crds/`, the way the kube-apiserver does with `fieldValidation=Strict` (kubectl's
 * default):
 *
 * - Each served version's `openAPIV3Schema` is compiled with ajv. The schemas are *structural* but NOT closed: no
 *   node sets `additionalProperties: false`; the apiserver instead prunes unknown fields (or, in Strict mode,
 *   rejects them). Validating the raw schema would therefore let `spec.servers[0].port.numbr` pass silently, so
 *   every object node with `properties` is closed here (`additionalProperties: false`) unless it says
 *   `x-kubernetes-preserve-unknown-fields: true` — exactly the apiserver's pruning rule, turned into errors.
 * - The apiserver's implicit root fields (apiVersion, kind, metadata) are added, with metadata checked for valid
 *   names, namespaces, labels and annotations.
 * - `x-kubernetes-int-or-string` becomes `anyOf [integer, string]`; Kubernetes' formats (int32, double, byte,
 *   date-time) are checked.
 * - `x-kubernetes-validations` (CEL) cannot be compiled here. The rules the Istio networking schemas actually use
 *   are implemented by hand (see CEL_RULES); an object that reaches any OTHER rule gets an error saying so, so a
 *   CEL rule is never skipped silently.
 *
 * What this cannot catch: webhook-only validation (istiod's validating webhook, e.g. weights summing past 100 or
 * duplicate subset names) and `x-kubernetes-list-type: map` key uniqueness. The offline analyzer and the
 * apiserver tier cover cross-object rules.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { gatewayApiCel } from './gatewayApiCel.js';

const CRD_DIR = new URL('../../../shared/fixtures/crds/', import.meta.url);
const CRD_FILES = ['istio-1.30.3.yaml', 'gateway-api-v1.6.1-standard.yaml'];

// biome-ignore lint/suspicious/noExplicitAny: JSON schema nodes are open-ended
type Schema = Record<string, any>;

interface CrdVersion {
  served: boolean;
  schema: Schema;
}

const DNS1123_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const DNS1123_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** Label/annotation keys: optional DNS-subdomain prefix, then a name of alphanumerics, `-`, `_`, `.`. */
const QUALIFIED_NAME =
  '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$';
const LABEL_VALUE = '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$';

const METADATA_SCHEMA: Schema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 253, pattern: DNS1123_SUBDOMAIN },
    namespace: { type: 'string', maxLength: 63, pattern: DNS1123_LABEL },
    labels: {
      type: 'object',
      propertyNames: { maxLength: 316, pattern: QUALIFIED_NAME },
      additionalProperties: { type: 'string', maxLength: 63, pattern: LABEL_VALUE },
    },
    annotations: {
      type: 'object',
      propertyNames: { maxLength: 316, pattern: QUALIFIED_NAME },
      additionalProperties: { type: 'string' },
    },
  },
};

/** Go duration literal → nanoseconds (CEL's `duration()`), or NaN when malformed. */
export function parseGoDuration(text: string): number {
  const units: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return Number.NaN;
  let total = 0;
  for (const m of text.matchAll(re)) total += Number(m[1]) * (units[m[2] as string] ?? Number.NaN);
  return total;
}

const has = (o: unknown, k: string) => typeof o === 'object' && o !== null && k in o;
const count = (o: unknown, ...keys: string[]) => keys.filter((k) => has(o, k)).length;

/** The CEL rules of the Istio networking CRDs, implemented by hand (rule text → predicate on `self`). */
const CEL_RULES: Record<string, (self: unknown) => boolean> = {
  "duration(self) >= duration('1ms')": (self) => typeof self === 'string' && parseGoDuration(self) >= 1e6,
  '(has(self.tlsCertificates) ? 1 : 0) + (has(self.credentialNames) ? 1 : 0) <= 1': (self) =>
    count(self, 'tlsCertificates', 'credentialNames') <= 1,
  '(has(self.credentialName) ? 1 : 0) + (has(self.credentialNames) ? 1 : 0) <= 1': (self) =>
    count(self, 'credentialName', 'credentialNames') <= 1,
  '(has(self.credentialNames) ? 1 : 0) + (has(self.tlsCertificates) ? 1 : 0) <= 1': (self) =>
    count(self, 'credentialNames', 'tlsCertificates') <= 1,
  'self.all(key, !key.contains("*"))': (self) => Object.keys(self ?? {}).every((k) => !k.includes('*')),
  'self.all(key, key.size() != 0)': (self) => Object.keys(self ?? {}).every((k) => k.length !== 0),
  '!self.contains("*")': (self) => typeof self === 'string' && !self.includes('*'),
};

/**
 * Closes every object node that has `properties` (the apiserver's pruning rule as an error) and rewrites
 * `x-kubernetes-int-or-string`. Returns a fresh copy; `open` keeps the raw, unclosed semantics (for the test that
 * documents why closing is needed).
 */
export function closeSchema(node: unknown, open = false): unknown {
  if (Array.isArray(node)) return node.map((n) => closeSchema(n, open));
  if (typeof node !== 'object' || node === null) return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) {
    // `properties` maps field names to schemas: recurse into the values, never treat the names as keywords.
    // Inside oneOf/anyOf/allOf/not, `properties` only constrain values (a structural schema prunes by the
    // top-level properties alone), so those branches are never closed.
    const junctor = k === 'oneOf' || k === 'anyOf' || k === 'allOf' || k === 'not';
    out[k] =
      k === 'properties'
        ? Object.fromEntries(Object.entries(v as Schema).map(([pk, pv]) => [pk, closeSchema(pv, open)]))
        : closeSchema(v, open || junctor);
  }
  if (out['x-kubernetes-int-or-string'] === true && !out.anyOf && !out.type) {
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  const preserve = out['x-kubernetes-preserve-unknown-fields'] === true;
  if (!open && out.properties && out.additionalProperties === undefined && !preserve) {
    out.additionalProperties = false;
  }
  return out;
}

function makeAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  for (const kw of [
    'x-kubernetes-int-or-string',
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-list-type',
  ]) {
    ajv.addKeyword({ keyword: kw });
  }
  ajv.addKeyword({ keyword: 'x-kubernetes-list-map-keys' });
  ajv.addKeyword({ keyword: 'x-kubernetes-map-type' });
  ajv.addKeyword({ keyword: 'x-kubernetes-embedded-resource' });
  ajv.addKeyword({
    keyword: 'x-kubernetes-validations',
    schemaType: 'array',
    errors: true,
    validate: function cel(rules: { rule: string; message?: string }[], data: unknown): boolean {
      const errors: Partial<ErrorObject>[] = [];
      for (const r of rules) {
        const impl = CEL_RULES[r.rule] ?? gatewayApiCel(r.rule);
        if (!impl)
          errors.push({ message: `CEL rule not evaluated offline (add it to CEL_RULES): ${r.rule}` });
        else if (!impl(data)) errors.push({ message: r.message ?? `failed CEL rule: ${r.rule}` });
      }
      (cel as unknown as { errors: Partial<ErrorObject>[] }).errors = errors;
      return errors.length === 0;
    },
  });
  const INT32 = 2 ** 31;
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -INT32 && n < INT32,
  });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i);
  return ajv;
}

let crdIndex: Map<string, Map<string, CrdVersion>> | undefined;

/** `group/Kind` → version name → { served, schema }. */
function loadCrds(): Map<string, Map<string, CrdVersion>> {
  if (crdIndex) return crdIndex;
  crdIndex = new Map();
  for (const file of CRD_FILES) {
    const text = readFileSync(new URL(file, CRD_DIR), 'utf8');
    for (const doc of parseAllDocuments(text)) {
      const crd = doc.toJS() as Schema | null;
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      const key = `${crd.spec.group}/${crd.spec.names.kind}`;
      const versions = new Map<string, CrdVersion>();
      for (const v of crd.spec.versions as Schema[]) {
        versions.set(v.name, { served: v.served === true, schema: v.schema?.openAPIV3Schema ?? {} });
      }
      crdIndex.set(key, versions);
    }
  }
  return crdIndex;
}

const compiled = new Map<string, ValidateFunction>();
const ajv = makeAjv();

function rootSchema(schema: Schema, apiVersion: string, kind: string, open: boolean): Schema {
  const closed = closeSchema(schema, open) as Schema;
  return {
    ...closed,
    type: 'object',
    required: [...new Set([...(closed.required ?? []), 'apiVersion', 'kind', 'metadata'])],
    properties: {
      ...closed.properties,
      apiVersion: { const: apiVersion },
      kind: { const: kind },
      metadata: METADATA_SCHEMA,
    },
  };
}

/** The compiled validator for apiVersion + kind, or an error string when the CRD does not serve it. */
export function validatorFor(
  apiVersion: string,
  kind: string,
  opts: { open?: boolean } = {},
): ValidateFunction | string {
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const versions = loadCrds().get(`${group}/${kind}`);
  if (!versions) return `no CRD for kind ${kind} in group ${group || '(core)'}`;
  const v = versions.get(version);
  if (!v) return `CRD ${group}/${kind} has no version ${version} (has ${[...versions.keys()].join(', ')})`;
  if (!v.served) return `CRD ${group}/${kind} version ${version} is not served`;
  const key = `${apiVersion}|${kind}|${opts.open ? 'open' : 'closed'}`;
  let fn = compiled.get(key);
  if (!fn) {
    fn = ajv.compile(rootSchema(v.schema, apiVersion, kind, opts.open === true));
    compiled.set(key, fn);
  }
  return fn;
}

function describe(e: ErrorObject): string {
  const where = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') {
    return `${where}: unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  }
  return `${where}: ${e.message ?? e.keyword}`;
}

/** Schema errors for a custom resource ([] when valid); also errors when its kind/version is not served. */
export function validateAgainstCrd(obj: unknown, opts: { open?: boolean } = {}): string[] {
  const o = obj as Schema;
  if (typeof o?.apiVersion !== 'string' || typeof o?.kind !== 'string')
    return ['apiVersion and kind are required'];
  const fn = validatorFor(o.apiVersion, o.kind, opts);
  if (typeof fn === 'string') return [fn];
  if (fn(obj)) return [];
  return [...new Set((fn.errors ?? []).map(describe))];
}
