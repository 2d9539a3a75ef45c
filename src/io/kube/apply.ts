// Server-side apply, one object at a time, and delete. The outcome (created / configured / unchanged) comes from
// comparing the object's resourceVersion before and after: a no-op apply does not write to etcd, so it keeps its
// resourceVersion — which is also how a second run of the same plan proves it changes nothing. On a real cluster
// controllers write status meanwhile (istiod on Gateways and HTTPRoutes, the deployment controller on Deployments),
// which moves the resourceVersion too: for an object with a generation, the same generation, labels, annotations
// and fields of ours means our apply changed nothing.
import { MANAGER } from '../../config/types.js';
import { WizardError } from '../../errors.js';
import { stableStringify } from '../../lib/stableJson.js';
import type { K8sObject } from '../../manifests/types.js';
import type { ApplyOutcome, ApplyResult, ObjectRef } from '../types.js';
import { objectPath, type ResourceInfo, type Resources, refString } from './resources.js';
import type { Transport } from './transport.js';

export const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

export interface ApplyContext {
  transport: Transport;
  resources: Resources;
  fieldManager: string;
  /** `--dry-run=server`: every write carries dryRun=All; nothing persists. */
  dryRun: boolean;
  /** Namespace for namespaced objects that name none (the context's, like kubectl). */
  defaultNamespace: string;
  /** Namespaces known to exist (or created, or dry-run-created) in this session. */
  namespaces: Map<string, 'exists' | 'dry-run-created'>;
  /** Per `apiVersion|kind|namespace`: name → resourceVersion before this session's first apply of each. */
  versions: Map<string, VersionList>;
}

export const DEFAULT_FIELD_MANAGER = MANAGER;

export async function applyObject(
  ctx: ApplyContext,
  input: K8sObject,
  opts: { forceConflicts?: boolean } = {},
): Promise<ApplyResult> {
  const info = await ctx.resources.info(input.apiVersion, input.kind);
  const obj: K8sObject =
    info.namespaced && !input.metadata.namespace
      ? { ...input, metadata: { ...input.metadata, namespace: ctx.defaultNamespace } }
      : input;
  const ref = refString({
    kind: obj.kind,
    namespace: info.namespaced ? obj.metadata.namespace : undefined,
    name: obj.metadata.name,
  });
  const notes: string[] = [];

  if (info.namespaced) {
    const ns = obj.metadata.namespace as string;
    const created = await ensureNamespace(ctx, ns);
    if (created === 'created') notes.push(`namespace ${ns} created`);
    if (created === 'dry-run-created' || ctx.namespaces.get(ns) === 'dry-run-created') {
      // The server cannot validate an object in a namespace that does not exist yet (it answers 404); say so
      // instead of failing the whole dry run.
      return {
        ref,
        outcome: 'created',
        notes: [
          `namespace ${ns} would be created; ${ref} not validated by the server (its namespace does not exist yet)`,
        ],
      };
    }
  }

  const path = await ctx.resources.path({
    ...obj,
    name: obj.metadata.name,
    namespace: obj.metadata.namespace,
  });
  // The resourceVersion before the write: from one metadata-only list per kind and namespace (a 200-object plan
  // costs one request, not 200 GETs), or a GET when listing is not allowed — or in a dry run, which compares content.
  const prior = ctx.dryRun ? undefined : await priorFromList(ctx, obj, info);
  let before: { status: number; body?: K8sObject } | undefined;
  if (!prior) before = await ctx.transport.send({ method: 'GET', path, what: `read ${ref}`, allow: [404] });
  const priorMeta = prior
    ? prior.meta
    : before?.status === 404
      ? undefined
      : (before?.body?.metadata as Meta);
  const existed = priorMeta !== undefined;

  const res = await ctx.transport.send({
    method: 'PATCH',
    path,
    query: {
      fieldManager: ctx.fieldManager,
      force: opts.forceConflicts ? 'true' : 'false',
      dryRun: ctx.dryRun ? 'All' : undefined,
    },
    // JSON is YAML: the apply-patch content type accepts it as is.
    body: obj,
    contentType: 'application/apply-patch+yaml',
    what: `apply ${ref}`,
  });

  if (obj.kind === 'Namespace' && obj.apiVersion === 'v1') {
    ctx.namespaces.set(obj.metadata.name, ctx.dryRun && !existed ? 'dry-run-created' : 'exists');
  }
  const outcome = decideOutcome({
    dryRun: ctx.dryRun,
    existed,
    status: res.status,
    ours: (m) => ourChange(m, ctx.fieldManager),
    prior: priorMeta,
    after: res.body?.metadata as Meta | undefined,
    same: () => sameObject(before?.body, res.body),
  });
  return notes.length ? { ref, outcome, notes } : { ref, outcome };
}

function decideOutcome(o: {
  dryRun: boolean;
  existed: boolean;
  status: number;
  prior?: Meta;
  after?: Meta;
  ours: (m: Meta | undefined) => string;
  same: () => boolean;
}): ApplyOutcome {
  // A dry run keeps the stored resourceVersion: compare the content instead.
  if (o.dryRun) return !o.existed ? 'created' : o.same() ? 'unchanged' : 'configured';
  if (o.status === 201) return 'created';
  // 200 for an object our list did not have: someone else created it meanwhile, and we changed or adopted it.
  if (!o.existed) return 'configured';
  if (o.prior?.resourceVersion === o.after?.resourceVersion) return 'unchanged';
  return o.prior?.generation !== undefined && o.ours(o.prior) === o.ours(o.after)
    ? 'unchanged'
    : 'configured';
}

/** The metadata kept of an object before and after its apply. */
type Meta = {
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: { manager?: string; operation?: string; subresource?: string; fieldsV1?: unknown }[];
};

/** What our apply can change on an object with a generation: the generation (spec), labels, annotations, our fields. */
function ourChange(m: Meta | undefined, manager: string): string {
  const mine = m?.managedFields?.find(
    (f) => f.manager === manager && f.operation === 'Apply' && !f.subresource,
  );
  return stableStringify([m?.generation, m?.labels ?? {}, m?.annotations ?? {}, mine?.fieldsV1 ?? null]);
}

/** A per-kind-and-namespace list of resourceVersions, valid briefly, each entry used once. */
export interface VersionList {
  at: number;
  list: Promise<Map<string, Meta> | undefined>;
  /** Names already applied from this list: a later apply of them GETs (status writes may have moved them on). */
  used: Set<string>;
}

const LIST_TTL_MS = 30_000;

/**
 * The object's resourceVersion before the write (`rv` undefined: it did not exist), from one list per kind and
 * namespace as PartialObjectMetadata (no spec, no secret data); undefined when the list cannot answer (not allowed
 * to list, already used for this name, or too old), and the caller GETs instead.
 */
async function priorFromList(
  ctx: ApplyContext,
  obj: K8sObject,
  info: ResourceInfo,
): Promise<{ meta: Meta | undefined } | undefined> {
  const ns = info.namespaced ? (obj.metadata.namespace ?? '') : '';
  const key = `${obj.apiVersion}|${obj.kind}|${ns}`;
  let entry = ctx.versions.get(key);
  if (!entry || Date.now() - entry.at > LIST_TTL_MS) {
    entry = { at: Date.now(), list: listVersions(ctx, obj, info).catch(() => undefined), used: new Set() };
    ctx.versions.set(key, entry);
  }
  const name = obj.metadata.name;
  if (entry.used.has(name)) return undefined;
  const map = await entry.list;
  if (!map) return undefined;
  entry.used.add(name);
  return { meta: map.get(name) };
}

async function listVersions(
  ctx: ApplyContext,
  obj: K8sObject,
  info: ResourceInfo,
): Promise<Map<string, Meta>> {
  const path = objectPath(
    { apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace },
    info,
  );
  const out = new Map<string, Meta>();
  let cont: string | undefined;
  do {
    const res = await ctx.transport.send({
      method: 'GET',
      path,
      query: { limit: '500', continue: cont },
      accept: METADATA_LIST,
      what: `list ${obj.kind} metadata`,
    });
    for (const item of res.body?.items ?? []) out.set(item.metadata.name, item.metadata);
    cont = res.body?.metadata?.continue || undefined;
  } while (cont);
  return out;
}

/**
 * Makes sure a namespace exists before objects go into it (kubectl would fail with "namespaces not found").
 * Created by server-side apply too, so a later plan can adopt it; it carries no managed-by label on purpose:
 * teardown never deletes a namespace.
 */
async function ensureNamespace(
  ctx: ApplyContext,
  ns: string,
): Promise<'exists' | 'created' | 'dry-run-created'> {
  if (ctx.namespaces.has(ns)) return 'exists';
  const path = `/api/v1/namespaces/${encodeURIComponent(ns)}`;
  // 403: many users may write into a namespace without being allowed to read Namespace objects; assume it exists
  // (if not, the write itself says so).
  const got = await ctx.transport.send({
    method: 'GET',
    path,
    what: `read namespace ${ns}`,
    allow: [403, 404],
  });
  if (got.status !== 404) {
    ctx.namespaces.set(ns, 'exists');
    return 'exists';
  }
  await ctx.transport.send({
    method: 'PATCH',
    path,
    query: { fieldManager: ctx.fieldManager, dryRun: ctx.dryRun ? 'All' : undefined },
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    contentType: 'application/apply-patch+yaml',
    what: `create namespace ${ns}`,
  });
  const state = ctx.dryRun ? 'dry-run-created' : 'exists';
  ctx.namespaces.set(ns, state);
  return ctx.dryRun ? 'dry-run-created' : 'created';
}

/** Dry-run answers keep the stored resourceVersion: compare content, minus what changes on every write. */
function sameObject(a: unknown, b: unknown): boolean {
  return stableStringify(strip(a)) === stableStringify(strip(b));
}

function strip(o: unknown): unknown {
  const c = structuredClone(o) as { metadata?: Record<string, unknown> };
  if (c?.metadata) {
    delete c.metadata.resourceVersion;
    const mf = c.metadata.managedFields as { time?: string }[] | undefined;
    for (const m of mf ?? []) delete m.time;
  }
  return c;
}

export async function deleteObject(ctx: ApplyContext, ref: ObjectRef): Promise<'deleted' | 'absent'> {
  const info = await ctx.resources.info(ref.apiVersion, ref.kind);
  const namespace = info.namespaced ? (ref.namespace ?? ctx.defaultNamespace) : undefined;
  const name = refString({ kind: ref.kind, namespace, name: ref.name });
  const path = await ctx.resources.path({ ...ref, namespace });
  const res = await ctx.transport.send({
    method: 'DELETE',
    path,
    query: { dryRun: ctx.dryRun ? 'All' : undefined, propagationPolicy: 'Background' },
    what: `delete ${name}`,
    allow: [404],
  });
  return res.status === 404 ? 'absent' : 'deleted';
}

export function assertObject(obj: K8sObject): void {
  if (!obj?.apiVersion || !obj.kind || !obj.metadata?.name) {
    throw new WizardError(`internal: cannot apply an object without apiVersion/kind/metadata.name`);
  }
}
