// Async helpers used across the wizard: a bounded worker pool and an abortable wait.
import { setTimeout as wait } from 'node:timers/promises';
import { InterruptedError } from '../errors.js';

/** Runs fn over items with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Waits ms; Ctrl-C (the run's abort signal) ends the wait at once with InterruptedError. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await wait(ms, undefined, { signal });
  } catch (err) {
    if (signal?.aborted) throw new InterruptedError();
    throw err;
  }
}
