// apiVersion + kind → REST path. Built-in kinds the wizard touches are known up front (no discovery request);
// anything else (Istio CRDs) is looked up once per group/version through discovery and cached, which also tells us
// when a version is not served at all.
import { WizardError } from '../../errors.js';
import { KINDS } from '../kinds.js';
import type { ObjectRef } from '../types.js';
import type { Transport } from './transport.js';

export interface ResourceInfo {
  plural: string;
  namespaced: boolean;
}

/** The built-in kinds, by `apiVersion/kind`: their paths need no discovery request. */
const BUILTIN: Record<string, ResourceInfo> = Object.fromEntries(
  KINDS.filter((k) => k.version).map((k) => [
    `${k.group ? `${k.group}/` : ''}${k.version}/${k.kind}`,
    { plural: k.plural, namespaced: k.namespaced },
  ]),
);

interface DiscoveryList {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

export class Resources {
  private readonly cache = new Map<string, Promise<Map<string, ResourceInfo>>>();

  constructor(private readonly transport: Transport) {}

  async info(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const known = BUILTIN[`${apiVersion}/${kind}`];
    if (known) return known;
    let pending = this.cache.get(apiVersion);
    if (!pending) {
      pending = this.discover(apiVersion);
      this.cache.set(apiVersion, pending);
      pending.catch(() => this.cache.delete(apiVersion));
    }
    const info = (await pending).get(kind);
    if (!info) {
      throw new WizardError(
        `the API server serves ${apiVersion} but not the kind ${kind}`,
        undefined,
        'is the CRD installed in the version the wizard uses? (istio.apiVersion in the config)',
      );
    }
    return info;
  }

  /** Forget discovery (after CRDs were installed or changed). */
  reset(): void {
    this.cache.clear();
  }

  private async discover(apiVersion: string): Promise<Map<string, ResourceInfo>> {
    const res = await this.transport.send({
      method: 'GET',
      path: groupVersionPath(apiVersion),
      what: `discover ${apiVersion}`,
      allow: [404],
    });
    if (res.status === 404) {
      throw new WizardError(
        `the API server does not serve ${apiVersion}`,
        undefined,
        apiVersion.startsWith('networking.istio.io/')
          ? 'install Istio (its CRDs), or set istio.apiVersion to a served version (`auto` picks one)'
          : undefined,
      );
    }
    const map = new Map<string, ResourceInfo>();
    for (const r of (res.body as DiscoveryList).resources ?? []) {
      if (r.name.includes('/')) continue; // subresources (pods/status)
      map.set(r.kind, { plural: r.name, namespaced: r.namespaced });
    }
    return map;
  }

  /** `/apis/apps/v1/namespaces/ns/deployments[/name]`; cluster-scoped kinds ignore the namespace. */
  async path(ref: Omit<ObjectRef, 'name'> & { name?: string }): Promise<string> {
    const info = await this.info(ref.apiVersion, ref.kind);
    return objectPath(ref, info);
  }
}

export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

export function objectPath(ref: Omit<ObjectRef, 'name'> & { name?: string }, info: ResourceInfo): string {
  let p = groupVersionPath(ref.apiVersion);
  if (info.namespaced && ref.namespace) p += `/namespaces/${encodeURIComponent(ref.namespace)}`;
  p += `/${info.plural}`;
  if (ref.name !== undefined) p += `/${encodeURIComponent(ref.name)}`;
  return p;
}

export { refString } from '../ref.js';
