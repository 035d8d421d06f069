/**
 * Edit distances between strings, compared by UTF-16 code unit.
 *
 * Both use two or three rolling rows so memory stays O(min length) and no matrix is allocated
 * per call; the matcher calls them on short field values in tight loops.
 */

/**
 * Levenshtein distance: the minimum number of single-character insertions, deletions and
 * substitutions turning `a` into `b`.
 */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length < b.length) return levenshtein(b, a);
  const n = b.length;
  if (n === 0) return a.length;
  let prev = new Uint32Array(n + 1);
  let curr = new Uint32Array(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    curr[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      curr[j] = Math.min((prev[j] ?? 0) + 1, (curr[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    [prev, curr] = [curr, prev];
  }
  return prev[n] ?? 0;
}

/**
 * Optimal string alignment distance (restricted Damerau–Levenshtein): Levenshtein plus the
 * transposition of two adjacent characters as one edit, with no substring edited twice. So
 * "ab" → "ba" costs 1, while "ca" → "abc" costs 3 (unrestricted Damerau would give 2).
 * Transpositions are the commonest keying error in dates and postcodes, hence this metric.
 */
export function osaDistance(a: string, b: string): number {
  if (a === b) return 0;
  const m = a.length;
  const n = b.length;
  if (m === 0) return n;
  if (n === 0) return m;
  let prev2 = new Uint32Array(n + 1);
  let prev = new Uint32Array(n + 1);
  let curr = new Uint32Array(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    curr[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let best = Math.min((prev[j] ?? 0) + 1, (curr[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        best = Math.min(best, (prev2[j - 2] ?? 0) + 1);
      }
      curr[j] = best;
    }
    [prev2, prev, curr] = [prev, curr, prev2];
  }
  return prev[n] ?? 0;
}

/**
 * Levenshtein similarity normalised to [0, 1]: 1 - distance / max(|a|, |b|); two empty strings
 * are identical.
 */
export function levenshteinSimilarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - levenshtein(a, b) / longest;
}
