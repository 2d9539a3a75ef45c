// The cluster of a client dry-run (helm's PrintingKubeClient, kubeadm's dry-run client): nothing is sent anywhere.
// Writes are recorded — the manifest stream a client dry-run prints is exactly what the steps applied — and reads
// answer as an empty cluster would: nothing exists, nothing persists, so cluster steps run() in every mode.
import type { K8sObject } from '../manifests/types.js';
import { refString } from './ref.js';
import type { ClusterIo } from './types.js';

export interface RecordingCluster extends ClusterIo {
  /** Every object apply() was given, in order. */
  readonly applied: readonly K8sObject[];
}

export function createRecordingCluster(): RecordingCluster {
  const applied: K8sObject[] = [];
  return {
    applied,
    persists: false,
    target: () => ({ context: '', server: '', offline: true }),
    async apply(obj) {
      applied.push(structuredClone(obj));
      return {
        ref: refString({ kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name }),
        outcome: 'created',
      };
    },
    delete: async () => 'absent',
    serverVersion: async () => ({ gitVersion: 'none (client dry-run)' }),
    servedVersions: async () => [],
    get: async () => undefined,
    list: async () => [],
    accessReview: async () => ({ allowed: false, reason: 'client dry-run: no cluster to ask' }),
    waitForRollout: async () => {},
    // Created if it were missing; not part of the printed stream, which holds only the steps' own objects.
    ensureNamespace: async () => 'created',
    labelNamespaceForInjection: async () => {},
  };
}
