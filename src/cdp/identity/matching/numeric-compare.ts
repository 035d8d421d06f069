/**
 * Closeness of numeric codes: postcodes, street numbers, phone numbers. A code is compared as a
 * string of digits (keying errors are digit errors) and, when both are plain numbers of the same
 * length, also by numeric distance (neighbouring postcodes usually cover neighbouring areas).
 */
import { osaDistance } from './edit-distance.js';

/**
 * How two codes agree:
 * - `exact`;
 * - `one-edit`: one character substituted, inserted, deleted, or two adjacent ones swapped;
 * - `numerically-close`: both all-digit, same length, and at most `maxGap` apart;
 * - `different`.
 */
export type CodeAgreement = 'exact' | 'one-edit' | 'numerically-close' | 'different';

/**
 * Absolute numeric difference of two all-digit strings, or undefined when either is not a plain
 * number. Leading zeros are allowed ("0800" is 800).
 */
export function numericGap(a: string, b: string): number | undefined {
  if (!/^\d{1,15}$/.test(a) || !/^\d{1,15}$/.test(b)) return undefined;
  return Math.abs(Number(a) - Number(b));
}

/**
 * Numeric closeness in [0, 1]: 1 for equal numbers, falling linearly to 0 at `scale` apart;
 * undefined when either value is not a plain number.
 */
export function numericCloseness(a: string, b: string, scale: number): number | undefined {
  const gap = numericGap(a, b);
  if (gap === undefined) return undefined;
  return Math.max(0, 1 - gap / scale);
}

/** Compares two codes; see {@link CodeAgreement}. */
export function compareCodes(a: string, b: string, maxGap: number): CodeAgreement {
  if (a === b) return 'exact';
  if (osaDistance(a, b) <= 1) return 'one-edit';
  const gap = a.length === b.length ? numericGap(a, b) : undefined;
  if (gap !== undefined && gap <= maxGap) return 'numerically-close';
  return 'different';
}
