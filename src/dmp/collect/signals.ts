import type { ErrorDetail } from '../../kernel/errors.js';
import { SIGNAL_KEY, type Signals } from '../traits/trait-rule.js';

/**
 * The shape limits of one set of signals. Signals are flat key/value pairs (strings, finite
 * numbers, booleans); anything else is a client bug and is refused as a whole.
 */
export const SIGNAL_LIMITS = { maxKeys: 50, maxValueLength: 256 } as const;

/** Validates raw signals; returns them typed, or the problems found (nothing is dropped here). */
export function checkSignals(
  raw: unknown,
  path: string,
): { ok: true; signals: Signals } | { ok: false; issues: ErrorDetail[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      ok: false,
      issues: [{ field: path, message: 'must be an object of key/value pairs' }],
    };
  }
  const entries = Object.entries(raw);
  const issues: ErrorDetail[] = [];
  if (entries.length > SIGNAL_LIMITS.maxKeys) {
    issues.push({ field: path, message: `at most ${SIGNAL_LIMITS.maxKeys} signals per hit` });
  }
  const signals: Signals = {};
  for (const [key, value] of entries) {
    if (!SIGNAL_KEY.test(key)) {
      issues.push({ field: path, message: 'keys are 1-64 characters of A-Z a-z 0-9 _ . : -' });
      continue;
    }
    const field = `${path}.${key}`;
    if (typeof value === 'string') {
      if (value.length > SIGNAL_LIMITS.maxValueLength) {
        issues.push({ field, message: `longer than ${SIGNAL_LIMITS.maxValueLength} characters` });
      } else signals[key] = value;
    } else if (typeof value === 'boolean') {
      signals[key] = value;
    } else if (typeof value === 'number' && Number.isFinite(value)) {
      signals[key] = value;
    } else {
      issues.push({ field, message: 'must be a string, a finite number or a boolean' });
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, signals };
}
