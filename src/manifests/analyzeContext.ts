// Shared shapes for the analyzer's checks: the indexed object set and the finding type.
import type { K8sObject } from './types.js';

export type FindingLevel = 'error' | 'warning';

export interface Finding {
  level: FindingLevel;
  /** Stable identifier, e.g. `vs-gateway-not-found`; the Istio analyzer code it mirrors is noted in analyze.ts. */
  code: string;
  /** `Kind/namespace/name` of the object the finding is about. */
  object: string;
  message: string;
}

export interface AnalyzeOptions {
  /** Namespace of the ingress gateway's pods: where credentialName and file-mount Secrets must live. */
  gatewayWorkloadNamespace: string;
  /** Namespace assumed for objects without metadata.namespace (kubectl's current namespace). Default `default`. */
  defaultNamespace?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: manifests are open-ended JSON; checks read them defensively
export type Json = any;

export class ObjectSet {
  private readonly byRef = new Map<string, K8sObject>();
  private readonly byKind = new Map<string, K8sObject[]>();

  constructor(
    readonly objects: readonly K8sObject[],
    readonly opts: AnalyzeOptions,
  ) {
    // Indexed once: the checks look objects up per route and per server, which would be quadratic otherwise.
    for (const o of objects) {
      const key = `${o.kind}/${this.ns(o)}/${o.metadata.name}`;
      if (!this.byRef.has(key)) this.byRef.set(key, o);
      const list = this.byKind.get(o.kind);
      if (list) list.push(o);
      else this.byKind.set(o.kind, [o]);
    }
  }

  ns(obj: K8sObject): string {
    return obj.metadata.namespace ?? this.opts.defaultNamespace ?? 'default';
  }

  ref(obj: K8sObject): string {
    return `${obj.kind}/${this.ns(obj)}/${obj.metadata.name}`;
  }

  /** By kind only: the wizard emits each kind in one API group, and any served Istio version means the same. */
  ofKind(kind: string): K8sObject[] {
    return this.byKind.get(kind) ?? [];
  }

  find(kind: string, namespace: string, name: string): K8sObject | undefined {
    return this.byRef.get(`${kind}/${namespace}/${name}`);
  }
}

export function asArray(v: Json): Json[] {
  return Array.isArray(v) ? v : [];
}

export function finding(level: FindingLevel, code: string, object: string, message: string): Finding {
  return { level, code, object, message };
}
