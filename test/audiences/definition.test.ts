import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Condition, Filter } from '../../src/cdp/audiences/definition.js';
import { formatCondition, parseConditionText } from '../../src/cdp/audiences/definition.text.js';
import { parseComputedTrait, parseCondition } from '../../src/cdp/audiences/validate.js';
import { AppError } from '../../src/kernel/errors.js';

const name = fc.oneof(
  fc.constantFrom('plan', 'total', 'address.city', 'trait', 'and', 'First Name', 'a_b', 'x1'),
  fc.string({ minLength: 1, maxLength: 12 }),
);
// -0 prints as 0 in JSON and in the text form, so the generator leaves it out.
const finite = fc
  .double({ noNaN: true, noDefaultInfinity: true })
  .map((x) => (Object.is(x, -0) ? 0 : x));
const scalar = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.integer({ min: -1e6, max: 1e6 }),
  finite,
  fc.boolean(),
  fc.constant(null),
);
const date = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2090-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString());
const filter: fc.Arbitrary<Filter> = fc.oneof(
  fc.record({ path: name, op: fc.constantFrom('eq', 'neq' as const), value: scalar }),
  fc.record({
    path: name,
    op: fc.constantFrom('lt', 'gt', 'lte', 'gte' as const),
    value: fc.oneof(fc.string({ maxLength: 6 }), finite),
  }),
  fc.record({
    path: name,
    op: fc.constantFrom('contains', 'starts_with', 'ends_with' as const),
    value: fc.string({ maxLength: 8 }),
  }),
  fc.record({ path: name, op: fc.constantFrom('exists', 'not_exists' as const) }),
  fc.record({
    path: name,
    op: fc.constant('one_of' as const),
    value: fc.array(scalar, { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ path: name, op: fc.constantFrom('before', 'after' as const), value: date }),
);
const duration = fc.record({
  amount: fc.integer({ min: 1, max: 3650 }),
  unit: fc.constantFrom('minutes', 'hours', 'days' as const),
});
const eventName = fc.string({ minLength: 1, maxLength: 15 });
const where = fc.array(filter, { maxLength: 3 });
const window = fc.oneof(
  fc.record({ kind: fc.constant('within' as const), duration }),
  fc
    .tuple(date, date)
    .filter(([a, b]) => a < b)
    .map(([from, to]) => ({ kind: 'between' as const, from, to })),
);
const leaf: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ type: fc.constant('trait' as const), filter }),
  fc.record({ type: fc.constant('computed' as const), filter }),
  fc.record({
    type: fc.constant('audience' as const),
    audience: fc.string({ minLength: 1, maxLength: 10 }),
  }),
  fc.record(
    {
      type: fc.constant('event' as const),
      event: eventName,
      where,
      count: fc.record({
        op: fc.constantFrom('gte', 'lte', 'eq' as const),
        value: fc.integer({ min: 0, max: 100 }),
      }),
      window,
    },
    { requiredKeys: ['type', 'event', 'where'] },
  ),
  fc.record({
    type: fc.constant('funnel' as const),
    first: fc.record({ event: eventName, where }),
    second: fc.record({ event: eventName, where }),
    within: duration,
  }),
);
const { tree } = fc.letrec<{ tree: Condition; inner: Condition }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({
      type: fc.constantFrom('and', 'or' as const),
      conditions: fc.array(tie('tree'), { minLength: 2, maxLength: 3 }),
    }),
    fc.record({ type: fc.constant('not' as const), condition: tie('tree') }),
    fc.record({
      type: fc.constant('account' as const),
      quantifier: fc.constantFrom('any', 'all', 'none' as const),
      condition: tie('inner'),
    }),
  ),
  // Account conditions do not nest.
  inner: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.record({
      type: fc.constantFrom('and', 'or' as const),
      conditions: fc.array(leaf, { minLength: 2, maxLength: 3 }),
    }),
  ),
}));

describe('audience definition language', () => {
  it('round-trips: parse(format(ast)) equals ast, and every generated tree is valid', () => {
    fc.assert(
      fc.property(tree, (ast) => {
        expect(parseCondition(ast)).toEqual(ast);
        expect(parseConditionText(formatCondition(ast))).toEqual(ast);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    [
      'trait plan = "pro" and performed "Order Completed" where total > 50 at least 2 times within 30 days',
      {
        type: 'and',
        conditions: [
          { type: 'trait', filter: { path: 'plan', op: 'eq', value: 'pro' } },
          {
            type: 'event',
            event: 'Order Completed',
            where: [{ path: 'total', op: 'gt', value: 50 }],
            count: { op: 'gte', value: 2 },
            window: { kind: 'within', duration: { amount: 30, unit: 'days' } },
          },
        ],
      },
    ],
    [
      'did not perform "Signed Up" between "2026-01-01" and "2026-02-01" or in audience "vip"',
      {
        type: 'or',
        conditions: [
          {
            type: 'event',
            event: 'Signed Up',
            where: [],
            count: { op: 'eq', value: 0 },
            window: { kind: 'between', from: '2026-01-01', to: '2026-02-01' },
          },
          { type: 'audience', audience: 'vip' },
        ],
      },
    ],
    [
      'performed "Viewed" then "Bought" where sku starts with "A" within 7 days',
      {
        type: 'funnel',
        first: { event: 'Viewed', where: [] },
        second: { event: 'Bought', where: [{ path: 'sku', op: 'starts_with', value: 'A' }] },
        within: { amount: 7, unit: 'days' },
      },
    ],
    [
      'account any (trait role one of ["admin", "owner"]) and not computed ltv < 10',
      {
        type: 'and',
        conditions: [
          {
            type: 'account',
            quantifier: 'any',
            condition: {
              type: 'trait',
              filter: { path: 'role', op: 'one_of', value: ['admin', 'owner'] },
            },
          },
          {
            type: 'not',
            condition: { type: 'computed', filter: { path: 'ltv', op: 'lt', value: 10 } },
          },
        ],
      },
    ],
  ])('parses %s', (text, ast) => {
    expect(parseConditionText(text)).toEqual(ast);
    expect(parseCondition(parseConditionText(text))).toEqual(ast);
  });

  const problem = (f: () => unknown) => {
    try {
      f();
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
    throw new Error('expected an AppError');
  };

  it.each([
    [
      { type: 'trait', filter: { path: 'plan', op: 'eq', value: 'x' }, extra: 1 },
      '/definition/extra',
      'unknown field',
    ],
    [
      { type: 'trait', filter: { path: 'plan', op: 'like', value: 'x' } },
      '/definition/filter/op',
      'must be one of',
    ],
    [
      {
        type: 'event',
        event: 'A',
        where: [],
        window: { kind: 'within', duration: { amount: 0, unit: 'days' } },
      },
      '/definition/window/duration/amount',
      'integer',
    ],
    [
      {
        type: 'event',
        event: 'A',
        where: [],
        window: { kind: 'within', duration: { amount: 5000, unit: 'days' } },
      },
      '/definition/window/duration',
      '3650',
    ],
    [
      {
        type: 'event',
        event: 'A',
        where: [],
        window: { kind: 'between', from: '2026-02-01', to: '2026-01-01' },
      },
      '/definition/window',
      'impossible window',
    ],
    [
      { type: 'and', conditions: [{ type: 'audience', audience: 'a' }] },
      '/definition/conditions',
      'from 2 to 100',
    ],
    [
      {
        type: 'account',
        quantifier: 'any',
        condition: {
          type: 'account',
          quantifier: 'all',
          condition: { type: 'audience', audience: 'a' },
        },
      },
      '/definition/condition',
      'may not nest',
    ],
    [{ type: 'magic' }, '/definition/type', 'must be one of'],
  ])('rejects %j naming %s', (input, field, message) => {
    const error = problem(() => parseCondition(input));
    expect(error.code).toBe('bad_request');
    expect(error.details.some((d) => d.field === field && d.message.includes(message))).toBe(true);
  });

  it.each([
    ['trait plan = ', 'expected a value'],
    ['performed Order', 'quoted string'],
    ['trait plan == "x"', 'expected a value'],
    ['(trait a = 1', 'expected ")"'],
    ['trait a = 1 trait b = 2', 'after the end'],
  ])('reports text syntax errors: %s', (text, message) => {
    expect(problem(() => parseConditionText(text)).message).toContain(message);
  });

  it('validates computed trait definitions', () => {
    expect(
      parseComputedTrait({
        aggregation: 'sum',
        event: 'Order',
        property: 'total',
        window: { amount: 30, unit: 'days' },
      }),
    ).toEqual({
      aggregation: 'sum',
      event: 'Order',
      property: 'total',
      where: [],
      window: { amount: 30, unit: 'days' },
    });
    expect(problem(() => parseComputedTrait({ aggregation: 'sum' })).details[0]?.field).toBe(
      '/definition/property',
    );
    expect(
      problem(() => parseComputedTrait({ aggregation: 'median', property: 'x' })).details[0]?.field,
    ).toBe('/definition/aggregation');
  });
});
