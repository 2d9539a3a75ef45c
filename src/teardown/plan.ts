// What teardown removes: exactly the objects the wizard manages — an object must carry the wizard's managed-by
// label AND have a name the plan would give it. Nothing else (not the namespace, not look-alikes with the same
// labels under other names). Local certificates stay; the CLI handles --purge-certs.
import type { WizardConfig } from '../config/types.js';
import { WizardError } from '../errors.js';
import { refKey as key } from '../io/ref.js';
import type { ClusterIo, ObjectRef } from '../io/types.js';
import { GATEWAY_API_GROUP } from '../manifests/gatewayApi/names.js';
import { deleteQuestions, describeQuestion } from '../plan/access.js';
import { ISTIO_GROUP, pickApiVersion } from '../plan/istioApi.js';
import { findLabelled } from '../plan/labelled.js';
import { refsForMode } from '../plan/objects.js';
import { secretUsers } from '../plan/secretUsers.js';

/**
 * Planned refs for both certificate storages and both api modes (the config may have switched since the objects
 * were applied): teardown removes the wizard's objects of this config whichever mode made them.
 */
function candidates(config: WizardConfig, apiVersion: string | undefined, gatewayApi: boolean): ObjectRef[] {
  const v = (apiVersion ?? 'networking.istio.io/v1') as Parameters<typeof refsForMode>[2];
  const all = (['istio', 'gateway-api'] as const).flatMap((api) =>
    (['credentialName', 'file-mount'] as const).flatMap((storage) =>
      refsForMode({ ...config, certs: { ...config.certs, storage } }, api, v),
    ),
  );
  const seen = new Set<string>();
  return all.filter((r) => {
    if (!apiVersion && r.apiVersion.startsWith(`${ISTIO_GROUP}/`)) return false; // Istio absent: none can exist
    if (!gatewayApi && r.apiVersion.startsWith(`${GATEWAY_API_GROUP}/`)) return false; // Gateway API absent too
    if (seen.has(key(r))) return false;
    seen.add(key(r));
    return true;
  });
}

/** The objects to delete, in reverse apply order (Gateway first, Deployments last). */
export async function planTeardown(cluster: ClusterIo, config: WizardConfig): Promise<ObjectRef[]> {
  return (await scanTeardown(cluster, config)).refs;
}

/**
 * planTeardown's list, plus `leftovers`: objects of the same kinds and namespaces with the wizard's label under a name
 * the plan does not have (from an earlier config). They are not deleted; the CLI names them.
 */
export async function scanTeardown(
  cluster: ClusterIo,
  config: WizardConfig,
): Promise<{ refs: ObjectRef[]; leftovers: ObjectRef[]; inUse: { ref: ObjectRef; by: string }[] }> {
  const served = await cluster.servedVersions(ISTIO_GROUP);
  // Any served version reads the same stored objects; prefer the configured one when it is served.
  const apiVersion = pickApiVersion(served, config.istio.apiVersion) ?? pickApiVersion(served, 'auto');
  const gatewayApiServed = (await cluster.servedVersions(GATEWAY_API_GROUP)).includes('v1');
  const wanted = candidates(config, apiVersion, gatewayApiServed);

  const { present, others: leftovers } = await findLabelled(cluster, wanted);
  // Secret names come from the hosts only: the same hosts set up for another app namespace share them. A secret
  // another wizard Gateway still uses is kept (its name is in this plan, but it is not only this plan's).
  const self = { namespace: config.namespace, name: config.gateway.name };
  const users = apiVersion ? await secretUsers(cluster, apiVersion, self) : new Map<string, string>();
  const inUse: { ref: ObjectRef; by: string }[] = [];
  const refs = wanted.filter((r) => {
    if (!present.has(key(r))) return false;
    const by = r.kind === 'Secret' ? users.get(r.name) : undefined;
    if (by) inUse.push({ ref: r, by });
    return !by;
  });
  // A labelled secret another wizard Gateway uses belongs to that setup, not to an earlier config of this one.
  const unused = leftovers.filter((r) => !(r.kind === 'Secret' && users.has(r.name)));
  return { refs: refs.reverse(), leftovers: unused, inUse };
}

/**
 * Asks (SelfSubjectAccessReview) whether every delete is allowed before the first one is sent: a forbidden
 * `delete secrets` in istio-system must not leave a half-deleted setup behind.
 */
export async function checkDeletePermissions(cluster: ClusterIo, refs: readonly ObjectRef[]): Promise<void> {
  const questions = deleteQuestions(refs);
  const answers = await Promise.all(questions.map((q) => cluster.accessReview(q)));
  const denied = questions.filter((_, i) => !answers[i]?.allowed);
  if (!denied.length) return;
  throw new WizardError(
    `teardown: permission missing, nothing was deleted:\n${denied.map((q) => `  - cannot ${describeQuestion(q)}`).join('\n')}`,
    undefined,
    'ask a cluster admin for a Role/ClusterRole granting "delete" on these resources, or use another --context',
  );
}
