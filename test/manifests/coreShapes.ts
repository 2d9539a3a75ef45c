/**
 * Core objects (Deployment, Service, Secret) have no CRD schema to validate against, so their shape is checked
 * here by hand: CLOSED schemas listing exactly the fields the builders may emit (a misspelt field fails), with the
 * apiserver's own value rules (DNS names, IANA port names, port ranges, Secret data keys, base64), plus the
 * cross-field rules the apiserver enforces (apps/v1 selector must match the template labels; kubernetes.io/tls
 * needs tls.crt and tls.key).
 */
import { Ajv } from 'ajv';
import type { K8sObject } from '../../src/manifests/types.js';

const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
/** IANA_SVC_NAME: ≤15 chars, lowercase alphanumerics and '-', at least one letter, no leading/trailing/double '-'. */
const IANA_SVC_NAME = '^(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$';
const LABEL_VALUE = '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$';
const QUALIFIED =
  '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$';
const BASE64 = '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$';

const closed = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
});
const labels = {
  type: 'object',
  propertyNames: { maxLength: 316, pattern: QUALIFIED },
  additionalProperties: { type: 'string', maxLength: 63, pattern: LABEL_VALUE },
};
const port = { type: 'integer', minimum: 1, maximum: 65535 };
const metadata = (namespaced = true) =>
  closed(
    {
      name: { type: 'string', maxLength: 63, pattern: DNS_LABEL },
      namespace: { type: 'string', maxLength: 63, pattern: DNS_LABEL },
      labels,
      annotations: {
        type: 'object',
        propertyNames: { pattern: QUALIFIED },
        additionalProperties: { type: 'string' },
      },
    },
    namespaced ? ['name', 'namespace'] : ['name'],
  );
const quantity = { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|k|M|G)?$' };

const container = closed(
  {
    name: { type: 'string', maxLength: 63, pattern: DNS_LABEL },
    image: { type: 'string', minLength: 1 },
    imagePullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
    env: {
      type: 'array',
      items: closed(
        { name: { type: 'string', pattern: '^[-._a-zA-Z][-._a-zA-Z0-9]*$' }, value: { type: 'string' } },
        ['name'],
      ),
    },
    ports: {
      type: 'array',
      items: closed(
        {
          name: { type: 'string', pattern: IANA_SVC_NAME },
          containerPort: port,
          protocol: { enum: ['TCP', 'UDP', 'SCTP'] },
        },
        ['containerPort'],
      ),
    },
    readinessProbe: closed({
      httpGet: closed(
        { path: { type: 'string', pattern: '^/' }, port: { anyOf: [port, { type: 'string' }] } },
        ['port'],
      ),
      periodSeconds: { type: 'integer', minimum: 1 },
    }),
    resources: closed({
      requests: closed({ cpu: quantity, memory: quantity }),
      limits: closed({ cpu: quantity, memory: quantity }),
    }),
  },
  ['name', 'image'],
);

const SCHEMAS: Record<string, object> = {
  'apps/v1/Deployment': closed(
    {
      apiVersion: { const: 'apps/v1' },
      kind: { const: 'Deployment' },
      metadata: metadata(),
      spec: closed(
        {
          replicas: { type: 'integer', minimum: 0 },
          selector: closed({ matchLabels: labels }, ['matchLabels']),
          template: closed(
            {
              metadata: closed({ labels }, ['labels']),
              spec: closed({ containers: { type: 'array', minItems: 1, items: container } }, ['containers']),
            },
            ['metadata', 'spec'],
          ),
        },
        ['selector', 'template'],
      ),
    },
    ['apiVersion', 'kind', 'metadata', 'spec'],
  ),
  'v1/Service': closed(
    {
      apiVersion: { const: 'v1' },
      kind: { const: 'Service' },
      metadata: metadata(),
      spec: closed(
        {
          selector: labels,
          ports: {
            type: 'array',
            minItems: 1,
            items: closed(
              {
                name: { type: 'string', maxLength: 63, pattern: DNS_LABEL },
                port,
                targetPort: { anyOf: [port, { type: 'string', pattern: IANA_SVC_NAME }] },
                protocol: { enum: ['TCP', 'UDP', 'SCTP'] },
                appProtocol: { type: 'string' },
              },
              ['port'],
            ),
          },
        },
        ['ports'],
      ),
    },
    ['apiVersion', 'kind', 'metadata', 'spec'],
  ),
  'v1/Secret': closed(
    {
      apiVersion: { const: 'v1' },
      kind: { const: 'Secret' },
      metadata: closed(
        {
          name: { type: 'string', maxLength: 253, pattern: DNS_SUBDOMAIN },
          namespace: { type: 'string', maxLength: 63, pattern: DNS_LABEL },
          labels,
          annotations: {
            type: 'object',
            propertyNames: { pattern: QUALIFIED },
            additionalProperties: { type: 'string' },
          },
        },
        ['name', 'namespace'],
      ),
      type: { enum: ['Opaque', 'kubernetes.io/tls'] },
      data: {
        type: 'object',
        propertyNames: { maxLength: 253, pattern: '^[-._a-zA-Z0-9]+$' },
        additionalProperties: { type: 'string', pattern: BASE64 },
      },
    },
    ['apiVersion', 'kind', 'metadata', 'type', 'data'],
  ),
  // gateway-api mode's client CA bundle (key ca.crt, plain PEM text).
  'v1/ConfigMap': closed(
    {
      apiVersion: { const: 'v1' },
      kind: { const: 'ConfigMap' },
      metadata: metadata(),
      data: {
        type: 'object',
        propertyNames: { maxLength: 253, pattern: '^[-._a-zA-Z0-9]+$' },
        additionalProperties: { type: 'string' },
      },
    },
    ['apiVersion', 'kind', 'metadata', 'data'],
  ),
};

const ajv = new Ajv({ allErrors: true, strict: true });
const validators = Object.fromEntries(Object.entries(SCHEMAS).map(([k, s]) => [k, ajv.compile(s)]));

function crossFieldErrors(obj: K8sObject): string[] {
  const errors: string[] = [];
  if (obj.kind === 'Deployment') {
    const sel: Record<string, string> = obj.spec?.selector?.matchLabels ?? {};
    const tpl: Record<string, string> = obj.spec?.template?.metadata?.labels ?? {};
    if (Object.keys(sel).length === 0) errors.push('/spec/selector: empty selector');
    for (const [k, v] of Object.entries(sel)) {
      if (tpl[k] !== v) errors.push(`/spec/template/metadata/labels: selector ${k}=${v} does not match`);
    }
    for (const c of obj.spec?.template?.spec?.containers ?? []) {
      const named = new Set((c.ports ?? []).map((p: { name?: string }) => p.name));
      const numbered = new Set((c.ports ?? []).map((p: { containerPort: number }) => p.containerPort));
      const probe = c.readinessProbe?.httpGet?.port;
      if (probe !== undefined && !named.has(probe) && !numbered.has(probe)) {
        errors.push(
          `/spec/template/spec/containers/${c.name}: readinessProbe port ${probe} is not a container port`,
        );
      }
    }
  }
  if (obj.kind === 'Service') {
    const names = (obj.spec?.ports ?? []).map((p: { name?: string }) => p.name);
    if (names.length > 1 && (names.includes(undefined) || new Set(names).size !== names.length)) {
      errors.push('/spec/ports: with several ports every port needs a unique name');
    }
  }
  if (obj.kind === 'Secret' && obj.type === 'kubernetes.io/tls') {
    for (const k of ['tls.crt', 'tls.key'])
      if (!(k in (obj.data ?? {}))) errors.push(`/data: ${k} is required`);
  }
  return errors;
}

/** Errors for a core object ([] when valid); an unknown kind is an error, not a pass. */
export function validateCoreObject(obj: K8sObject): string[] {
  const fn = validators[`${obj.apiVersion}/${obj.kind}`];
  if (!fn) return [`no core shape for ${obj.apiVersion} ${obj.kind}`];
  const schemaErrors = fn(obj)
    ? []
    : (fn.errors ?? []).map((e) =>
        e.keyword === 'additionalProperties'
          ? `${e.instancePath || '/'}: unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`
          : `${e.instancePath || '/'}: ${e.message}`,
      );
  return [...schemaErrors, ...crossFieldErrors(obj)];
}
