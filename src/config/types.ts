// The validated, defaults-filled configuration: the contract between the config file, the prompts and every step.
// Field names match the YAML keys in assets/wizard.example.yaml one to one. The allowed values are listed here;
// the shapes come from schema.ts (type-only imports: no module cycle at run time).
import type { z } from 'zod';
import type {
  buildSchema,
  certsSchema,
  configSchema,
  gatewayApiSchema,
  gatewaySchema,
  HostConfig,
  routeSchema,
  tlsSchema,
  verifySchema,
  versionSchema,
} from './schema.js';

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

// The config types, inferred from the schema that checks and fills in the file: one definition, no copy to keep equal.
export type WizardConfig = z.output<typeof configSchema>;
export type VersionConfig = z.output<typeof versionSchema>;
export type RouteConfig = z.output<typeof routeSchema>;
export type TlsConfig = z.output<typeof tlsSchema>;
export type { HostConfig };
export type GatewayConfig = z.output<typeof gatewaySchema>;
/** Settings only `api: gateway-api` reads (see src/manifests/gatewayApi/). */
export type GatewayApiConfig = z.output<typeof gatewayApiSchema>;
export type CertsConfig = z.output<typeof certsSchema>;
export type BuildConfig = z.output<typeof buildSchema>;
export type VerifyConfig = z.output<typeof verifySchema>;

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGER = 'istio-ingress-wizard';
