// The cluster of a client dry-run: it is never reached. The runner only asks steps for their plans in that mode
// (src/runner/policy.ts), so any call here is a bug in the policy, reported as such.
import { WizardError } from '../errors.js';
import type { ClusterIo } from './types.js';

export function createOfflineCluster(): ClusterIo {
  const refuse = (what: string): never => {
    throw new WizardError(`internal: ${what} called on the offline (dry-run) cluster`);
  };
  return {
    target: () => ({ context: '', server: '', offline: true }),
    apply: async () => refuse('apply'),
    delete: async () => refuse('delete'),
    serverVersion: async () => refuse('serverVersion'),
    servedVersions: async () => refuse('servedVersions'),
    get: async () => refuse('get'),
    list: async () => refuse('list'),
    accessReview: async () => refuse('accessReview'),
    waitForRollout: async () => refuse('waitForRollout'),
    labelNamespaceForInjection: async () => refuse('labelNamespaceForInjection'),
  };
}
