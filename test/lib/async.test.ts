import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors.js';
import { mapLimit, sleep } from '../../src/lib/async.js';

describe('mapLimit', () => {
  it('keeps at most `limit` calls in flight and returns results in input order', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([30, 5, 20, 1, 10, 2], 2, async (ms) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await sleep(ms);
      inFlight--;
      return ms * 2;
    });
    expect(out).toEqual([60, 10, 40, 2, 20, 4]);
    expect(most).toBe(2);
  });

  it('an empty list calls nothing', async () => {
    expect(await mapLimit([], 4, async () => expect.unreachable())).toEqual([]);
  });
});

describe('sleep', () => {
  it('an abort ends the wait at once with InterruptedError', async () => {
    // Ten minutes: a wait the abort did not end would outlast the test's timeout and fail it.
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    await expect(sleep(600_000, controller.signal)).rejects.toBeInstanceOf(InterruptedError);
  });
});
