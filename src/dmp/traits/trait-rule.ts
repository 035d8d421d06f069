import { MAX_FREQUENCY } from '../segments/expression.js';

/**
 * Trait rules: conditions over one signal's key/value pairs, plus an optional frequency
 * requirement over the trait's realizations ("3 product views within 7 days").
 */

export type SignalValue = string | number | boolean;
export type Signals = Record<string, SignalValue>;

export const conditionOps = [
  'eq',
  'neq',
  'in',
  'contains',
  'prefix',
  'exists',
  'gt',
  'gte',
  'lt',
  'lte',
] as const;
export type ConditionOp = (typeof conditionOps)[number];

export interface TraitCondition {
  key: string;
  op: ConditionOp;
  /** A string or number; a list for `in`; absent for `exists`. */
  value?: string | number | (string | number)[] | undefined;
}

export interface TraitRule {
  /** `all`: every condition must hold (default); `any`: one is enough. */
  match?: 'all' | 'any' | undefined;
  conditions: TraitCondition[];
  /** Qualify only after `min` realizations, optionally within the last `withinDays` days. */
  frequency?: { min: number; withinDays?: number | undefined } | undefined;
}

export const SIGNAL_KEY = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_CONDITIONS = 20;
const MAX_IN_VALUES = 100;

/** Returns the problems of a rule, each `{field, message}`; empty when it is valid. */
export function validateTraitRule(
  rule: TraitRule,
  ttlDays: number,
): { field: string; message: string }[] {
  const issues: { field: string; message: string }[] = [];
  if (rule.conditions.length === 0 || rule.conditions.length > MAX_CONDITIONS) {
    issues.push({ field: 'rule.conditions', message: `1 to ${MAX_CONDITIONS} conditions` });
  }
  rule.conditions.forEach((condition, i) => {
    const field = `rule.conditions[${i}]`;
    if (!SIGNAL_KEY.test(condition.key)) {
      issues.push({ field: `${field}.key`, message: 'keys are 1-64 of A-Z a-z 0-9 _ . : -' });
    }
    const value = condition.value;
    if (condition.op === 'exists') return;
    if (condition.op === 'in') {
      if (!Array.isArray(value) || value.length === 0 || value.length > MAX_IN_VALUES) {
        issues.push({
          field: `${field}.value`,
          message: `"in" takes 1 to ${MAX_IN_VALUES} values`,
        });
      }
      return;
    }
    if (value === undefined || Array.isArray(value)) {
      issues.push({ field: `${field}.value`, message: `"${condition.op}" takes one value` });
      return;
    }
    if (['gt', 'gte', 'lt', 'lte'].includes(condition.op) && typeof value !== 'number') {
      issues.push({ field: `${field}.value`, message: `"${condition.op}" compares numbers` });
    }
  });
  const frequency = rule.frequency;
  if (frequency) {
    if (!Number.isInteger(frequency.min) || frequency.min < 1 || frequency.min > MAX_FREQUENCY) {
      issues.push({ field: 'rule.frequency.min', message: `1 to ${MAX_FREQUENCY}` });
    }
    const within = frequency.withinDays;
    if (within !== undefined && (!Number.isInteger(within) || within < 1 || within > ttlDays)) {
      issues.push({ field: 'rule.frequency.withinDays', message: `1 to the TTL (${ttlDays})` });
    }
  }
  return issues;
}

function asNumber(value: SignalValue): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function holds(condition: TraitCondition, signals: Signals): boolean {
  const actual = Object.hasOwn(signals, condition.key) ? signals[condition.key] : undefined;
  if (condition.op === 'exists') return actual !== undefined;
  if (actual === undefined) return false;
  const text = String(actual);
  const expected = condition.value;
  switch (condition.op) {
    case 'eq':
      return expected !== undefined && !Array.isArray(expected) && text === String(expected);
    case 'neq':
      return expected !== undefined && !Array.isArray(expected) && text !== String(expected);
    case 'in':
      return Array.isArray(expected) && expected.some((v) => String(v) === text);
    case 'contains':
      return typeof expected === 'string' && text.includes(expected);
    case 'prefix':
      return typeof expected === 'string' && text.startsWith(expected);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const n = asNumber(actual);
      if (n === null || typeof expected !== 'number') return false;
      if (condition.op === 'gt') return n > expected;
      if (condition.op === 'gte') return n >= expected;
      if (condition.op === 'lt') return n < expected;
      return n <= expected;
    }
  }
}

/** Whether one signal realizes the rule (string comparisons are exact and case-sensitive). */
export function ruleMatches(rule: TraitRule, signals: Signals): boolean {
  return rule.match === 'any'
    ? rule.conditions.some((c) => holds(c, signals))
    : rule.conditions.every((c) => holds(c, signals));
}

/** Whether the realizations satisfy the rule's frequency requirement at `nowMs`. */
export function frequencyHolds(
  rule: TraitRule | null,
  hits: readonly number[],
  nowMs: number,
): boolean {
  const min = rule?.frequency?.min ?? 1;
  const within = rule?.frequency?.withinDays;
  const since = within === undefined ? -Infinity : nowMs - within * 86_400_000;
  let count = 0;
  for (const at of hits) if (at >= since) count++;
  return count >= min;
}
