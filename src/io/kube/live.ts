// The live cluster: ClusterIo over the API server. Built by connectCluster (connect.ts); never imported by the
// dry-run path (client-node is loaded through it).
import type { K8sObject } from '../../manifests/types.js';
import type {
  AccessAnswer,
  AccessQuestion,
  ApplyResult,
  ClusterIo,
  ClusterTarget,
  ListQuery,
  ObjectRef,
  RolloutWaitOptions,
  ServerVersion,
} from '../types.js';
import { type ApplyContext, applyObject, assertObject, deleteObject, METADATA_LIST } from './apply.js';
import { objectPath, Resources, refString } from './resources.js';
import { waitForRollout } from './rollout.js';
import { type KubeRequest, type KubeResponse, notKubernetes, type Transport } from './transport.js';

export interface LiveClusterOptions {
  transport: Transport;
  context: string;
  server: string;
  /** The context's namespace (before any -n override, which the CLI applies to the config). */
  namespace?: string;
  dryRunServer: boolean;
  fieldManager: string;
}

const LIST_PAGE = 500;

export class LiveCluster implements ClusterIo {
  private readonly transport: Transport;
  readonly resources: Resources;
  private readonly applyCtx: ApplyContext;

  constructor(private readonly opts: LiveClusterOptions) {
    this.transport = opts.transport;
    this.resources = new Resources(this.transport);
    this.applyCtx = {
      transport: this.transport,
      resources: this.resources,
      fieldManager: opts.fieldManager,
      dryRun: opts.dryRunServer,
      defaultNamespace: opts.namespace ?? 'default',
      namespaces: new Map(),
      versions: new Map(),
    };
  }

  target(): ClusterTarget {
    return {
      context: this.opts.context,
      server: this.opts.server,
      namespace: this.opts.namespace,
      offline: false,
    };
  }

  /** API requests sent so far (retries included): what bench/apply.mjs reports. */
  get requestCount(): number {
    return this.transport.requests;
  }

  get persists(): boolean {
    return !this.opts.dryRunServer;
  }

  get dryRunServer(): boolean {
    return this.opts.dryRunServer;
  }

  apply(obj: K8sObject, opts?: { forceConflicts?: boolean }): Promise<ApplyResult> {
    assertObject(obj);
    return applyObject(this.applyCtx, obj, opts);
  }

  delete(ref: ObjectRef): Promise<'deleted' | 'absent'> {
    return deleteObject(this.applyCtx, ref);
  }

  async serverVersion(): Promise<ServerVersion> {
    const res = await this.transport.send({
      method: 'GET',
      path: '/version',
      what: 'read the server version',
    });
    // JSON, but not the version object (another service's API): the same "not an API server", said once here.
    if (typeof res.body?.gitVersion !== 'string') {
      throw notKubernetes(
        this.transport.target,
        { method: 'GET', path: '/version' },
        {
          status: 200,
          contentType: 'JSON without a gitVersion',
        },
      );
    }
    return { gitVersion: res.body.gitVersion, platform: res.body?.platform };
  }

  async servedVersions(group: string): Promise<string[]> {
    const res = await this.transport.send({
      method: 'GET',
      path: `/apis/${group}`,
      what: `discover API group ${group}`,
      allow: [404],
    });
    if (res.status === 404) return [];
    const preferred: string | undefined = res.body?.preferredVersion?.version;
    const versions: string[] = (res.body?.versions ?? []).map((v: { version: string }) => v.version);
    return preferred ? [preferred, ...versions.filter((v) => v !== preferred)] : versions;
  }

  async get(ref: ObjectRef): Promise<K8sObject | undefined> {
    const path = await this.resources.path(ref);
    const res = await this.transport.send({
      method: 'GET',
      path,
      what: `read ${refString(ref)}`,
      allow: [404],
    });
    return res.status === 404 ? undefined : (res.body as K8sObject);
  }

  async list(q: ListQuery): Promise<K8sObject[]> {
    const info = await this.resources.info(q.apiVersion, q.kind);
    const path = objectPath({ apiVersion: q.apiVersion, kind: q.kind, namespace: q.namespace }, info);
    const out: K8sObject[] = [];
    let cont: string | undefined;
    do {
      const res = await this.transport.send({
        method: 'GET',
        path,
        query: {
          labelSelector: q.labelSelector,
          fieldSelector: q.fieldSelector,
          limit: String(LIST_PAGE),
          continue: cont,
        },
        accept: q.metadataOnly ? METADATA_LIST : undefined,
        what: `list ${q.kind}${q.namespace ? ` in namespace ${q.namespace}` : ''}`,
      });
      // Items carry no apiVersion/kind (or PartialObjectMetadata's): put the real ones back.
      for (const item of res.body?.items ?? []) out.push({ ...item, apiVersion: q.apiVersion, kind: q.kind });
      cont = res.body?.metadata?.continue || undefined;
    } while (cont);
    return out;
  }

  async accessReview(q: AccessQuestion): Promise<AccessAnswer> {
    const kind = q.user ? 'SubjectAccessReview' : 'SelfSubjectAccessReview';
    const res = await this.transport.send({
      method: 'POST',
      path: `/apis/authorization.k8s.io/v1/${kind.toLowerCase()}s`,
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind,
        spec: {
          resourceAttributes: { verb: q.verb, group: q.group, resource: q.resource, namespace: q.namespace },
          ...(q.user ? { user: q.user } : {}),
        },
      },
      what: `check permission ${q.verb} ${q.resource}${q.user ? ` for ${q.user}` : ''}`,
    });
    const st = res.body?.status ?? {};
    const reason = st.reason || st.evaluationError || undefined;
    return { allowed: st.allowed === true, ...(reason ? { reason } : {}) };
  }

  async podLog(
    namespace: string,
    pod: string,
    container: string,
    opts: { previous: boolean; tailLines: number },
  ): Promise<string> {
    const res = await this.transport.send({
      method: 'GET',
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`,
      query: { container, previous: String(opts.previous), tailLines: String(opts.tailLines) },
      // pods/log answers text/plain but negotiates only JSON/YAML/protobuf by name: a wildcard is what kubectl sends.
      accept: '*/*',
      what: `read the log of ${namespace}/${pod} container ${container}`,
    });
    return typeof res.body === 'string' ? res.body : '';
  }

  async waitForRollout(namespace: string, name: string, opts: RolloutWaitOptions): Promise<void> {
    // A server dry run persisted nothing: there is no rollout to wait for.
    if (this.opts.dryRunServer) return;
    return waitForRollout(this, namespace, name, opts);
  }

  async ensureNamespace(name: string): Promise<'created' | 'exists'> {
    const ref = { apiVersion: 'v1', kind: 'Namespace', name };
    if (await this.get(ref)) return 'exists';
    const res = await this.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    return res.outcome === 'created' ? 'created' : 'exists';
  }

  async labelNamespaceForInjection(namespace: string): Promise<void> {
    await this.transport.send({
      method: 'PATCH',
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}`,
      query: { fieldManager: this.opts.fieldManager, dryRun: this.opts.dryRunServer ? 'All' : undefined },
      body: { metadata: { labels: { 'istio-injection': 'enabled' } } },
      contentType: 'application/merge-patch+json',
      what: `label namespace ${namespace} istio-injection=enabled`,
    });
  }

  /** Raw request with the same credentials, retries and counting (test support writes status subresources). */
  request(req: KubeRequest): Promise<KubeResponse> {
    return this.transport.send(req);
  }

  /** Closes kept-alive connections (tests and the CLI call it at the end so the process can exit). */
  close(): void {
    this.transport.close();
  }
}
