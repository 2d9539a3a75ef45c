// The config file's shape: strict mappings (unknown keys are errors), field rules, defaults, and the `route`
// shorthand expanded. Checks that relate fields to each other live in crossChecks.ts.
import { z } from 'zod';
import { DEFAULTS as D, DEFAULT_REPLICAS, DEFAULT_TLS_MODE, defaultOf, LIMITS } from './defaults.js';
import { bool, describe, list, num, oneOf, str, strict, stringMap } from './fields.js';
import {
  checkDnsLabel,
  checkGatewayName,
  checkHostName,
  checkImageRef,
  checkIntRange,
  checkIp,
  checkLabelKey,
  checkLabelValue,
  checkNamespace,
  checkObjectName,
  checkPort,
  checkServiceName,
  checkWeight,
} from './rules.js';
import {
  APIS,
  BUILD_TOOLS,
  CERT_STORAGES,
  GATEWAY_DEPLOYMENTS,
  type HostConfig,
  ISTIO_API_VERSIONS,
  type IstioApiVersionSetting,
  KEY_TYPES,
  LOAD_BALANCERS,
  LOAD_TARGETS,
  PROTOCOLS,
  TLS_MODES,
  type WizardConfig,
} from './types.js';

export { LIMITS };

const range =
  ([min, max]: readonly [number, number]) =>
  (v: number) =>
    checkIntRange(v, min, max);

const nonEmpty = (v: string) => (v === '' ? 'must not be empty' : undefined);

const versionSchema = strict({
  name: str(checkDnsLabel),
  replicas: num(range(LIMITS.replicas)).default(DEFAULT_REPLICAS),
});

const routeSchema = strict({
  // Whether the subset exists is a cross-check: it needs the versions list.
  subset: str(nonEmpty),
  weight: num(checkWeight),
});

const tlsSchema = strict({
  mode: oneOf(TLS_MODES).default(DEFAULT_TLS_MODE),
  certFile: str(nonEmpty).optional(),
  keyFile: str(nonEmpty).optional(),
});

const hostSchema = strict({
  name: str(checkHostName),
  protocol: oneOf(PROTOCOLS),
  tls: tlsSchema.optional(),
  route: str(nonEmpty).optional(),
  routes: list(routeSchema, 'must list at least one route').optional(),
}).transform((h): HostConfig => {
  // Cross-checks reject route+routes, neither, and tls on HTTP, so this only normalises valid input.
  const routes = h.routes ?? (h.route !== undefined ? [{ subset: h.route, weight: 100 }] : []);
  const host: HostConfig = { name: h.name, protocol: h.protocol, routes };
  if (h.protocol === 'HTTPS') host.tls = h.tls ?? { mode: DEFAULT_TLS_MODE };
  return host;
});

const gatewaySchema = strict({
  name: str(checkGatewayName).default(D.gateway.name),
  selector: stringMap(
    checkLabelKey,
    checkLabelValue,
    'must not be empty (the labels of the gateway pods, e.g. { istio: ingressgateway })',
  ).default(() => defaultOf('gateway').selector),
  workloadNamespace: str(checkNamespace).default(D.gateway.workloadNamespace),
  httpsRedirect: bool().default(D.gateway.httpsRedirect),
  alsoMesh: bool().default(D.gateway.alsoMesh),
});

const gatewayApiSchema = strict({
  className: str(checkObjectName).default(() => defaultOf('gatewayApi').className),
  deployment: oneOf(GATEWAY_DEPLOYMENTS).default(() => defaultOf('gatewayApi').deployment),
  service: str(checkServiceName).optional(),
});

const certsSchema = strict({
  storage: oneOf(CERT_STORAGES).default(D.certs.storage),
  keyType: oneOf(KEY_TYPES).default(D.certs.keyType),
  validityDays: num(range(LIMITS.validityDays)).default(D.certs.validityDays),
});

const buildSchema = strict({
  enabled: bool().default(D.build.enabled),
  tool: oneOf(BUILD_TOOLS).optional(),
  context: str(nonEmpty).optional(),
  load: oneOf(LOAD_TARGETS).optional(),
});

const verifySchema = strict({
  address: str(checkIp).optional(),
  httpPort: num(checkPort).optional(),
  httpsPort: num(checkPort).optional(),
  timeoutSeconds: num(range(LIMITS.timeoutSeconds)).default(D.verify.timeoutSeconds),
  samples: num(range(LIMITS.samples)).default(D.verify.samples),
});

/** `networking.istio.io/v1`, or just its version (`v1`, `v1beta1`, `v1alpha3`), or `auto`. */
const SHORT_API_VERSIONS = ISTIO_API_VERSIONS.map((v) => v.slice(v.indexOf('/') + 1));
const istioApiVersion = oneOf(['auto', ...ISTIO_API_VERSIONS, ...SHORT_API_VERSIONS]).transform(
  (v) => (v === 'auto' || v.includes('/') ? v : `networking.istio.io/${v}`) as IstioApiVersionSetting,
);

export const configSchema = strict({
  api: oneOf(APIS).default(D.api),
  namespace: str(checkNamespace).default(D.namespace),
  app: str((v) => checkServiceName(v) ?? checkLabelValue(v)).default(D.app),
  image: str(checkImageRef).default(D.image),
  versions: list(versionSchema, 'must list at least one version').default(() => defaultOf('versions')),
  loadBalancer: oneOf(LOAD_BALANCERS).default(D.loadBalancer),
  gateway: gatewaySchema.default(() => defaultOf('gateway')),
  gatewayApi: gatewayApiSchema.default(() => defaultOf('gatewayApi')),
  // "At least one host" depends on the caller (the TUI asks for hosts later), so it is a cross-check.
  hosts: z
    .array(hostSchema, { error: (issue) => `must be a list (got ${describe(issue.input)})` })
    .default(() => []),
  certs: certsSchema.default(() => defaultOf('certs')),
  istio: strict({ apiVersion: istioApiVersion.default(D.istio.apiVersion) }).default(() =>
    defaultOf('istio'),
  ),
  build: buildSchema.default(() => defaultOf('build')),
  verify: verifySchema.default(() => defaultOf('verify')),
});

// Compile-time proof that the schema produces exactly the shared contract.
type SchemaOutput = z.output<typeof configSchema>;
const _proof: (o: SchemaOutput) => WizardConfig = (o) => o;
void _proof;
