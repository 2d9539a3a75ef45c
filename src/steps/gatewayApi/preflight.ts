// Preflight in gateway-api mode: the Gateway API CRDs and the versions they serve, the GatewayClass, and which
// gateway deployment applies (attaching to the existing ingress gateway's Service, or Istio's automated
// deployment of `<name>-istio`) — each said plainly, with the fix when it cannot work.
import type { WizardConfig } from '../../config/types.js';
import type { ClusterIo } from '../../io/types.js';
import {
  attachedServiceName,
  automatedServiceName,
  GATEWAY_API_GROUP,
  gatewayNamespace,
  type ReferenceGrantVersion,
} from '../../manifests/gatewayApi/names.js';
import type { K8sObject } from '../../manifests/types.js';
import { type CheckResult, fail, pass, warn } from '../preflight/result.js';

export interface GatewayApiFacts {
  /** Versions of gateway.networking.k8s.io the server serves, preferred first. */
  versions: string[];
  /** The ReferenceGrant version to emit, if one is ever needed. */
  referenceGrantVersion?: ReferenceGrantVersion;
  deployment: 'attach' | 'automated';
  /** The gateway Service traffic arrives at (attached: existing; automated: created by istiod). */
  service?: string;
}

export const ISTIO_CONTROLLER = 'istio.io/gateway-controller';
const INSTALL_FIX =
  'install the Gateway API CRDs (kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/standard-install.yaml), then restart istiod so it creates the istio GatewayClass';

type CrdVersion = { name: string; served?: boolean };

/** Per CRD: served versions and the bundle version annotation, when CRDs may be read (often they may not). */
async function crdFacts(
  cluster: ClusterIo,
  plural: string,
): Promise<{ served: string[]; bundle?: string } | undefined> {
  try {
    const crd = await cluster.get({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name: `${plural}.${GATEWAY_API_GROUP}`,
    });
    if (!crd) return { served: [] };
    const served = ((crd.spec?.versions ?? []) as CrdVersion[]).filter((v) => v.served).map((v) => v.name);
    const annotations = (crd.metadata.annotations ?? {}) as Record<string, string>;
    const bundle = annotations[`${GATEWAY_API_GROUP}/bundle-version`];
    const channel = annotations[`${GATEWAY_API_GROUP}/channel`];
    return { served, bundle: bundle ? `${bundle}${channel ? ` ${channel}` : ''}` : undefined };
  } catch {
    return undefined; // not allowed to read CRDs: the group's discovery answers instead
  }
}

export async function checkGatewayApiCrds(
  cluster: ClusterIo,
): Promise<{ results: CheckResult[]; versions: string[]; referenceGrantVersion?: ReferenceGrantVersion }> {
  const versions = await cluster.servedVersions(GATEWAY_API_GROUP);
  if (versions.length === 0) {
    return {
      results: [
        fail(
          `Gateway API CRDs not installed: the API server serves no ${GATEWAY_API_GROUP} versions`,
          INSTALL_FIX,
        ),
      ],
      versions,
    };
  }
  const results: CheckResult[] = [];
  const [gateways, routes, grants] = await Promise.all(
    ['gateways', 'httproutes', 'referencegrants'].map((p) => crdFacts(cluster, p)),
  );
  const bundle = gateways?.bundle ? ` (bundle ${gateways.bundle})` : '';
  const detail = gateways
    ? `; Gateway ${gateways.served.join('/') || 'none'}, HTTPRoute ${routes?.served.join('/') || 'none'}, ReferenceGrant ${grants?.served.join('/') || 'none'}`
    : '';
  const v1 =
    versions.includes('v1') &&
    (!gateways || gateways.served.includes('v1')) &&
    (!routes || routes.served.includes('v1'));
  results.push(
    v1
      ? pass(
          `Gateway API CRDs installed${bundle}: serving ${versions.map((v) => `${GATEWAY_API_GROUP}/${v}`).join(', ')}${detail}`,
        )
      : fail(
          `Gateway API CRDs${bundle} do not serve Gateway and HTTPRoute as ${GATEWAY_API_GROUP}/v1 (served: ${versions.join(', ')}${detail})`,
          INSTALL_FIX.replace('install', 'upgrade'),
        ),
  );
  const grantServed = grants?.served ?? versions;
  const referenceGrantVersion: ReferenceGrantVersion | undefined = grantServed.includes('v1')
    ? `${GATEWAY_API_GROUP}/v1`
    : grantServed.includes('v1beta1')
      ? `${GATEWAY_API_GROUP}/v1beta1`
      : undefined;
  return { results, versions, referenceGrantVersion };
}

function acceptedOf(gc: K8sObject): string {
  const c = ((gc.status?.conditions ?? []) as { type: string; status: string; reason?: string }[]).find(
    (x) => x.type === 'Accepted',
  );
  return c ? `Accepted=${c.status}${c.reason ? ` ${c.reason}` : ''}` : 'no status yet';
}

export async function checkGatewayClass(cluster: ClusterIo, config: WizardConfig): Promise<CheckResult> {
  const name = config.gatewayApi.className;
  let classes: K8sObject[];
  try {
    classes = await cluster.list({ apiVersion: `${GATEWAY_API_GROUP}/v1`, kind: 'GatewayClass' });
  } catch (e) {
    return warn(
      `GatewayClass ${name}: cannot list GatewayClasses (${(e as Error).message})`,
      `ask an admin: kubectl get gatewayclass ${name}`,
    );
  }
  const gc = classes.find((c) => c.metadata.name === name);
  const others = classes.map((c) => `${c.metadata.name} (${c.spec?.controllerName})`).join(', ') || 'none';
  if (!gc) {
    return fail(
      `GatewayClass ${name} does not exist (GatewayClasses: ${others})`,
      name === 'istio'
        ? 'istiod creates the istio GatewayClass when it finds the Gateway API CRDs: restart it (kubectl rollout restart deployment/istiod -n istio-system), or set gatewayApi.className to an existing class'
        : `create it, or set gatewayApi.className to one of: ${others}`,
    );
  }
  const controller = gc.spec?.controllerName;
  if (controller !== ISTIO_CONTROLLER) {
    return warn(
      `GatewayClass ${name} belongs to ${controller}, not Istio (${ISTIO_CONTROLLER}): istiod will not program this Gateway`,
      'set gatewayApi.className to a class of istio.io/gateway-controller (istiod creates "istio")',
    );
  }
  return pass(`GatewayClass ${name} exists (controller ${controller}, ${acceptedOf(gc)})`);
}

/** Whether a Service fronts the gateway pods: its selector and gateway.selector agree on every label either names. */
const selects = (svc: K8sObject, gatewaySelector: Record<string, string>) => {
  const sel = (svc.spec?.selector ?? {}) as Record<string, string>;
  const within = (a: Record<string, string>, b: Record<string, string>) =>
    Object.entries(a).every(([k, v]) => b[k] === v);
  return Object.keys(sel).length > 0 && (within(sel, gatewaySelector) || within(gatewaySelector, sel));
};

/** Which deployment applies, said plainly; attaching needs the gateway Service, in the Gateway's namespace. */
export async function checkGatewayDeployment(
  cluster: ClusterIo,
  config: WizardConfig,
): Promise<{ result: CheckResult; deployment: 'attach' | 'automated'; service?: string }> {
  const ns = gatewayNamespace(config);
  if (config.gatewayApi.deployment === 'automated') {
    const service = automatedServiceName(config);
    return {
      deployment: 'automated',
      service,
      result: pass(
        `gateway deployment: Istio's automated deployment — istiod creates Deployment and Service ${ns}/${service} for Gateway ${ns}/${config.gateway.name} (needs istiod's injection webhook and a proxy image); verify uses the address it gets (Gateway status), or --address`,
      ),
    };
  }
  const service = attachedServiceName(config) as string;
  const services = await cluster.list({ apiVersion: 'v1', kind: 'Service', namespace: ns });
  const svc = services.find((s) => s.metadata.name === service);
  const selecting = services.filter((s) => selects(s, config.gateway.selector)).map((s) => s.metadata.name);
  if (!svc) {
    return {
      deployment: 'attach',
      service,
      result: fail(
        `gateway deployment: attach — but there is no Service ${ns}/${service} to attach to`,
        selecting.length
          ? `set gatewayApi.service to ${selecting.join(' or ')} (the Service in front of the ${Object.entries(
              config.gateway.selector,
            )
              .map(([k, v]) => `${k}=${v}`)
              .join(',')} pods)`
          : 'install the ingress gateway (istioctl install), set gatewayApi.service, or use gatewayApi.deployment: automated',
      ),
    };
  }
  return {
    deployment: 'attach',
    service,
    result: pass(
      `gateway deployment: attaching to the existing gateway — Gateway ${ns}/${config.gateway.name} with address ${service}.${ns}.svc.cluster.local (no new deployment; istiod programs the pods behind Service ${ns}/${service})`,
    ),
  };
}
