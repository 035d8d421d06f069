import { relativeStandardError } from './ertl-estimator.js';
import type { HyperLogLog } from './hyperloglog.js';
import { zForConfidence } from './normal-quantile.js';

/** An overlap estimate between two audiences, with an honest error report. */
export interface IntersectionEstimate {
  /** Estimated |A ∩ B|, clamped to [0, min(|A|, |B|)]. */
  estimate: number;
  low: number;
  high: number;
  confidence: number;
  /** Standard error of `estimate` (0 when exact). */
  standardError: number;
  /**
   * Interval half-width divided by the estimate: 0.1 means "±10% of the overlap". Infinity when
   * the estimate is 0 but the interval is not. Callers should hide or flag figures above ~0.3.
   */
  relativeError: number;
  method: 'exact' | 'inclusion-exclusion';
  /** The estimates the result was derived from. */
  sizeA: number;
  sizeB: number;
  union: number;
}

function exactOverlap(a: ReadonlySet<number>, b: ReadonlySet<number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let count = 0;
  for (const key of small) if (large.has(key)) count++;
  return count;
}

/**
 * Estimates |A ∩ B| from two sketches.
 *
 * Method:
 * - Both sketches still exact (small audiences, see `HyperLogLog.exactLimit`): the hash sets are
 *   intersected directly. The result is exact barring 53-bit hash collisions. This is the
 *   alternative for small sets, and the only reliable one at that scale.
 * - Otherwise inclusion–exclusion in sketch space: |A ∩ B| ≈ |A| + |B| − |A ∪ B|, with A ∪ B the
 *   register-wise merge. Its standard error is taken as √(σA² + σB² + σ∪²), treating the three
 *   estimation errors as independent. In reality the errors of |A| and |A ∪ B| are positively
 *   correlated (they share registers), which makes this bound somewhat conservative; tests check
 *   the interval's empirical coverage.
 *
 * Limits: the error scales with the sizes of A, B and A ∪ B, not with the overlap. At p = 14 each
 * term carries ~0.81%, so for two audiences of 1M the error is roughly ±23k at 95% confidence
 * whatever the overlap: a 500k overlap is measured to ±5%, a 20k overlap is noise. Overlaps below
 * a few percent of the union cannot be estimated with HyperLogLog; use exact sets (or a
 * sampling sketch such as KMV/theta) for those. `relativeError` reports this honestly.
 */
export function estimateIntersection(
  a: HyperLogLog,
  b: HyperLogLog,
  confidence = 0.95,
): IntersectionEstimate {
  const z = zForConfidence(confidence);
  const keysA = a.exactKeys();
  const keysB = b.exactKeys();
  if (keysA !== null && keysB !== null) {
    const overlap = exactOverlap(keysA, keysB);
    return {
      estimate: overlap,
      low: overlap,
      high: overlap,
      confidence,
      standardError: 0,
      relativeError: 0,
      method: 'exact',
      sizeA: keysA.size,
      sizeB: keysB.size,
      union: keysA.size + keysB.size - overlap,
    };
  }

  const m = a.registerCount;
  const sizeA = a.estimate();
  const sizeB = b.estimate();
  const union = a.clone().merge(b).estimate();
  const se = (n: number, isExact: boolean) => (isExact ? 0 : n * relativeStandardError(n, m));
  const standardError = Math.hypot(se(sizeA, a.isExact), se(sizeB, b.isExact), se(union, false));
  const ceiling = Math.min(sizeA, sizeB);
  const estimate = Math.min(ceiling, Math.max(0, sizeA + sizeB - union));
  const halfWidth = z * standardError;
  return {
    estimate,
    low: Math.max(0, estimate - halfWidth),
    high: Math.min(ceiling, estimate + halfWidth),
    confidence,
    standardError,
    relativeError: estimate > 0 ? halfWidth / estimate : halfWidth > 0 ? Infinity : 0,
    method: 'inclusion-exclusion',
    sizeA,
    sizeB,
    union,
  };
}
