// After a failed verify: the cause, looked up in the cluster, for the failures whose curl answer alone cannot name
// it. A 503 says "no healthy upstream" — the cluster says which subset has no ready pods and why (its Deployment
// is missing or scaled to 0, or its pods are not ready). An HTTPS host that does not answer at all may lack its
// certificate — the cluster says whether the Secret is missing or whether the gateway's service account may not
// read secrets (istiod asks exactly that with a SubjectAccessReview, `list secrets` in the gateway's namespace,
// and sends no certificate to a proxy that may not). Read-only; a lookup that fails leaves the curl diagnosis.
import type { WizardConfig } from '../config/types.js';
import type { AccessAnswer, AccessQuestion, ListQuery, ObjectRef } from '../io/types.js';
import { deploymentName } from '../manifests/deployments.js';
import { tlsSecretNames } from '../manifests/secrets.js';
import type { K8sObject } from '../manifests/types.js';
import type { VerifyCheck, VerifyReport } from './types.js';

export interface CauseReader {
  get(ref: ObjectRef): Promise<K8sObject | undefined>;
  list(q: ListQuery): Promise<K8sObject[]>;
  accessReview(q: AccessQuestion): Promise<AccessAnswer>;
}

interface Cause {
  diagnosis: string;
  next: string;
}

const podReady = (p: K8sObject): boolean =>
  ((p.status?.conditions ?? []) as { type: string; status: string }[]).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );

/**
 * Why subset `version` has no endpoints, from its Deployment and pods (pure); undefined when it has a ready pod.
 */
export function subsetCause(
  config: Pick<WizardConfig, 'app' | 'namespace'>,
  version: string,
  dep: K8sObject | undefined,
  pods: K8sObject[],
): string | undefined {
  const ready = pods.filter(podReady).length;
  if (dep && ready > 0) return undefined;
  const name = `${config.namespace}/${deploymentName(config, version)}`;
  const subset = `subset ${version} (pods app=${config.app},version=${version})`;
  if (!dep) return `${subset} has no endpoints: Deployment ${name} does not exist`;
  if ((dep.spec?.replicas ?? 1) === 0)
    return `${subset} has no endpoints: Deployment ${name} is scaled to 0 replicas`;
  if (pods.length === 0) return `${subset} has no endpoints: Deployment ${name} has no pods`;
  return `${subset} has no endpoints: none of its ${pods.length} pod${pods.length === 1 ? '' : 's'} is ready`;
}

async function noEndpoints(
  check: VerifyCheck,
  config: WizardConfig,
  cluster: CauseReader,
): Promise<Cause | undefined> {
  const host = config.hosts.find((h) => h.name === check.host);
  const versions = [...new Set((host?.routes ?? []).filter((r) => r.weight > 0).map((r) => r.subset))];
  const found: string[] = [];
  for (const v of versions) {
    const [dep, pods] = await Promise.all([
      cluster.get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: config.namespace,
        name: deploymentName(config, v),
      }),
      cluster.list({
        apiVersion: 'v1',
        kind: 'Pod',
        namespace: config.namespace,
        labelSelector: `app=${config.app},version=${v}`,
      }),
    ]);
    const why = subsetCause(config, v, dep, pods);
    if (why) found.push(why);
  }
  if (found.length === 0) return undefined;
  return {
    diagnosis: `503 no healthy upstream: ${found.join('; ')}`,
    next: `kubectl -n ${config.namespace} get deploy,pods -l app=${config.app}; to restore the versions: wizard --from deploy-versions`,
  };
}

/** The user a service account authenticates as, as istiod names it in its SubjectAccessReview. */
export const serviceAccountUser = (namespace: string, name: string): string =>
  `system:serviceaccount:${namespace}:${name}`;

/** The diagnosis for a gateway service account that may not list secrets (pure: the review's answer is given). */
export function secretAccessCause(
  wns: string,
  serviceAccount: string,
  secret: string,
  host: string,
  answer: AccessAnswer,
): Cause | undefined {
  if (answer.allowed) return undefined;
  const role = `${serviceAccount}-sds`;
  return {
    diagnosis: `RBAC: the gateway's service account ${wns}/${serviceAccount} may not list secrets in ${wns} (SubjectAccessReview denied${answer.reason ? `: ${answer.reason}` : ''}), so istiod sends it no certificate: the HTTPS server for ${host} (Secret ${wns}/${secret}) cannot serve`,
    next: `grant what Istio's gateway chart grants: kubectl -n ${wns} create role ${role} --verb=get,watch,list --resource=secrets && kubectl -n ${wns} create rolebinding ${role} --role=${role} --serviceaccount=${wns}:${serviceAccount}`,
  };
}

async function noCertificate(
  check: VerifyCheck,
  config: WizardConfig,
  cluster: CauseReader,
): Promise<Cause | undefined> {
  const secret = tlsSecretNames(config.hosts).get(check.host);
  if (!secret) return undefined;
  const wns = config.gateway.workloadNamespace;
  const exists = await cluster.get({ apiVersion: 'v1', kind: 'Secret', namespace: wns, name: secret });
  if (!exists)
    return {
      diagnosis: `Secret ${wns}/${secret} (the certificate of ${check.host}) does not exist: the gateway has no certificate to serve`,
      next: 'wizard --from load-certs',
    };
  const selector = Object.entries(config.gateway.selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const pods = await cluster.list({ apiVersion: 'v1', kind: 'Pod', namespace: wns, labelSelector: selector });
  const accounts = [
    ...new Set(pods.map((p) => (p.spec?.serviceAccountName as string | undefined) ?? 'default')),
  ];
  for (const sa of accounts) {
    const answer = await cluster.accessReview({
      verb: 'list',
      group: '',
      resource: 'secrets',
      namespace: wns,
      user: serviceAccountUser(wns, sa),
    });
    const cause = secretAccessCause(wns, sa, secret, check.host, answer);
    if (cause) return cause;
  }
  return undefined;
}

/** The cluster's cause for one failed check, if there is one to look up. */
async function causeOf(
  check: VerifyCheck,
  config: WizardConfig,
  cluster: CauseReader,
): Promise<Cause | undefined> {
  if (check.status === 503) return noEndpoints(check, config, cluster);
  const noAnswer = check.status === undefined && check.curlExit !== undefined;
  if (
    noAnswer &&
    check.url.startsWith('https:') &&
    check.kind !== 'wrong-scheme' &&
    config.certs.storage === 'credentialName'
  )
    return noCertificate(check, config, cluster);
  return undefined;
}

/** The report with each failed check's diagnosis replaced by its cause in the cluster, where one is found. */
export async function withClusterCauses(
  report: VerifyReport,
  config: WizardConfig,
  cluster: CauseReader,
): Promise<VerifyReport> {
  const checks = await Promise.all(
    report.checks.map(async (c) => {
      if (c.ok) return c;
      const cause = await causeOf(c, config, cluster).catch(() => undefined);
      if (!cause) return c;
      // What curl saw stays in front ("curl: (35) TLS handshake failed for SNI …"): the cause explains it.
      const seen = /^curl: \(\d+\)[^:]*/.exec(c.diagnosis ?? '')?.[0];
      return { ...c, diagnosis: seen ? `${seen}: ${cause.diagnosis}` : cause.diagnosis, next: cause.next };
    }),
  );
  return { ...report, checks };
}
