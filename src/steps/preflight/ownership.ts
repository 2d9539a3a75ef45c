// Objects with the plan's names that someone else already manages: server-side apply would share or (with
// --force-conflicts) take their fields, so say so before it happens.
import { MANAGED_BY_LABEL, MANAGER } from '../../config/types.js';
import { kubectlDelete, refString } from '../../io/ref.js';
import type { ClusterIo, ObjectRef } from '../../io/types.js';
import { FILE_MOUNT_CA_SECRET, FILE_MOUNT_CERTS_SECRET } from '../../manifests/secrets.js';
import type { K8sObject } from '../../manifests/types.js';
import { secretUsers } from '../../plan/secretUsers.js';
import { type CheckResult, fail, pass, warn } from './result.js';

const FILE_MOUNT_SECRETS = new Set([FILE_MOUNT_CERTS_SECRET, FILE_MOUNT_CA_SECRET]);

interface ManagedField {
  manager?: string;
  operation?: string;
  subresource?: string;
  fieldsV1?: Record<string, unknown>;
}

/** Managers other than ours that own spec/data fields (status writers and our own entries do not count). */
export function foreignManagers(obj: K8sObject, fieldManager = MANAGER): string[] {
  const mf: ManagedField[] =
    (obj.metadata && (obj.metadata as { managedFields?: ManagedField[] }).managedFields) || [];
  const out = new Set<string>();
  for (const m of mf) {
    // Status writers do not count; `kubectl scale` (the scale subresource) owns spec.replicas and does.
    if (!m.manager || m.manager === fieldManager || m.subresource === 'status') continue;
    const f = m.fieldsV1 ?? {};
    if ('f:spec' in f || 'f:data' in f || 'f:stringData' in f) out.add(m.manager);
  }
  return [...out];
}

const refText = refString;

/**
 * Lists each planned kind per namespace once (not one GET per object), falling back to GETs without list rights.
 * `leftovers`: objects of those kinds and namespaces that carry the wizard's label under a name the plan no longer
 * has (a removed host, a renamed version): applying leaves them in place, teardown of this plan too.
 */
async function existing(
  cluster: ClusterIo,
  planned: readonly ObjectRef[],
): Promise<{ found: Map<string, K8sObject>; leftovers: ObjectRef[] }> {
  const found = new Map<string, K8sObject>();
  const leftovers: ObjectRef[] = [];
  const groups = new Map<string, ObjectRef[]>();
  for (const r of planned) {
    const k = `${r.apiVersion}|${r.kind}|${r.namespace ?? ''}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  for (const refs of groups.values()) {
    const first = refs[0] as ObjectRef;
    const names = new Set(refs.map((r) => r.name));
    try {
      const items = await cluster.list({
        apiVersion: first.apiVersion,
        kind: first.kind,
        namespace: first.namespace,
        metadataOnly: true,
      });
      for (const o of items) {
        const ref = { ...first, name: o.metadata.name };
        if (names.has(o.metadata.name)) found.set(refText(ref), o);
        else if (o.metadata.labels?.[MANAGED_BY_LABEL] === MANAGER) leftovers.push(ref);
      }
    } catch {
      for (const r of refs) {
        const o = await cluster.get(r).catch(() => undefined);
        if (o) found.set(refText(r), o);
      }
    }
  }
  return { found, leftovers };
}

/**
 * `gateway`: this plan's Gateway (apiVersion, namespace, name), to tell other setups' secrets from leftovers.
 * `expected`: refs (Kind/ns/name) another check accounts for (the other api mode's objects a switch replaces).
 */
export async function checkOwnership(
  cluster: ClusterIo,
  planned: readonly ObjectRef[],
  gateway?: { apiVersion: string; namespace: string; name: string },
  expected: ReadonlySet<string> = new Set(),
): Promise<CheckResult[]> {
  const { found, leftovers: every } = await existing(cluster, planned);
  const all = every.filter((r) => !expected.has(refText(r)));
  // A labelled secret another wizard Gateway uses belongs to that setup, not to an earlier config of this one.
  const users = gateway ? await secretUsers(cluster, gateway.apiVersion, gateway) : new Map<string, string>();
  const leftovers = all.filter((r) => !(r.kind === 'Secret' && users.has(r.name)));
  const results: CheckResult[] = [];
  let ours = 0;
  for (const r of planned) {
    const o = found.get(refText(r));
    if (!o) continue;
    // Another setup's certificate under this plan's name (the name depends only on the host): load-certs would
    // overwrite it. The file-mount secrets hold every setup's files by design and stay a matter of the keys.
    const user = r.kind === 'Secret' && !FILE_MOUNT_SECRETS.has(r.name) ? users.get(r.name) : undefined;
    if (user) {
      results.push(
        fail(
          `${refText(r)} is the certificate of ${user} (another wizard setup): loading this config's certificates would overwrite it`,
          'tear the other setup down first (wizard teardown with its config), or use another host name in this config',
        ),
      );
      continue;
    }
    const labelled = o.metadata.labels?.[MANAGED_BY_LABEL] === MANAGER;
    const others = foreignManagers(o);
    if (labelled && others.length === 0) {
      ours++;
      continue;
    }
    const who = others.length
      ? `managed by ${others.map((m) => `"${m}"`).join(', ')}`
      : 'not created by the wizard';
    results.push(
      warn(
        `${refText(r)} already exists, ${who}${labelled ? '' : ` (no ${MANAGED_BY_LABEL}=${MANAGER} label)`}: applying will take it over`,
        `rename it in the config, delete it, or accept; conflicting fields need --force-conflicts`,
      ),
    );
  }
  const fresh = planned.length - ours - results.length;
  results.unshift(pass(`planned objects: ${fresh} new, ${ours} already managed by the wizard`));
  for (const r of leftovers) {
    results.push(
      warn(
        `${refText(r)} carries the ${MANAGED_BY_LABEL}=${MANAGER} label but is not in the plan (left from an earlier config?): it stays as it is, and teardown of this plan leaves it too`,
        `delete it if it is no longer wanted: ${kubectlDelete(r)}`,
      ),
    );
  }
  return results;
}
