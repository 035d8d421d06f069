/**
 * Jaro and Jaro–Winkler string similarity.
 *
 * Jaro counts characters that agree within a sliding window of half the longer string's length,
 * then penalises transpositions among them. Winkler's variant rewards a shared prefix because
 * typing errors in names are rarer in the first letters. Both return a similarity in [0, 1].
 */

/** Scratch buffers reused across calls: the matcher compares millions of short strings. */
let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);

function scratch(lenA: number, lenB: number): void {
  if (flagsA.length < lenA) flagsA = new Uint8Array(lenA * 2);
  if (flagsB.length < lenB) flagsB = new Uint8Array(lenB * 2);
  flagsA.fill(0, 0, lenA);
  flagsB.fill(0, 0, lenB);
}

/**
 * Jaro similarity of two strings (compared by UTF-16 code unit).
 *
 * jaro = (m/|a| + m/|b| + (m - t)/m) / 3, where m is the number of matching characters (equal
 * characters no further apart than floor(max(|a|,|b|)/2) - 1) and t is half the number of
 * matching characters that appear in a different order. Two empty strings are identical (1);
 * an empty string against a non-empty one shares nothing (0).
 */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  const lenA = a.length;
  const lenB = b.length;
  if (lenA === 0 || lenB === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(lenA, lenB) / 2) - 1);
  scratch(lenA, lenB);
  let matches = 0;
  for (let i = 0; i < lenA; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(lenB - 1, i + window);
    const ch = a.charCodeAt(i);
    for (let j = lo; j <= hi; j++) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === ch) {
        flagsA[i] = 1;
        flagsB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  // Walk both strings' matched characters in order; each disagreement is half a transposition.
  let outOfOrder = 0;
  let j = 0;
  for (let i = 0; i < lenA; i++) {
    if (flagsA[i] === 0) continue;
    while (flagsB[j] === 0) j++;
    if (a.charCodeAt(i) !== b.charCodeAt(j)) outOfOrder++;
    j++;
  }
  const t = outOfOrder / 2;
  return (matches / lenA + matches / lenB + (matches - t) / matches) / 3;
}

/** Winkler's standard prefix scale: each shared leading character closes 10% of the gap to 1. */
export const WINKLER_PREFIX_SCALE = 0.1;
/** Winkler counts at most four shared leading characters. */
export const WINKLER_MAX_PREFIX = 4;

/**
 * Jaro–Winkler similarity: jaro + l * p * (1 - jaro), with l the length of the common prefix
 * (at most {@link WINKLER_MAX_PREFIX}) and p = {@link WINKLER_PREFIX_SCALE}. The boost is applied
 * whatever the Jaro score (no 0.7 boost threshold), as in most record-linkage toolkits.
 */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  if (j === 0 || j === 1) return j;
  const limit = Math.min(WINKLER_MAX_PREFIX, a.length, b.length);
  let prefix = 0;
  while (prefix < limit && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return j + prefix * WINKLER_PREFIX_SCALE * (1 - j);
}
