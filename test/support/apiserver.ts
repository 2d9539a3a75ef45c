// Shared setup of the real-API-server tier: one control plane per test file and its admin clients (the configs come
// from configs.ts). On a machine without Go the tier is skipped with a visible message (never a silent pass).
import { afterAll, beforeAll } from 'vitest';
import { connectCluster } from '../../src/io/kube/connect.js';
import type { LiveCluster } from '../../src/io/kube/live.js';
import { type ControlPlane, ensureBinaries, startControlPlane } from '../control-plane/controlPlane.js';

const bins = await ensureBinaries();
/** Set when the tier cannot run here; describe.skipIf(skipReason) and the message below make that visible. */
export const skipReason = 'skip' in bins ? bins.skip : undefined;
if (skipReason) {
  process.stderr.write(`\n*** SKIPPED: real API server tests: ${skipReason}\n\n`);
}

export interface Suite {
  cp: ControlPlane;
  admin: LiveCluster;
  /** Another admin client (e.g. in server-dry-run mode); closed after the file. */
  connect(opts?: {
    kubeconfig?: string;
    dryRunServer?: boolean;
    fieldManager?: string;
    context?: string;
  }): Promise<LiveCluster>;
}

/** Starts one control plane for the file (in beforeAll) and stops it after. */
export function useControlPlane(): () => Suite {
  let suite: Suite | undefined;
  const opened: LiveCluster[] = [];
  beforeAll(async () => {
    if (skipReason || 'skip' in bins) return;
    const cp = await startControlPlane({ binaries: bins });
    const connect: Suite['connect'] = async (opts = {}) => {
      const c = await connectCluster({ kubeconfig: opts.kubeconfig ?? cp.adminKubeconfig, ...opts });
      opened.push(c);
      return c;
    };
    suite = { cp, admin: await connect(), connect };
  }, 30 * 60_000);
  afterAll(async () => {
    for (const c of opened) c.close();
    await suite?.cp.stop();
  }, 60_000);
  return () => {
    if (!suite) throw new Error('control plane not started');
    return suite;
  };
}

/** Server-set metadata (not part of what builders emit). */
export interface ServerMeta {
  resourceVersion?: string;
  generation?: number;
  managedFields?: { manager: string; operation: string; subresource?: string }[];
  labels?: Record<string, string>;
}
export const meta = (o: { metadata: unknown } | undefined): ServerMeta => (o?.metadata ?? {}) as ServerMeta;
