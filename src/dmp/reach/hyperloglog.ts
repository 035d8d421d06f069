import { estimateFromHistogram, relativeStandardError } from './ertl-estimator.js';
import { murmur3x64 } from './murmur3.js';
import { zForConfidence } from './normal-quantile.js';
import { decodeSketch, encodeSketch } from './sketch-codec.js';

/**
 * HyperLogLog reach sketch (Flajolet et al. 2007) with two representations:
 *
 * - exact: while the sketch has seen at most `exactLimit` distinct IDs it keeps their 53-bit hashes
 *   in a Set. Counts and intersections are then exact (barring a 53-bit hash collision,
 *   probability ≈ n²/2^54, i.e. below 10^-9 at the default limit). This plays the role of
 *   HLL++'s sparse mode and also makes small sketches serialise compactly.
 * - dense: 2^p registers of one byte. Each ID's hash picks a register with its top p bits; the
 *   register keeps the maximum "rank" (position of the first 1 bit) of the remaining 53-p bits.
 *
 * Why 53 bits of a 64-bit hash: 53 bits is the largest integer a JS number holds exactly, so the
 * exact representation can store hashes as plain numbers in a Set and rebuild registers from
 * them without loss. 2^53 hash values put the cardinality ceiling around 10^15, far beyond any
 * audience; Ertl's τ correction handles register saturation anyway.
 *
 * Error: the relative standard error is 1.04/√m (0.81% at p = 14) for large cardinalities and
 * lower for small ones; see `relativeStandardError`.
 */

/** Options for a new sketch. */
export interface HyperLogLogOptions {
  /** log2 of the register count, 4..18. Default 14 (16,384 registers, ≈0.81% standard error). */
  precision?: number;
  /** Hash seed; only sketches with the same seed (and precision) can be merged. Default 0. */
  seed?: number;
  /** Distinct IDs kept exactly before switching to registers; 0 disables. Default 1,536. */
  exactLimit?: number;
}

/** A cardinality estimate with a two-sided confidence interval. */
export interface ReachInterval {
  estimate: number;
  low: number;
  high: number;
  confidence: number;
  /** True when the count comes from the exact representation (interval of zero width). */
  exact: boolean;
}

/** Number of hash bits a sketch uses (see the module comment). */
export const HASH_BITS = 53;
export const DEFAULT_PRECISION = 14;
export const DEFAULT_EXACT_LIMIT = 1536;
const TWO_POW_21 = 0x20_0000;

const HASH = new Uint32Array(4);
// Tuple view so the type checker knows the first two slots exist.
const H = HASH as unknown as [number, number];

/**
 * Rank (1-based position of the first set bit) of the q = 53 - p bits following the register
 * index. `hi` is the top 32 hash bits, `low21` the next 21; `p` bits of `hi` are the index.
 */
function rankOf(hi: number, low21: number, p: number): number {
  const w1 = hi & ((1 << (32 - p)) - 1);
  if (w1 !== 0) return Math.clz32(w1) - p + 1;
  if (low21 !== 0) return 32 - p + (Math.clz32(low21) - 11) + 1;
  return HASH_BITS - p + 1;
}

/** Splits a 53-bit key into (top 32 bits, low 21 bits) exactly. */
function splitKey(key: number): [number, number] {
  const hi = Math.floor(key / TWO_POW_21);
  return [hi, key - hi * TWO_POW_21];
}

function checkInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
  return value;
}

/** A HyperLogLog sketch of distinct string IDs; see the module comment for the design. */
export class HyperLogLog {
  readonly precision: number;
  readonly seed: number;
  readonly exactLimit: number;
  private dense: Uint8Array | null = null;
  private exact: Set<number> | null;

  constructor(options: HyperLogLogOptions = {}) {
    this.precision = checkInteger('precision', options.precision ?? DEFAULT_PRECISION, 4, 18);
    this.seed = checkInteger('seed', options.seed ?? 0, 0, 0xffff_ffff);
    this.exactLimit = checkInteger('exactLimit', options.exactLimit ?? DEFAULT_EXACT_LIMIT, 0, 1e7);
    this.exact = this.exactLimit > 0 ? new Set() : null;
    if (this.exact === null) this.dense = new Uint8Array(this.registerCount);
  }

  /** m = 2^p. */
  get registerCount(): number {
    return 1 << this.precision;
  }

  /** Whether the sketch still holds exact hashes (see the module comment). */
  get isExact(): boolean {
    return this.exact !== null;
  }

  /** Adds one ID (hashed as UTF-8 with MurmurHash3 x64_128). */
  add(id: string): void {
    murmur3x64(id, this.seed, HASH);
    const hi = H[0];
    const low21 = H[1] >>> 11;
    const dense = this.dense;
    if (dense !== null) {
      const index = hi >>> (32 - this.precision);
      const rank = rankOf(hi, low21, this.precision);
      if (rank > (dense[index] ?? 0)) dense[index] = rank;
      return;
    }
    this.addExactKey(hi * TWO_POW_21 + low21);
  }

  /** Adds a pre-computed 53-bit key (used by merge and deserialisation). */
  private addExactKey(key: number): void {
    const exact = this.exact;
    if (exact === null) {
      this.applyKey(this.densify(), key);
      return;
    }
    exact.add(key);
    if (exact.size > this.exactLimit) this.densify();
  }

  private applyKey(dense: Uint8Array, key: number): void {
    const [hi, low21] = splitKey(key);
    const index = hi >>> (32 - this.precision);
    const rank = rankOf(hi, low21, this.precision);
    if (rank > (dense[index] ?? 0)) dense[index] = rank;
  }

  /** Switches to registers (idempotent) and returns them. */
  private densify(): Uint8Array {
    if (this.dense !== null) return this.dense;
    const dense = new Uint8Array(this.registerCount);
    for (const key of this.exact ?? []) this.applyKey(dense, key);
    this.dense = dense;
    this.exact = null;
    return dense;
  }

  /**
   * Folds `other` into this sketch: afterwards this sketch is identical to one built from the
   * union of both inputs (same exact set, or register-wise maximum). Requires equal precision
   * and seed. Returns `this`.
   */
  merge(other: HyperLogLog): this {
    if (other.precision !== this.precision || other.seed !== this.seed) {
      throw new RangeError(
        `cannot merge sketches with different parameters (p=${this.precision}/seed=${this.seed} vs p=${other.precision}/seed=${other.seed})`,
      );
    }
    const otherExact = other.exact;
    if (otherExact !== null) {
      for (const key of otherExact) this.addExactKey(key);
      return this;
    }
    const dense = this.densify();
    const source = other.dense ?? new Uint8Array(0);
    for (let i = 0; i < dense.length; i++) {
      const value = source[i] ?? 0;
      if (value > (dense[i] ?? 0)) dense[i] = value;
    }
    return this;
  }

  /** Estimated number of distinct IDs added (exact while `isExact`). */
  estimate(): number {
    if (this.exact !== null) return this.exact.size;
    return estimateFromHistogram(this.histogram(), this.registerCount);
  }

  /**
   * The estimate with a two-sided normal-approximation interval at `confidence` (default 95%).
   * The bounds are clamped at 0; in the exact representation the interval has zero width.
   */
  estimateWithInterval(confidence = 0.95): ReachInterval {
    const z = zForConfidence(confidence);
    const estimate = this.estimate();
    if (this.exact !== null) {
      return { estimate, low: estimate, high: estimate, confidence, exact: true };
    }
    const halfWidth = z * this.standardError();
    return {
      estimate,
      low: Math.max(0, estimate - halfWidth),
      high: estimate + halfWidth,
      confidence,
      exact: false,
    };
  }

  /** Absolute standard error of `estimate()` (0 in the exact representation). */
  standardError(): number {
    if (this.exact !== null) return 0;
    const n = this.estimate();
    return n * relativeStandardError(n, this.registerCount);
  }

  /** Register values (a copy; computed from the exact hashes if the sketch is still exact). */
  registers(): Uint8Array {
    if (this.dense !== null) return this.dense.slice();
    const dense = new Uint8Array(this.registerCount);
    for (const key of this.exact ?? []) this.applyKey(dense, key);
    return dense;
  }

  /** The exact 53-bit hash keys, or null once the sketch is dense. Read-only view. */
  exactKeys(): ReadonlySet<number> | null {
    return this.exact;
  }

  /** Register histogram: counts[k] = registers holding k, for k = 0..q+1. */
  histogram(): Uint32Array {
    const counts = new Uint32Array(HASH_BITS - this.precision + 2);
    const registers = this.dense ?? this.registers();
    for (let i = 0; i < registers.length; i++) {
      const value = registers[i] ?? 0;
      counts[value] = (counts[value] ?? 0) + 1;
    }
    return counts;
  }

  /** A deep copy. */
  clone(): HyperLogLog {
    const copy = new HyperLogLog(this);
    copy.exact = this.exact === null ? null : new Set(this.exact);
    copy.dense = this.dense === null ? null : this.dense.slice();
    return copy;
  }

  /**
   * Compact binary form (see `sketch-codec.ts`): the exact hash list while small, otherwise
   * 6-bit packed registers (12,301 bytes at p = 14).
   */
  serialize(): Buffer {
    const header = { precision: this.precision, seed: this.seed, exactLimit: this.exactLimit };
    if (this.exact !== null) return encodeSketch(header, { keys: [...this.exact] });
    return encodeSketch(header, { registers: this.dense ?? this.registers() });
  }

  /** Rebuilds a sketch from `serialize()` output; throws `SketchFormatError` if malformed. */
  static deserialize(blob: Uint8Array): HyperLogLog {
    const { header, content } = decodeSketch(blob);
    const sketch = new HyperLogLog(header);
    if ('registers' in content) {
      sketch.exact = null;
      sketch.dense = content.registers;
      return sketch;
    }
    for (const key of content.keys) sketch.addExactKey(key);
    return sketch;
  }
}
