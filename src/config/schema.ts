// The config file's shape: strict mappings (unknown keys are errors), field rules, every default (written here and
// nowhere else: defaults.ts parses `{}`), and the `route` shorthand expanded. The config types are inferred from
// it (types.ts). Checks that relate fields to each other live in crossChecks.ts.
import { z } from 'zod';
import { bool, describe, list, num, oneOf, str, strict, stringMap } from './fields.js';
import { LIMITS } from './limits.js';
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
  ISTIO_API_VERSIONS,
  type IstioApiVersionSetting,
  KEY_TYPES,
  LOAD_BALANCERS,
  LOAD_TARGETS,
  PROTOCOLS,
  TLS_MODES,
} from './types.js';

const DEFAULT_TLS_MODE = 'SIMPLE';

const range =
  ([min, max]: readonly [number, number]) =>
  (v: number) =>
    checkIntRange(v, min, max);

const nonEmpty = (v: string) => (v === '' ? 'must not be empty' : undefined);

export const versionSchema = strict({
  name: str(checkDnsLabel),
  replicas: num(range(LIMITS.replicas)).default(1),
});

export const routeSchema = strict({
  // Whether the subset exists is a cross-check: it needs the versions list.
  subset: str(nonEmpty),
  weight: num(checkWeight),
});

export const tlsSchema = strict({
  mode: oneOf(TLS_MODES).default(DEFAULT_TLS_MODE),
  certFile: str(nonEmpty).optional(),
  keyFile: str(nonEmpty).optional(),
});

const hostFields = strict({
  /** DNS name, may be a wildcard like *.example.com */
  name: str(checkHostName),
  protocol: oneOf(PROTOCOLS),
  /** Present only for HTTPS hosts (defaults to { mode: SIMPLE }). */
  tls: tlsSchema.optional(),
  route: str(nonEmpty).optional(),
  routes: list(routeSchema, 'must list at least one route').optional(),
});

/** A host as every step sees it: always the long form (`route: v2` is [{ subset: v2, weight: 100 }]). */
export type HostConfig = Omit<z.output<typeof hostFields>, 'route' | 'routes'> & {
  routes: z.output<typeof routeSchema>[];
};

const hostSchema = hostFields.transform((h): HostConfig => {
  // Cross-checks reject route+routes, neither, and tls on HTTP, so this only normalises valid input.
  const routes = h.routes ?? (h.route !== undefined ? [{ subset: h.route, weight: 100 }] : []);
  const host: HostConfig = { name: h.name, protocol: h.protocol, routes };
  if (h.protocol === 'HTTPS') host.tls = h.tls ?? { mode: DEFAULT_TLS_MODE };
  return host;
});

export const gatewaySchema = strict({
  name: str(checkGatewayName).default('flask-gateway'),
  selector: stringMap(
    checkLabelKey,
    checkLabelValue,
    'must not be empty (the labels of the gateway pods, e.g. { istio: ingressgateway })',
  ).default(() => ({ istio: 'ingressgateway' })),
  workloadNamespace: str(checkNamespace).default('istio-system'),
  httpsRedirect: bool().default(false),
  alsoMesh: bool().default(false),
});

export const gatewayApiSchema = strict({
  /** spec.gatewayClassName of the Gateway. */
  className: str(checkObjectName).default('istio'),
  deployment: oneOf(GATEWAY_DEPLOYMENTS).default('attach'),
  /**
   * attach: the existing gateway's Service in gateway.workloadNamespace. Absent: derived from a well-known
   * gateway.selector (istio=ingressgateway → istio-ingressgateway, istio=ingress → istio-ingress).
   */
  service: str(checkServiceName).optional(),
});

export const certsSchema = strict({
  storage: oneOf(CERT_STORAGES).default('credentialName'),
  keyType: oneOf(KEY_TYPES).default('ecdsa-p256'),
  validityDays: num(range(LIMITS.validityDays)).default(365),
});

export const buildSchema = strict({
  enabled: bool().default(true),
  /** Auto-detected (docker, podman, nerdctl in that order) when absent. */
  tool: oneOf(BUILD_TOOLS).optional(),
  /** Build context directory; default: the bundled flask/ directory. */
  context: str(nonEmpty).optional(),
  /** Auto-detected from the kube context when absent. */
  load: oneOf(LOAD_TARGETS).optional(),
});

export const verifySchema = strict({
  /** Ingress address to test against; default: what preflight discovered. */
  address: str(checkIp).optional(),
  httpPort: num(checkPort).optional(),
  httpsPort: num(checkPort).optional(),
  timeoutSeconds: num(range(LIMITS.timeoutSeconds)).default(120),
  /** Requests per weighted host (≥ 100). */
  samples: num(range(LIMITS.samples)).default(100),
});

/** `networking.istio.io/v1`, or just its version (`v1`, `v1beta1`, `v1alpha3`), or `auto`. */
const SHORT_API_VERSIONS = ISTIO_API_VERSIONS.map((v) => v.slice(v.indexOf('/') + 1));
const istioApiVersion = oneOf(['auto', ...ISTIO_API_VERSIONS, ...SHORT_API_VERSIONS]).transform(
  (v) => (v === 'auto' || v.includes('/') ? v : `networking.istio.io/${v}`) as IstioApiVersionSetting,
);

export const configSchema = strict({
  api: oneOf(APIS).default('istio'),
  namespace: str(checkNamespace).default('default'),
  app: str((v) => checkServiceName(v) ?? checkLabelValue(v)).default('flask'),
  image: str(checkImageRef).default('python-flask-server:v2'),
  versions: list(versionSchema, 'must list at least one version').default(() => [
    { name: 'v1', replicas: 1 },
    { name: 'v2', replicas: 1 },
  ]),
  loadBalancer: oneOf(LOAD_BALANCERS).default('RANDOM'),
  gateway: gatewaySchema.prefault({}),
  gatewayApi: gatewayApiSchema.prefault({}),
  // "At least one host" depends on the caller (the TUI asks for hosts later), so it is a cross-check.
  hosts: z
    .array(hostSchema, { error: (issue) => `must be a list (got ${describe(issue.input)})` })
    .default(() => []),
  certs: certsSchema.prefault({}),
  istio: strict({ apiVersion: istioApiVersion.default('auto') }).prefault({}),
  build: buildSchema.prefault({}),
  verify: verifySchema.prefault({}),
});
