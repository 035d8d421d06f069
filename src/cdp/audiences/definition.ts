/**
 * The audience definition language as data (a JSON AST). The readable text form lives in
 * `definition.text.ts`; both describe exactly the same trees, so `parse(format(ast))` is `ast`.
 */

/** Comparison operators shared by trait conditions, event property filters and destinations. */
export const operators = [
  'eq',
  'neq',
  'lt',
  'gt',
  'lte',
  'gte',
  'contains',
  'starts_with',
  'ends_with',
  'exists',
  'not_exists',
  'one_of',
  'before',
  'after',
] as const;
export type Operator = (typeof operators)[number];

export type Scalar = string | number | boolean | null;
export type Value = Scalar | Scalar[];

/** `path op value`: the path is a dotted name (`plan`, `address.city`). */
export interface Filter {
  path: string;
  op: Operator;
  /** Absent for `exists` / `not_exists`; an array for `one_of`; an ISO date for before/after. */
  value?: Value;
}

export type DurationUnit = 'minutes' | 'hours' | 'days';
export interface Duration {
  amount: number;
  unit: DurationUnit;
}

/** A rolling window (`within 30 days`) or a fixed range of event times (`between A and B`). */
export type TimeWindow =
  | { kind: 'within'; duration: Duration }
  | { kind: 'between'; from: string; to: string };

export interface CountRule {
  op: 'gte' | 'lte' | 'eq';
  value: number;
}

export interface EventStep {
  event: string;
  where: Filter[];
}

export type Condition =
  | { type: 'and'; conditions: Condition[] }
  | { type: 'or'; conditions: Condition[] }
  | { type: 'not'; condition: Condition }
  | { type: 'trait'; filter: Filter }
  | { type: 'computed'; filter: Filter }
  | {
      type: 'event';
      event: string;
      where: Filter[];
      /** Absent: at least once. `eq 0` is "did not perform". */
      count?: CountRule;
      window?: TimeWindow;
    }
  | { type: 'funnel'; first: EventStep; second: EventStep; within: Duration }
  | { type: 'audience'; audience: string }
  | { type: 'account'; quantifier: 'any' | 'all' | 'none'; condition: Condition };

export const aggregations = [
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'most_frequent',
  'first',
  'last',
  'unique_list',
  'unique_count',
] as const;
export type Aggregation = (typeof aggregations)[number];

/** A computed trait: an aggregate over a profile's matching events. */
export interface ComputedTraitDefinition {
  aggregation: Aggregation;
  /** Event name to count; absent matches every track event. */
  event?: string;
  /** Property (inside `properties`) aggregated; needed by everything but `count`. */
  property?: string;
  where: Filter[];
  window?: Duration;
}

export const durationMs = (d: Duration): number =>
  d.amount * (d.unit === 'minutes' ? 60_000 : d.unit === 'hours' ? 3_600_000 : 86_400_000);

/** Longest window accepted: beyond ten years a window is a mistake, not a requirement. */
export const maxWindowMs = 3650 * 86_400_000;
