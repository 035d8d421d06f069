import type { Filter } from './definition.js';

/** Reads a dotted path (`address.city`) out of a JSON object; undefined when absent. */
export function readPath(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

const toNumber = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
};

const toTime = (v: unknown): number | undefined => {
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};

/** Numbers compare numerically (numeric strings included); other values as strings. */
function compare(actual: unknown, expected: unknown): number | undefined {
  const a = toNumber(actual);
  const b = toNumber(expected);
  if (a !== undefined && b !== undefined) return a - b;
  if (typeof actual === 'string' && typeof expected === 'string')
    return actual < expected ? -1 : actual > expected ? 1 : 0;
  return undefined;
}

const looselyEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  const n = compare(a, b);
  return n === 0 && typeof a !== 'boolean' && typeof b !== 'boolean';
};

/**
 * Whether a value satisfies a filter. A missing value satisfies only `not_exists` and `neq`
 * (a profile without a plan is "not on the pro plan"); type mismatches are simply false, never
 * errors, because event properties are whatever the sender sent.
 */
export function matchesFilter(actual: unknown, f: Filter): boolean {
  const missing = actual === undefined || actual === null;
  switch (f.op) {
    case 'exists':
      return !missing;
    case 'not_exists':
      return missing;
    case 'eq':
      return f.value === null ? missing : !missing && looselyEqual(actual, f.value);
    case 'neq':
      return f.value === null ? !missing : missing || !looselyEqual(actual, f.value);
    case 'lt':
    case 'gt':
    case 'lte':
    case 'gte': {
      if (missing) return false;
      const n = compare(actual, f.value);
      if (n === undefined) return false;
      return f.op === 'lt' ? n < 0 : f.op === 'gt' ? n > 0 : f.op === 'lte' ? n <= 0 : n >= 0;
    }
    case 'contains':
      if (Array.isArray(actual)) return actual.some((x) => looselyEqual(x, f.value));
      return typeof actual === 'string' && typeof f.value === 'string' && actual.includes(f.value);
    case 'starts_with':
      return (
        typeof actual === 'string' && typeof f.value === 'string' && actual.startsWith(f.value)
      );
    case 'ends_with':
      return typeof actual === 'string' && typeof f.value === 'string' && actual.endsWith(f.value);
    case 'one_of':
      return !missing && Array.isArray(f.value) && f.value.some((x) => looselyEqual(actual, x));
    case 'before':
    case 'after': {
      const a = toTime(actual);
      const b = toTime(f.value);
      if (a === undefined || b === undefined) return false;
      return f.op === 'before' ? a < b : a > b;
    }
  }
}

/** All filters hold for `root` (each path read from it). */
export function matchesAll(root: unknown, filters: Filter[]): boolean {
  return filters.every((f) => matchesFilter(readPath(root, f.path), f));
}
