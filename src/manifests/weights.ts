// Relative weights (config) → integer percentages (Istio), by the largest-remainder method: each share is
// floored, then the points still missing to reach 100 go to the largest fractional remainders (ties: earlier
// entry first). The result sums to exactly 100, keeps input order, and each share is within 1 of its exact value.

/**
 * `weights` must be non-negative integers with a positive sum. Returns one percentage per input, in order.
 * A zero weight yields 0; a tiny positive weight may also round to 0 (exactness beats a floor of 1%).
 */
export function toPercentages(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0) || weights.some((w) => !Number.isFinite(w) || w < 0)) {
    throw new RangeError(`weights must be non-negative with a positive sum, got [${weights.join(', ')}]`);
  }
  // Integer arithmetic: the exact share is w*100/total; floor and remainder without float error.
  const floors = weights.map((w) => Math.floor((w * 100) / total));
  const rems = weights.map((w) => (w * 100) % total);
  let missing = 100 - floors.reduce((a, b) => a + b, 0);
  const order = weights.map((_, i) => i).sort((a, b) => (rems[b] ?? 0) - (rems[a] ?? 0) || a - b);
  const out = [...floors];
  for (const i of order) {
    if (missing <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
    missing--;
  }
  return out;
}
