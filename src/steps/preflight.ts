// Step preflight: reads the cluster, writes nothing. Each check logs PASS / WARN / FAIL with a one-line fix; any
// FAIL stops the run before a single object is written. Its outputs (resolved Istio apiVersion, gateway address
// and ports, cluster kind) feed the later steps.
import type { WizardConfig } from '../config/types.js';
import { WizardError } from '../errors.js';
import { refString } from '../io/ref.js';
import type { ClusterIo } from '../io/types.js';
import { GATEWAY_API_GROUP } from '../manifests/gatewayApi/names.js';
import { accessQuestions } from '../plan/access.js';
import { detectClusterKind } from '../plan/clusterKind.js';
import { ISTIO_GROUP } from '../plan/istioApi.js';
import { plannedRefs } from '../plan/objects.js';
import { describeModeSwitch, otherModeRefs, planModeSwitch } from './gatewayApi/modeSwitch.js';
import {
  checkGatewayApiCrds,
  checkGatewayClass,
  checkGatewayDeployment,
  type GatewayApiFacts,
} from './gatewayApi/preflight.js';
import { checkGateway, type GatewayFacts } from './preflight/gateway.js';
import { checkGatewayApiHostClaims } from './preflight/gatewayApiHostClaims.js';
import { checkHostClaims } from './preflight/hostClaims.js';
import { checkIstio } from './preflight/istio.js';
import { checkNamespace } from './preflight/namespace.js';
import { checkOwnership } from './preflight/ownership.js';
import { checkPermissions } from './preflight/permissions.js';
import { type CheckResult, fail, formatCheck, pass } from './preflight/result.js';
import type { LogFn, PreflightOutputs, Step } from './types.js';

const CHECKS = [
  'API server reachable, Kubernetes version',
  'Istio CRDs installed; which networking.istio.io versions are served (resolves istio.apiVersion: auto)',
  'permissions (SelfSubjectAccessReview) for every verb the plan needs, incl. secrets in the gateway namespace',
  'app namespace exists or will be created; sidecar injection label',
  'ingress gateway pods (gateway.selector in gateway.workloadNamespace), its Service, ports 80/443 and address',
  'objects with the plan’s names that another manager owns',
  'hosts another wizard setup’s Gateway already serves (its routes and TLS secret would clash)',
  'hosts a Gateway API Gateway or HTTPRoute already claims, the wizard’s or not (either api mode)',
  'cluster kind (kind / minikube / k3d) for build-image',
  'api: gateway-api: Gateway API CRDs and served versions, the GatewayClass, attach or automated deployment',
  'objects of the other api mode (a mode switch): what will be removed and what replaces it',
];

export const preflightStep: Step<'preflight', 'config' | 'io' | 'log'> = {
  id: 'preflight',
  title: 'Check the cluster',
  effect: 'read',
  needs: [],
  answers: [],
  inputs: ({ config }) => ({
    namespace: config.namespace,
    app: config.app,
    versions: config.versions.map((v) => v.name),
    gateway: config.gateway,
    hosts: config.hosts.map((h) => [h.name, h.protocol]),
    storage: config.certs.storage,
    istio: config.istio.apiVersion,
    api: config.api,
    gatewayApi: config.api === 'gateway-api' ? config.gatewayApi : undefined,
  }),
  async plan() {
    return { notes: CHECKS.map((c) => `check: ${c}`) };
  },
  async run({ config, io, log }) {
    if (io.cluster.target().offline) return { preflight: withoutCluster(config, log) };
    return { preflight: await runPreflight(io.cluster, config, log) };
  },
};

/**
 * A client dry-run has no cluster to check: only what the answers decide is resolved — `auto` means
 * networking.istio.io/v1, what current Istio serves and stores.
 */
function withoutCluster(config: WizardConfig, log: LogFn): PreflightOutputs {
  const apiVersion = config.istio.apiVersion === 'auto' ? 'networking.istio.io/v1' : config.istio.apiVersion;
  log(`no cluster to check (client dry-run): emitting ${apiVersion}`);
  return { context: '', server: '', apiVersion };
}

/** Runs every check, logging each result; throws a WizardError listing the failures. */
export async function runPreflight(
  cluster: ClusterIo,
  config: WizardConfig,
  log: LogFn,
): Promise<PreflightOutputs> {
  const target = cluster.target();
  const results: CheckResult[] = [];
  const report = (...rs: CheckResult[]) => {
    for (const r of rs) {
      results.push(r);
      log(formatCheck(r));
    }
  };
  /** A check that throws (403 on a read, say) becomes a FAIL line; the other checks still run. */
  const guarded = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      const err = e as WizardError;
      report(fail(`${what}: ${err.message}`, err.hint));
    }
  };

  try {
    const v = await cluster.serverVersion();
    report(
      pass(`API server reachable: ${target.server} (context ${target.context}), Kubernetes ${v.gitVersion}`),
    );
  } catch (e) {
    const err = e as WizardError;
    report(fail(err.message, err.hint));
    throw failure(results);
  }

  const kind = detectClusterKind(target.context);
  report(
    pass(
      kind.clusterKind === 'other'
        ? `cluster kind: not kind/minikube/k3d (context ${target.context}); build-image will push or skip loading`
        : `cluster kind: ${kind.clusterKind} (cluster ${kind.clusterName})`,
    ),
  );

  let apiVersion: PreflightOutputs['apiVersion'] | undefined;
  await guarded('Istio CRDs', async () => {
    const istio = await checkIstio(cluster, config.istio.apiVersion);
    apiVersion = istio.apiVersion;
    report(istio.result);
  });

  let gatewayApi: GatewayApiFacts | undefined;
  if (config.api === 'gateway-api') {
    await guarded('Gateway API', async () => {
      const crds = await checkGatewayApiCrds(cluster);
      report(...crds.results);
      if (!crds.versions.includes('v1')) return;
      report(await checkGatewayClass(cluster, config));
      const dep = await checkGatewayDeployment(cluster, config);
      report(dep.result);
      gatewayApi = {
        versions: crds.versions,
        referenceGrantVersion: crds.referenceGrantVersion,
        deployment: dep.deployment,
        service: dep.service,
      };
    });
  }
  const gatewayApiServed = !!gatewayApi;

  // Plan with the resolved version; if Istio (or the Gateway API) is missing, still check the rest against the
  // other objects.
  const planned = plannedRefs(config, apiVersion ?? 'networking.istio.io/v1').filter(
    (r) =>
      (apiVersion || !r.apiVersion.startsWith(`${ISTIO_GROUP}/`)) &&
      (gatewayApiServed || !r.apiVersion.startsWith(`${GATEWAY_API_GROUP}/`)),
  );

  let nsExists = true;
  let sidecarInjection = false;
  const nsResults: CheckResult[] = [];
  await guarded(`namespace ${config.namespace}`, async () => {
    const ns = await checkNamespace(cluster, config.namespace);
    nsExists = ns.exists;
    sidecarInjection = ns.injection;
    nsResults.push(...ns.results);
  });

  await guarded('permissions', async () => {
    const questions = accessQuestions(plannedRefs(config, apiVersion ?? 'networking.istio.io/v1'), {
      gatewayNamespace: config.gateway.workloadNamespace,
      appNamespace: config.namespace,
      createNamespace: !nsExists,
    });
    report(...(await checkPermissions(cluster, questions)));
  });
  report(...nsResults);

  let facts: GatewayFacts = {};
  // Istio's automated deployment has no gateway pods before the Gateway exists: nothing to find yet.
  const automated = config.api === 'gateway-api' && config.gatewayApi.deployment === 'automated';
  if (!automated)
    await guarded('ingress gateway', async () => {
      const gw = await checkGateway(cluster, config.gateway, kind.clusterKind);
      facts = gw.facts;
      report(...gw.results);
    });

  await guarded('existing objects', async () => {
    const gateway = apiVersion && { apiVersion, namespace: config.namespace, name: config.gateway.name };
    // The other api mode's objects are the mode switch's to replace, not leftovers to delete by hand.
    const switching = new Set(otherModeRefs(config, apiVersion ?? 'networking.istio.io/v1').map(refString));
    report(...(await checkOwnership(cluster, planned, gateway || undefined, switching)));
  });

  if (apiVersion) {
    const resolved = apiVersion;
    await guarded('hosts of other setups', async () => {
      report(...(await checkHostClaims(cluster, config, resolved)));
    });
    await guarded('hosts of Gateway API Gateways', async () => {
      report(...(await checkGatewayApiHostClaims(cluster, config, resolved)));
    });
    await guarded('api mode switch', async () => {
      for (const line of describeModeSwitch(config, await planModeSwitch(cluster, config, resolved)))
        report(pass(line));
    });
  }

  if (results.some((r) => r.level === 'fail') || !apiVersion) throw failure(results);
  const warnings = results.filter((r) => r.level === 'warn').length;
  log(`preflight passed${warnings ? ` with ${warnings} warning${warnings > 1 ? 's' : ''}` : ''}`);
  return {
    context: target.context,
    server: target.server,
    apiVersion,
    sidecarInjection,
    ...facts,
    ...kind,
    ...(gatewayApi ? { gatewayApi } : {}),
  };
}

function failure(results: CheckResult[]): WizardError {
  const fails = results.filter((r) => r.level === 'fail');
  return new WizardError(
    `preflight failed (${fails.length} check${fails.length === 1 ? '' : 's'}); nothing was written:\n${fails
      .map((f) => `  - ${f.message}${f.fix ? `\n    fix: ${f.fix}` : ''}`)
      .join('\n')}`,
  );
}
