import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { normaliseRoutes } from '../../src/manifests/virtualServices.js';
import { toPercentages } from '../../src/manifests/weights.js';
import { weightedHost } from '../support/configs.js';

/** Deterministic PRNG (mulberry32): the "random" vectors are the same every run, so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('toPercentages (largest remainder)', () => {
  it('handles the obvious cases exactly', () => {
    expect(toPercentages([1])).toEqual([100]);
    expect(toPercentages([1, 1])).toEqual([50, 50]);
    expect(toPercentages([1, 2])).toEqual([33, 67]);
    expect(toPercentages([1, 1, 1])).toEqual([34, 33, 33]);
    expect(toPercentages([80, 20])).toEqual([80, 20]);
    expect(toPercentages([9, 1])).toEqual([90, 10]);
    expect(toPercentages([0, 3])).toEqual([0, 100]);
    expect(toPercentages([1, 1000])).toEqual([0, 100]);
  });

  it('breaks remainder ties toward the earlier entry', () => {
    expect(toPercentages([1, 1, 1, 1, 1, 1])).toEqual([17, 17, 17, 17, 16, 16]);
    expect(toPercentages([1, 1, 1, 1, 1, 1, 1])).toEqual([15, 15, 14, 14, 14, 14, 14]);
  });

  it('for 2000 random vectors: sums to 100, keeps order and length, each within 1 of its exact share', () => {
    const rand = rng(20261126);
    for (let n = 0; n < 2000; n++) {
      const len = 1 + Math.floor(rand() * 12);
      const big = rand() < 0.3;
      const weights = Array.from({ length: len }, () => Math.floor(rand() * (big ? 1_000_000 : 10)));
      if (!weights.some((w) => w > 0)) weights[0] = 1;
      const total = weights.reduce((a, b) => a + b, 0);
      const pct = toPercentages(weights);
      // Collect violations and assert once per vector: thousands of expect() calls would dominate the runtime.
      const bad: string[] = [];
      if (pct.length !== len) bad.push('length');
      if (pct.reduce((a, b) => a + b, 0) !== 100) bad.push('sum');
      pct.forEach((p, i) => {
        const exact = ((weights[i] ?? 0) * 100) / total;
        if (!Number.isInteger(p) || Math.abs(p - exact) >= 1) bad.push(`share ${i}: ${p} vs ${exact}`);
        if (weights[i] === 0 && p !== 0) bad.push(`zero weight ${i} got ${p}`);
        // Monotone: a larger weight never gets a smaller share.
        pct.forEach((q, j) => {
          if ((weights[i] ?? 0) > (weights[j] ?? 0) && p < q) bad.push(`order ${i}<${j}`);
        });
      });
      expect(bad, `weights [${weights}] → [${pct}]`).toEqual([]);
    }
  });

  it('rejects an all-zero or negative vector', () => {
    expect(() => toPercentages([0, 0])).toThrow(RangeError);
    expect(() => toPercentages([5, -1])).toThrow(RangeError);
    expect(() => toPercentages([])).toThrow(RangeError);
  });
});

describe('normaliseRoutes', () => {
  it('drops zero-weight routes and gives a single remaining route no weight', () => {
    expect(normaliseRoutes(weightedHost('a.com', 'HTTP', { v1: 0, v2: 7 }))).toEqual([{ subset: 'v2' }]);
    expect(normaliseRoutes(weightedHost('a.com', 'HTTP', { v1: 3 }))).toEqual([{ subset: 'v1' }]);
  });

  it('keeps config order for several routes', () => {
    expect(normaliseRoutes(weightedHost('a.com', 'HTTP', { v2: 3, v1: 1, v3: 0 }))).toEqual([
      { subset: 'v2', weight: 75 },
      { subset: 'v1', weight: 25 },
    ]);
  });

  it('merges a subset listed twice into one destination at its first position', () => {
    const host = {
      name: 'a.com',
      protocol: 'HTTP' as const,
      routes: [
        { subset: 'v1', weight: 1 },
        { subset: 'v2', weight: 2 },
        { subset: 'v1', weight: 1 },
      ],
    };
    expect(normaliseRoutes(host)).toEqual([
      { subset: 'v1', weight: 50 },
      { subset: 'v2', weight: 50 },
    ]);
  });

  it('names the host and field when no route has a positive weight', () => {
    const host = weightedHost('a.com', 'HTTP', { v1: 0, v2: 0 });
    expect(() => normaliseRoutes(host, 3)).toThrow(UsageError);
    expect(() => normaliseRoutes(host, 3)).toThrow(/hosts\[3\]\.routes: host a\.com/);
  });
});
