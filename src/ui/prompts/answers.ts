// The answers a person gives instead of (or on top of) a config file. Each question validates inline with the
// same rules as the config file (src/config/rules.ts), so a bad value is asked again on the spot. Defaults come
// from, in order: what is already set (config file / state), what preflight found on the cluster, the built-ins.
import { ANSWER_KEYS, type AnswerKey } from '../../config/answerKeys.js';
import { defaultConfig, LIMITS } from '../../config/defaults.js';
import {
  checkDnsLabel,
  checkGatewayName,
  checkImageRef,
  checkIntRange,
  checkIp,
  checkLabelKey,
  checkLabelValue,
  checkNamespace,
  checkPort,
  checkServiceName,
} from '../../config/rules.js';
import {
  CERT_STORAGES,
  KEY_TYPES,
  LOAD_BALANCERS,
  LOAD_TARGETS,
  type LoadTarget,
  type RoutingApi,
  type VersionConfig,
  type WizardConfig,
} from '../../config/types.js';
import { editHosts } from './hosts.js';
import { ask, type PromptIo, promptContext, requireInteractive } from './io.js';
import { confirm, input, number, select } from './kit.js';

export { ANSWER_KEYS, type AnswerKey };

/** What a first interactive run without a config file asks (Enter keeps each default). */
export const FIRST_RUN_KEYS: readonly AnswerKey[] = [
  'namespace',
  'app',
  'image',
  'versions',
  'loadBalancer',
  'api',
  'hosts',
];

/** The questions that pick one allowed value, or yes or no: a message, and the values where there is a list. */
const PICKS: Partial<Record<AnswerKey, { message: string; values?: readonly string[] }>> = {
  loadBalancer: { message: 'Load balancer within a subset', values: LOAD_BALANCERS },
  'build.enabled': { message: 'Build the image and load it into the cluster?' },
  'gateway.httpsRedirect': { message: 'Redirect HTTP to HTTPS on HTTPS hosts?' },
  'certs.storage': { message: 'How the gateway gets the certificates', values: CERT_STORAGES },
  'certs.keyType': { message: 'Key type for generated certificates', values: KEY_TYPES },
};

const LOAD_CHOICE: Record<LoadTarget, string> = {
  kind: 'kind: load it into the kind cluster',
  minikube: 'minikube: load it into the minikube cluster',
  k3d: 'k3d: import it into the k3d cluster',
  push: 'push: to the registry the image name starts with',
  none: 'none: build only; I ship it myself',
};

/** Values discovered on the cluster (preflight), offered as defaults. */
export interface DiscoveredDefaults {
  namespaces?: string[];
  gatewaySelector?: Record<string, string>;
  gatewayNamespace?: string;
  address?: string;
  httpPort?: number;
  httpsPort?: number;
}

type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;
/** A config that may be missing anything (a config file before validation fills defaults, or nothing at all). */
export type PartialConfig = DeepPartial<WizardConfig>;

export interface AskAnswersOptions {
  /** Which answers to ask for (any order; asked in ANSWER_KEYS order). */
  keys: readonly AnswerKey[];
  defaults?: DiscoveredDefaults;
  io?: PromptIo;
}

/** Asks for `keys` and returns `partial` with those answers set (the caller runs full validation). */
export async function askAnswers(partial: PartialConfig, opts: AskAnswersOptions): Promise<PartialConfig> {
  const io = opts.io ?? {};
  const keys = ANSWER_KEYS.filter((k) => opts.keys.includes(k));
  requireInteractive(io, keys);
  const ctx = promptContext(io);
  const base = defaultConfig();
  const found = opts.defaults ?? {};
  const out: PartialConfig = structuredClone(partial);
  out.gateway ??= {};
  out.certs ??= {};
  out.verify ??= {};
  out.build ??= {};
  const { gateway, certs, verify } = out;

  const text = (message: string, def: string | undefined, check: (v: string) => string | undefined) =>
    ask(() => input({ message, default: def, validate: (v) => check(v.trim()) ?? true }, ctx)).then((v) =>
      v.trim(),
    );
  const choose = <T extends string>(message: string, values: readonly T[], def: T | undefined) =>
    ask(() => select<T>({ message, choices: values.map((v) => ({ name: v, value: v })), default: def }, ctx));
  const yesNo = (message: string, def: boolean | undefined) =>
    ask(() => confirm({ message, default: def }, ctx));
  /** Optional port: empty keeps "discover it". */
  const port = async (message: string, def: number | undefined) =>
    ask(() =>
      number(
        {
          message,
          default: def,
          required: false,
          validate: (v) => (v === undefined ? true : (checkPort(v) ?? true)),
        },
        ctx,
      ),
    );

  for (const key of keys) {
    const pick = PICKS[key];
    if (pick) {
      // Dotted keys live one section down (certs.keyType is out.certs.keyType); the default comes from the same place.
      const [section, field] = key.includes('.') ? (key.split('.') as [string, string]) : [undefined, key];
      const at = (section ? out[section as keyof PartialConfig] : out) as Record<string, unknown>;
      const fallback = (section ? base[section as keyof WizardConfig] : base) as Record<string, unknown>;
      const def = at[field] ?? fallback[field];
      at[field] = pick.values
        ? await choose(pick.message, pick.values, def as string)
        : await yesNo(pick.message, def as boolean);
      continue;
    }
    switch (key) {
      case 'build.load': {
        // Absent means "from the kube context" (kind/minikube/k3d by their context names, else push).
        const build = out.build as NonNullable<PartialConfig['build']>;
        const answer = await ask(() =>
          select<LoadTarget | 'auto'>(
            {
              message: 'Where does the built image go?',
              choices: [
                { name: 'auto: a kind/minikube/k3d cluster by its context name, else push', value: 'auto' },
                ...LOAD_TARGETS.map((t) => ({ name: LOAD_CHOICE[t], value: t })),
              ],
              default: build.load ?? 'auto',
            },
            ctx,
          ),
        );
        if (answer === 'auto') delete build.load;
        else build.load = answer;
        break;
      }
      case 'namespace': {
        const known = found.namespaces?.length ? ` (existing: ${shortList(found.namespaces)})` : '';
        out.namespace = await text(
          `Namespace for the app${known}`,
          out.namespace ?? base.namespace,
          checkNamespace,
        );
        break;
      }
      case 'app':
        out.app = await text(
          'App name (Service and label)',
          out.app ?? base.app,
          (v) => checkServiceName(v) ?? checkLabelValue(v),
        );
        break;
      case 'image':
        out.image = await text('Container image', out.image ?? base.image, checkImageRef);
        break;
      case 'versions':
        out.versions = await askVersions(out.versions ?? base.versions, text);
        break;
      case 'api':
        out.api = await ask(() =>
          select<RoutingApi>(
            {
              message: 'Which API to write the routing in',
              choices: [
                // One line each, both always visible: what it writes and when to pick it.
                {
                  name: "istio        Istio's Gateway + VirtualService + DestinationRule: the tutorial's way; MUTUAL per host",
                  value: 'istio',
                },
                {
                  name: "gateway-api  Kubernetes Gateway + HTTPRoute: Istio's advice for new setups; MUTUAL per port",
                  value: 'gateway-api',
                },
              ],
              default: out.api ?? base.api,
            },
            ctx,
          ),
        );
        break;
      case 'gateway.name':
        gateway.name = await text('Gateway name', gateway.name ?? base.gateway.name, checkGatewayName);
        break;
      case 'gateway.selector': {
        const current =
          (gateway.selector as Record<string, string> | undefined) ??
          found.gatewaySelector ??
          base.gateway.selector;
        const answer = await text(
          'Gateway selector (labels of the ingress gateway pods, key=value,…)',
          formatLabels(current),
          checkLabels,
        );
        gateway.selector = parseLabels(answer);
        break;
      }
      case 'gateway.workloadNamespace':
        gateway.workloadNamespace = await text(
          'Namespace of the ingress gateway pods (TLS secrets go there)',
          gateway.workloadNamespace ?? found.gatewayNamespace ?? base.gateway.workloadNamespace,
          checkNamespace,
        );
        break;
      case 'hosts': {
        const versions = (out.versions ?? base.versions).map((v) => v.name);
        out.hosts = await editHosts(out.hosts ?? [], versions, { io });
        break;
      }
      case 'certs.validityDays':
        certs.validityDays = await ask(() =>
          number(
            {
              message: 'Certificate validity (days)',
              default: certs.validityDays ?? base.certs.validityDays,
              required: true,
              validate: (v) => checkIntRange(v, ...LIMITS.validityDays) ?? true,
            },
            ctx,
          ),
        );
        break;
      case 'verify.address': {
        const answer = await text(
          'Ingress address to test (IP; empty: the one preflight found)',
          verify.address ?? found.address ?? '',
          (v) => (v === '' ? undefined : checkIp(v)),
        );
        verify.address = answer === '' ? undefined : answer;
        break;
      }
      case 'verify.httpPort':
        verify.httpPort = await port('HTTP port (empty: discovered)', verify.httpPort ?? found.httpPort);
        break;
      case 'verify.httpsPort':
        verify.httpsPort = await port('HTTPS port (empty: discovered)', verify.httpsPort ?? found.httpsPort);
        break;
    }
  }
  return out;
}

async function askVersions(
  current: readonly VersionConfig[],
  text: (m: string, d: string, c: (v: string) => string | undefined) => Promise<string>,
): Promise<VersionConfig[]> {
  const answer = await text(
    'Versions to deploy (comma-separated; each becomes a subset)',
    current.map((v) => v.name).join(', '),
    checkVersionList,
  );
  // Replicas are kept for versions that stay; new ones get the default.
  return splitList(answer).map((name) => ({
    name,
    replicas: current.find((v) => v.name === name)?.replicas ?? 1,
  }));
}

function splitList(value: string): string[] {
  return value
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Every problem of the list at once ("V1" and "v_2" both named), not one per attempt. */
export function checkVersionList(value: string): string | undefined {
  const names = splitList(value);
  if (names.length === 0) return 'list at least one version, e.g. v1, v2';
  const problems = names.map((name) => checkDnsLabel(name)).filter((e): e is string => !!e);
  const dups = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  problems.push(...dups.map((d) => `"${d}" is listed twice`));
  return problems.length ? problems.join('; ') : undefined;
}

function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function parseLabels(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of splitList(value)) {
    const eq = pair.indexOf('=');
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

function checkLabels(value: string): string | undefined {
  const pairs = splitList(value);
  if (pairs.length === 0) return 'give at least one label, e.g. istio=ingressgateway';
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 0) return `"${pair}" is not key=value`;
    const err = checkLabelKey(pair.slice(0, eq)) ?? checkLabelValue(pair.slice(eq + 1));
    if (err) return err;
  }
  return undefined;
}

function shortList(items: readonly string[]): string {
  return items.length > 5 ? `${items.slice(0, 5).join(', ')}, …` : items.join(', ');
}
