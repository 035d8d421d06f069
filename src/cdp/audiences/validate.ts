import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import {
  type Aggregation,
  aggregations,
  type ComputedTraitDefinition,
  type Condition,
  type CountRule,
  type Duration,
  durationMs,
  type EventStep,
  type Filter,
  maxWindowMs,
  type Operator,
  operators,
  type Scalar,
  type TimeWindow,
  type Value,
} from './definition.js';

/**
 * Strict validation of definitions received as JSON. Every problem is reported with the JSON
 * pointer of the offending node, so a 400 names exactly what to fix. Unknown fields are errors:
 * a typo (`"windw"`) must not silently widen an audience.
 */
class Checker {
  readonly details: ErrorDetail[] = [];
  fail(field: string, message: string): void {
    if (this.details.length < 20) this.details.push({ field, message });
  }
  object(v: unknown, at: string, allowed: string[]): Record<string, unknown> | undefined {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.fail(at, 'must be an object');
      return undefined;
    }
    const o = v as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      if (!allowed.includes(key)) this.fail(`${at}/${key}`, `unknown field "${key}"`);
    }
    return o;
  }
  string(v: unknown, at: string, max = 500): string {
    if (typeof v !== 'string' || v.length === 0 || v.length > max) {
      this.fail(at, `must be a non-empty string of at most ${max} characters`);
      return '';
    }
    return v;
  }
  integer(v: unknown, at: string, min: number, max: number): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.fail(at, `must be an integer from ${min} to ${max}`);
      return min;
    }
    return v;
  }
}

const isScalar = (v: unknown): v is Scalar =>
  v === null ||
  typeof v === 'string' ||
  typeof v === 'boolean' ||
  (typeof v === 'number' && Number.isFinite(v));

const isoDate = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;
export const isDateText = (v: string): boolean => isoDate.test(v) && !Number.isNaN(Date.parse(v));

function filter(c: Checker, v: unknown, at: string): Filter {
  const o = c.object(v, at, ['path', 'op', 'value']) ?? {};
  const path = c.string(o.path, `${at}/path`, 200);
  const op = o.op as Operator;
  if (!operators.includes(op)) c.fail(`${at}/op`, `must be one of ${operators.join(', ')}`);
  const out: Filter = { path, op };
  if (op === 'exists' || op === 'not_exists') {
    if ('value' in o) c.fail(`${at}/value`, `"${op}" takes no value`);
    return out;
  }
  const value = o.value;
  if (op === 'one_of') {
    if (
      !Array.isArray(value) ||
      value.length === 0 ||
      value.length > 1000 ||
      !value.every(isScalar)
    )
      c.fail(`${at}/value`, 'one_of needs a non-empty list of strings, numbers or booleans');
  } else if (op === 'before' || op === 'after') {
    if (typeof value !== 'string' || !isDateText(value))
      c.fail(`${at}/value`, `${op} needs an ISO-8601 date`);
  } else if (['lt', 'gt', 'lte', 'gte'].includes(op)) {
    if (typeof value !== 'number' && typeof value !== 'string')
      c.fail(`${at}/value`, `${op} needs a number or a string`);
  } else if (['contains', 'starts_with', 'ends_with'].includes(op)) {
    if (typeof value !== 'string') c.fail(`${at}/value`, `${op} needs a string`);
  } else if (!isScalar(value)) c.fail(`${at}/value`, `${op} needs a single value`);
  if (typeof value === 'number' && !Number.isFinite(value))
    c.fail(`${at}/value`, 'must be a finite number');
  out.value = value as Value;
  return out;
}

function filters(c: Checker, v: unknown, at: string): Filter[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > 50) {
    c.fail(at, 'must be a list of at most 50 filters');
    return [];
  }
  return v.map((f, i) => filter(c, f, `${at}/${i}`));
}

function duration(c: Checker, v: unknown, at: string): Duration {
  const o = c.object(v, at, ['amount', 'unit']) ?? {};
  const unit = o.unit as Duration['unit'];
  if (!['minutes', 'hours', 'days'].includes(unit))
    c.fail(`${at}/unit`, 'must be minutes, hours or days');
  const amount = c.integer(o.amount, `${at}/amount`, 1, 1_000_000);
  const d: Duration = { amount, unit };
  if (durationMs(d) > maxWindowMs) c.fail(at, 'a window may not be longer than 3650 days');
  return d;
}

function timeWindow(c: Checker, v: unknown, at: string): TimeWindow {
  const o = c.object(v, at, ['kind', 'duration', 'from', 'to']) ?? {};
  if (o.kind === 'within')
    return { kind: 'within', duration: duration(c, o.duration, `${at}/duration`) };
  if (o.kind === 'between') {
    const from = c.string(o.from, `${at}/from`, 40);
    const to = c.string(o.to, `${at}/to`, 40);
    if (!isDateText(from) || !isDateText(to)) c.fail(at, 'between needs two ISO-8601 dates');
    else if (Date.parse(from) >= Date.parse(to))
      c.fail(at, `impossible window: ${from} is not before ${to}`);
    return { kind: 'between', from, to };
  }
  c.fail(`${at}/kind`, 'must be "within" or "between"');
  return { kind: 'within', duration: { amount: 1, unit: 'days' } };
}

function step(c: Checker, v: unknown, at: string): EventStep {
  const o = c.object(v, at, ['event', 'where']) ?? {};
  return {
    event: c.string(o.event, `${at}/event`, 200),
    where: filters(c, o.where, `${at}/where`),
  };
}

function condition(c: Checker, v: unknown, at: string, depth: number): Condition {
  if (depth > 20) {
    c.fail(at, 'conditions may nest at most 20 levels deep');
    return { type: 'audience', audience: '' };
  }
  const type = (typeof v === 'object' && v !== null ? (v as { type?: unknown }).type : undefined) as
    | Condition['type']
    | undefined;
  switch (type) {
    case 'and':
    case 'or': {
      const o = c.object(v, at, ['type', 'conditions']) ?? {};
      if (!Array.isArray(o.conditions) || o.conditions.length < 2 || o.conditions.length > 100) {
        c.fail(`${at}/conditions`, `"${type}" needs from 2 to 100 conditions`);
        return { type, conditions: [] };
      }
      const list = o.conditions.map((x, i) => condition(c, x, `${at}/conditions/${i}`, depth + 1));
      return { type, conditions: list };
    }
    case 'not': {
      const o = c.object(v, at, ['type', 'condition']) ?? {};
      return { type, condition: condition(c, o.condition, `${at}/condition`, depth + 1) };
    }
    case 'trait':
    case 'computed': {
      const o = c.object(v, at, ['type', 'filter']) ?? {};
      return { type, filter: filter(c, o.filter, `${at}/filter`) };
    }
    case 'event': {
      const o = c.object(v, at, ['type', 'event', 'where', 'count', 'window']) ?? {};
      const out: Condition = {
        type,
        event: c.string(o.event, `${at}/event`, 200),
        where: filters(c, o.where, `${at}/where`),
      };
      if (o.count !== undefined) {
        const k = c.object(o.count, `${at}/count`, ['op', 'value']) ?? {};
        if (!['gte', 'lte', 'eq'].includes(k.op as string))
          c.fail(`${at}/count/op`, 'must be gte, lte or eq');
        out.count = {
          op: k.op as CountRule['op'],
          value: c.integer(k.value, `${at}/count/value`, 0, 1_000_000),
        };
      }
      if (o.window !== undefined) out.window = timeWindow(c, o.window, `${at}/window`);
      return out;
    }
    case 'funnel': {
      const o = c.object(v, at, ['type', 'first', 'second', 'within']) ?? {};
      return {
        type,
        first: step(c, o.first, `${at}/first`),
        second: step(c, o.second, `${at}/second`),
        within: duration(c, o.within, `${at}/within`),
      };
    }
    case 'audience': {
      const o = c.object(v, at, ['type', 'audience']) ?? {};
      return { type, audience: c.string(o.audience, `${at}/audience`, 200) };
    }
    case 'account': {
      const o = c.object(v, at, ['type', 'quantifier', 'condition']) ?? {};
      const q = o.quantifier as 'any' | 'all' | 'none';
      if (!['any', 'all', 'none'].includes(q))
        c.fail(`${at}/quantifier`, 'must be any, all or none');
      const inner = condition(c, o.condition, `${at}/condition`, depth + 1);
      if (containsAccount(inner)) c.fail(`${at}/condition`, 'account conditions may not nest');
      return { type, quantifier: q, condition: inner };
    }
    default:
      c.fail(
        `${at}/type`,
        'must be one of and, or, not, trait, computed, event, funnel, audience, account',
      );
      return { type: 'audience', audience: '' };
  }
}

function containsAccount(cond: Condition): boolean {
  switch (cond.type) {
    case 'and':
    case 'or':
      return cond.conditions.some(containsAccount);
    case 'not':
      return containsAccount(cond.condition);
    case 'account':
      return true;
    default:
      return false;
  }
}

/** Validates an audience condition tree; throws a 400 naming every problem found. */
export function parseCondition(input: unknown, at = '/definition'): Condition {
  const c = new Checker();
  const out = condition(c, input, at, 0);
  if (c.details.length > 0) throw invalid('The audience definition is invalid', c.details);
  return out;
}

/** Validates a computed trait definition; throws a 400 naming every problem found. */
export function parseComputedTrait(input: unknown, at = '/definition'): ComputedTraitDefinition {
  const c = new Checker();
  const o = c.object(input, at, ['aggregation', 'event', 'property', 'where', 'window']) ?? {};
  const aggregation = o.aggregation as Aggregation;
  if (!aggregations.includes(aggregation))
    c.fail(`${at}/aggregation`, `must be one of ${aggregations.join(', ')}`);
  const out: ComputedTraitDefinition = { aggregation, where: filters(c, o.where, `${at}/where`) };
  if (o.event !== undefined) out.event = c.string(o.event, `${at}/event`, 200);
  if (o.property !== undefined) out.property = c.string(o.property, `${at}/property`, 200);
  else if (aggregation !== 'count') c.fail(`${at}/property`, `${aggregation} needs a property`);
  if (o.window !== undefined) out.window = duration(c, o.window, `${at}/window`);
  if (c.details.length > 0) throw invalid('The computed trait definition is invalid', c.details);
  return out;
}

function invalid(title: string, details: ErrorDetail[]): AppError {
  const first = details[0];
  const detail = first ? `${title}: ${first.field ?? ''} ${first.message}`.trim() : title;
  return new AppError('bad_request', detail, details);
}

/** Names of the audiences a condition refers to (membership conditions), for cycle checks. */
export function referencedAudiences(cond: Condition): string[] {
  switch (cond.type) {
    case 'and':
    case 'or':
      return cond.conditions.flatMap(referencedAudiences);
    case 'not':
    case 'account':
      return referencedAudiences(cond.condition);
    case 'audience':
      return [cond.audience];
    default:
      return [];
  }
}

/** Keys of the computed traits a condition reads. */
export function referencedComputedTraits(cond: Condition): string[] {
  switch (cond.type) {
    case 'and':
    case 'or':
      return cond.conditions.flatMap(referencedComputedTraits);
    case 'not':
    case 'account':
      return referencedComputedTraits(cond.condition);
    case 'computed':
      return [cond.filter.path];
    default:
      return [];
  }
}
