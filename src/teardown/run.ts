// Deleting what planTeardown found. Idempotent: an object already gone is reported `absent`, not an error.

import { refString } from '../io/ref.js';
import type { ClusterIo, ObjectRef } from '../io/types.js';
import type { LogFn } from '../steps/types.js';

export interface TeardownResult {
  ref: string;
  outcome: 'deleted' | 'absent';
}

export const refText = refString;

export async function runTeardown(
  cluster: ClusterIo,
  refs: readonly ObjectRef[],
  log: LogFn,
): Promise<TeardownResult[]> {
  const out: TeardownResult[] = [];
  for (const r of refs) {
    const outcome = await cluster.delete(r);
    log(`${outcome.padEnd(10)} ${refText(r)}`);
    out.push({ ref: refText(r), outcome });
  }
  return out;
}
