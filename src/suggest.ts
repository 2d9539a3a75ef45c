// "did you mean …?" for a mistyped flag, step or command: the closest known word by edit distance, offered only
// when it is close enough to be what was meant (so `--foo` gets no wild guess).

/** Optimal string alignment distance (Levenshtein plus swapping two neighbours: `stpes` → `steps` is 1). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[];
    const prev = d[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The known word closest to `word`, if close for its length (1 edit up to 4 letters, 2 up to 6, else 3). */
export function closest(word: string, known: readonly string[]): string | undefined {
  const limit = word.length <= 4 ? 1 : word.length <= 6 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = word.toLowerCase();
  for (const k of known) {
    // A word without its dashes (`dryrun`, `skipbuild`) is the same word.
    const dist = lower.replace(/-/g, '') === k.replace(/-/g, '') ? 0.5 : editDistance(lower, k.toLowerCase());
    if (dist < bestDistance) {
      best = k;
      bestDistance = dist;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** "; did you mean X?" or "". */
export function didYouMean(
  word: string,
  known: readonly string[],
  show: (k: string) => string = (k) => k,
): string {
  const k = closest(word, known);
  return k === undefined ? '' : `; did you mean ${show(k)}?`;
}
