// Minimal structural type for what the builders emit. Builders are pure: config in, plain objects out.
export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  // biome-ignore lint/suspicious/noExplicitAny: manifests are open-ended JSON
  [key: string]: any;
}

/** PEM material the secret and gateway builders need. Keys never reach the state file. */
export interface HostCertMaterial {
  certPem: string;
  keyPem: string;
  /** CA certificate that signed certPem (ca.crt for MUTUAL client validation). */
  caPem: string;
}

export interface CertBundle {
  caPem: string;
  /** Keyed by host name, HTTPS hosts only. */
  hosts: Record<string, HostCertMaterial>;
}
