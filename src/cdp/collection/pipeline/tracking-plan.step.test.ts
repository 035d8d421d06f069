import { describe, expect, it } from 'vitest';
import { compilePlan } from '../plans/plan.compile.js';
import type { PlanDocument } from '../plans/plan.js';
import { normalizeBody } from './normalize.js';
import type { PlanMode } from './tracking-plan.step.js';
import { trackingPlanStep } from './tracking-plan.step.js';
import type { CollectedEvent } from './types.js';

const receivedAt = new Date('2026-03-01T12:00:00.000Z');

function eventOf(message: Record<string, unknown>): CollectedEvent {
  const { events } = normalizeBody(
    { userId: 'u', messageId: 'm', ...message },
    {
      endpointType: message.type as 'track',
      receivedAt,
    },
  );
  const [event] = events;
  if (!event) throw new Error('fixture did not normalize');
  return event;
}

const doc = (mode: PlanMode): PlanDocument => ({
  mode,
  track: {
    'Order Completed': {
      type: 'object',
      properties: { total: { type: 'number' }, currency: { enum: ['EUR', 'USD'] } },
      required: ['total'],
    },
    'Signed Up': { type: 'object', additionalProperties: true },
  },
  identify: { type: 'object', properties: { email: { type: 'string', format: 'email' } } },
  page: { type: 'object', properties: { path: { type: 'string' } } },
  common: {
    type: 'object',
    properties: { context: { type: 'object', properties: { app: { type: 'object' } } } },
  },
});

const order = (properties: Record<string, unknown>) =>
  eventOf({ type: 'track', event: 'Order Completed', properties });

describe('trackingPlanStep', () => {
  const cases: [string, CollectedEvent, string[]][] = [
    ['a planned, valid event', order({ total: 3, currency: 'EUR' }), []],
    ['a wrong type', order({ total: '3' }), ['type:properties.total']],
    ['a missing required property', order({ currency: 'EUR' }), ['required:properties.total']],
    ['a value outside an enum', order({ total: 1, currency: 'GBP' }), ['enum:properties.currency']],
    [
      'an unplanned property',
      order({ total: 1, coupon: 'X' }),
      ['unplanned_property:properties.coupon'],
    ],
    [
      'an unplanned event',
      eventOf({ type: 'track', event: 'Cart Viewed', properties: { a: 1 } }),
      ['unplanned_event:null'],
    ],
    [
      'any property of an open schema',
      eventOf({ type: 'track', event: 'Signed Up', properties: { anything: 1 } }),
      [],
    ],
    [
      'identify traits (format)',
      eventOf({ type: 'identify', traits: { email: 'not-an-email' } }),
      ['format:traits.email'],
    ],
    [
      'page properties',
      eventOf({ type: 'page', properties: { path: 7 } }),
      ['type:properties.path'],
    ],
    [
      'the common schema from the message root',
      eventOf({ type: 'group', groupId: 'g', context: { app: 'x' } }),
      ['type:context.app'],
    ],
    ['a type the plan does not cover', eventOf({ type: 'alias', previousId: 'p' }), []],
  ];

  it.each(cases)('flag mode finds %s', (_name, event, expected) => {
    const outcome = trackingPlanStep(event, compilePlan(doc('flag'), 1));
    expect(outcome.violations.map((v) => `${v.kind}:${v.property}`)).toEqual(expected);
    expect(outcome.result.kind).toBe('ok');
    expect(outcome.action).toBe(expected.length > 0 ? 'flagged' : null);
  });

  it('allow mode checks nothing', () => {
    const outcome = trackingPlanStep(order({ total: 'x', extra: 1 }), compilePlan(doc('allow'), 1));
    expect(outcome).toMatchObject({ result: { kind: 'ok' }, violations: [], action: null });
  });

  it('omit mode strips unplanned properties and keeps the rest', () => {
    const outcome = trackingPlanStep(
      order({ total: 5, coupon: 'X', utm: 'y' }),
      compilePlan(doc('omit'), 1),
    );
    expect(outcome.action).toBe('omitted');
    expect(outcome.result.kind === 'ok' && outcome.result.value.properties).toEqual({ total: 5 });
  });

  it.each([
    [
      'an unplanned event',
      eventOf({ type: 'track', event: 'Nope' }),
      'tracking_plan_unplanned_event',
    ],
    ['a schema violation', order({ total: 'x' }), 'tracking_plan_violation'],
    ['an unplanned property', order({ total: 1, extra: true }), 'tracking_plan_violation'],
  ])('block mode drops %s', (_name, event, code) => {
    const outcome = trackingPlanStep(event, compilePlan(doc('block'), 1));
    expect(outcome.result).toMatchObject({ kind: 'drop', code });
    expect(outcome.action).toBe('blocked');
  });

  it('block mode lets a valid event through', () => {
    const outcome = trackingPlanStep(order({ total: 1 }), compilePlan(doc('block'), 1));
    expect(outcome.result.kind).toBe('ok');
  });

  it('refuses a plan whose schema is not valid JSON Schema, naming it', () => {
    expect(() =>
      compilePlan({ mode: 'flag', track: { Bad: { type: 'nonsense' } } }, 1),
    ).toThrowError(expect.objectContaining({ code: 'validation_failed' }));
  });

  it('runs inside normalizeBody and reports findings per item', () => {
    const result = normalizeBody(
      {
        batch: [
          { type: 'track', userId: 'u', event: 'Order Completed', properties: { total: 1 } },
          { type: 'track', userId: 'u', event: 'Nope', messageId: 'm-nope' },
        ],
      },
      { receivedAt, trackingPlan: compilePlan(doc('block'), 1) },
    );
    expect(result.events).toHaveLength(1);
    expect(result.rejections).toMatchObject([
      { index: 1, kind: 'drop', code: 'tracking_plan_unplanned_event', messageId: 'm-nope' },
    ]);
    expect(result.violations).toMatchObject([{ index: 1, action: 'blocked', event: 'Nope' }]);
  });
});
