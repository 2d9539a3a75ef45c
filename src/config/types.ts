// The validated, defaults-filled configuration: the contract between the config file, the prompts and every step.
// Field names match the YAML keys in assets/wizard.example.yaml one to one.

export const LOAD_BALANCERS = ['RANDOM', 'ROUND_ROBIN', 'LEAST_REQUEST'] as const;
export type LoadBalancer = (typeof LOAD_BALANCERS)[number];

export const PROTOCOLS = ['HTTP', 'HTTPS'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const TLS_MODES = ['SIMPLE', 'MUTUAL'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

export const CERT_STORAGES = ['credentialName', 'file-mount'] as const;
export type CertStorage = (typeof CERT_STORAGES)[number];

export const KEY_TYPES = ['ecdsa-p256', 'rsa-2048'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

export const ISTIO_API_VERSIONS = [
  'networking.istio.io/v1',
  'networking.istio.io/v1beta1',
  'networking.istio.io/v1alpha3',
] as const;
export type IstioApiVersion = (typeof ISTIO_API_VERSIONS)[number];
/** `auto` is resolved by preflight against what the cluster serves; offline (dry-run) it means v1. */
export type IstioApiVersionSetting = IstioApiVersion | 'auto';

/** Which API the routing is written in: Istio's own objects (the tutorial), or the Kubernetes Gateway API. */
export const APIS = ['istio', 'gateway-api'] as const;
export type RoutingApi = (typeof APIS)[number];

/** gateway-api mode: attach to the existing ingress gateway, or let istiod deploy `<gateway.name>-istio`. */
export const GATEWAY_DEPLOYMENTS = ['attach', 'automated'] as const;
export type GatewayDeployment = (typeof GATEWAY_DEPLOYMENTS)[number];

export const BUILD_TOOLS = ['docker', 'podman', 'nerdctl'] as const;
export type BuildTool = (typeof BUILD_TOOLS)[number];
export const LOAD_TARGETS = ['kind', 'minikube', 'k3d', 'push', 'none'] as const;
export type LoadTarget = (typeof LOAD_TARGETS)[number];

export interface VersionConfig {
  /** DNS-1123 label; also the `version` label, the subset name and the VERSION env. */
  name: string;
  replicas: number;
}

export interface RouteConfig {
  subset: string;
  /** Relative weight, non-negative integer. Normalised to percentages by the VirtualService builder. */
  weight: number;
}

export interface TlsConfig {
  mode: TlsMode;
  /** Bring-your-own certificate (PEM paths, resolved relative to the config file). */
  certFile?: string;
  keyFile?: string;
}

export interface HostConfig {
  /** DNS name, may be a wildcard like *.example.com */
  name: string;
  protocol: Protocol;
  /** Present only for HTTPS hosts (defaults to { mode: SIMPLE }). */
  tls?: TlsConfig;
  /** Always the long form; the `route: v2` shorthand is expanded to [{ subset: v2, weight: 100 }]. */
  routes: RouteConfig[];
}

export interface GatewayConfig {
  name: string;
  selector: Record<string, string>;
  workloadNamespace: string;
  httpsRedirect: boolean;
  alsoMesh: boolean;
}

/** Settings only `api: gateway-api` reads (see src/manifests/gatewayApi/). */
export interface GatewayApiConfig {
  /** spec.gatewayClassName of the Gateway. */
  className: string;
  deployment: GatewayDeployment;
  /**
   * attach: the existing gateway's Service in gateway.workloadNamespace. Absent: derived from a well-known
   * gateway.selector (istio=ingressgateway → istio-ingressgateway, istio=ingress → istio-ingress).
   */
  service?: string;
}

export interface CertsConfig {
  storage: CertStorage;
  keyType: KeyType;
  validityDays: number;
}

export interface BuildConfig {
  enabled: boolean;
  /** Auto-detected (docker, podman, nerdctl in that order) when absent. */
  tool?: BuildTool;
  /** Build context directory; default: the bundled flask/ directory. */
  context?: string;
  /** Auto-detected from the kube context when absent. */
  load?: LoadTarget;
}

export interface VerifyConfig {
  /** Ingress address to test against; default: what preflight discovered. */
  address?: string;
  httpPort?: number;
  httpsPort?: number;
  timeoutSeconds: number;
  /** Requests per weighted host (≥ 100). */
  samples: number;
}

export interface WizardConfig {
  api: RoutingApi;
  namespace: string;
  app: string;
  image: string;
  versions: VersionConfig[];
  loadBalancer: LoadBalancer;
  gateway: GatewayConfig;
  gatewayApi: GatewayApiConfig;
  hosts: HostConfig[];
  certs: CertsConfig;
  istio: { apiVersion: IstioApiVersionSetting };
  build: BuildConfig;
  verify: VerifyConfig;
}

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGER = 'istio-ingress-wizard';
