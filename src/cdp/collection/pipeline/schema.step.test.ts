import { describe, expect, it } from 'vitest';
import type { JsonObject } from './json.js';
import { schemaStep } from './schema.step.js';
import type { EventType } from './types.js';

const limits = { maxMessageIdLength: 10 };
const options = { limits, randomId: () => 'rand' };

describe('schemaStep rejections', () => {
  const cases: [string, JsonObject, EventType | undefined, string, string][] = [
    ['no type on a batch item', { userId: 'u' }, undefined, 'invalid_type', 'type is required'],
    ['an unknown type', { type: 'purchase', userId: 'u' }, undefined, 'invalid_type', '"purchase"'],
    [
      'a capitalised type',
      { type: 'Track', userId: 'u', event: 'e' },
      undefined,
      'invalid_type',
      '"Track"',
    ],
    ['a non-string type', { type: 3, userId: 'u' }, undefined, 'invalid_type', 'a number'],
    [
      'a body type that disagrees with the endpoint',
      { type: 'identify', userId: 'u' },
      'track',
      'type_mismatch',
      'track endpoint',
    ],
    [
      'no identity',
      { type: 'identify', traits: {} },
      undefined,
      'missing_identity',
      'userId or an anonymousId',
    ],
    [
      'empty identities',
      { type: 'identify', userId: '', anonymousId: '' },
      undefined,
      'missing_identity',
      'userId',
    ],
    [
      'an object userId',
      { type: 'identify', userId: { id: 1 } },
      undefined,
      'invalid_field',
      'userId must be',
    ],
    [
      'a boolean anonymousId',
      { type: 'identify', anonymousId: true },
      undefined,
      'invalid_field',
      'anonymousId',
    ],
    ['track without event', { type: 'track', userId: 'u' }, undefined, 'missing_field', 'event'],
    [
      'track with an empty event',
      { type: 'track', userId: 'u', event: '' },
      undefined,
      'missing_field',
      'event',
    ],
    [
      'track with a numeric event',
      { type: 'track', userId: 'u', event: 5 },
      undefined,
      'invalid_field',
      'event must be a string',
    ],
    [
      'group without groupId',
      { type: 'group', userId: 'u' },
      undefined,
      'missing_field',
      'groupId',
    ],
    [
      'alias without previousId',
      { type: 'alias', userId: 'u' },
      undefined,
      'missing_field',
      'previousId',
    ],
    [
      'alias with only an anonymousId',
      { type: 'alias', anonymousId: 'a', previousId: 'p' },
      undefined,
      'missing_field',
      'userId',
    ],
    [
      'page with a numeric name',
      { type: 'page', userId: 'u', name: 1 },
      undefined,
      'invalid_field',
      'name',
    ],
    [
      'properties as an array',
      { type: 'track', userId: 'u', event: 'e', properties: [] },
      undefined,
      'invalid_field',
      'properties must be an object, got an array',
    ],
    [
      'traits as a string',
      { type: 'identify', userId: 'u', traits: 'x' },
      undefined,
      'invalid_field',
      'traits',
    ],
    [
      'context as a number',
      { type: 'identify', userId: 'u', context: 1 },
      undefined,
      'invalid_field',
      'context',
    ],
    [
      'integrations as an array',
      { type: 'identify', userId: 'u', integrations: [] },
      undefined,
      'invalid_field',
      'integrations',
    ],
    [
      'a numeric timestamp',
      { type: 'identify', userId: 'u', timestamp: 1700000000000 },
      undefined,
      'invalid_timestamp',
      'timestamp must be an ISO-8601',
    ],
    [
      'an object sentAt',
      { type: 'identify', userId: 'u', sentAt: {} },
      undefined,
      'invalid_timestamp',
      'sentAt',
    ],
    [
      'a messageId over the limit',
      { type: 'identify', userId: 'u', messageId: 'x'.repeat(11) },
      undefined,
      'message_id_too_long',
      '11 characters',
    ],
    [
      'an object messageId',
      { type: 'identify', userId: 'u', messageId: {} },
      undefined,
      'invalid_field',
      'messageId',
    ],
  ];

  it.each(cases)('rejects %s', (_name, message, endpointType, code, reasonPart) => {
    const result = schemaStep(message, { ...options, endpointType });
    expect(result).toMatchObject({ kind: 'dlq', code });
    expect(result.kind !== 'ok' && result.reason).toContain(reasonPart);
  });
});

describe('schemaStep acceptance', () => {
  const cases: [string, JsonObject, EventType | undefined, Record<string, unknown>][] = [
    [
      'track',
      { type: 'track', userId: 'u', event: 'Signed Up', messageId: 'm' },
      undefined,
      { type: 'track', event: 'Signed Up', userId: 'u', anonymousId: null, messageId: 'm' },
    ],
    [
      'identify with only anonymousId',
      { type: 'identify', anonymousId: 'a' },
      undefined,
      { anonymousId: 'a', userId: null },
    ],
    ['the endpoint supplies the type', { userId: 'u', event: 'e' }, 'track', { type: 'track' }],
    [
      'a matching body type on an endpoint',
      { type: 'page', userId: 'u' },
      'page',
      { type: 'page' },
    ],
    [
      'page name and category are optional',
      { type: 'page', userId: 'u' },
      undefined,
      { name: null, category: null },
    ],
    [
      'screen keeps name and category',
      { type: 'screen', userId: 'u', name: 'Home', category: 'Main' },
      undefined,
      { name: 'Home', category: 'Main' },
    ],
    [
      'group keeps groupId',
      { type: 'group', userId: 'u', groupId: 'g' },
      undefined,
      { groupId: 'g' },
    ],
    [
      'alias keeps previousId',
      { type: 'alias', userId: 'u', previousId: 'p' },
      undefined,
      { previousId: 'p', userId: 'u' },
    ],
    [
      'numeric identifiers become strings',
      { type: 'group', userId: 42, groupId: 7 },
      undefined,
      { userId: '42', groupId: '7' },
    ],
    [
      'a numeric messageId becomes a string',
      { type: 'identify', userId: 'u', messageId: 12 },
      undefined,
      { messageId: '12' },
    ],
    [
      'null objects become {}',
      { type: 'identify', userId: 'u', traits: null, context: null },
      undefined,
      { traits: {}, context: {}, properties: {}, integrations: {} },
    ],
    [
      'fields foreign to the type are dropped',
      { type: 'identify', userId: 'u', event: 5, groupId: 'g', name: 'n' },
      undefined,
      { event: null, groupId: null, name: null },
    ],
    [
      'timestamps stay as sent',
      { type: 'identify', userId: 'u', timestamp: 't', sentAt: 's' },
      undefined,
      { timestamp: 't', sentAt: 's', originalTimestamp: null },
    ],
    [
      'a messageId at the limit',
      { type: 'identify', userId: 'u', messageId: 'x'.repeat(10) },
      undefined,
      { messageId: 'x'.repeat(10) },
    ],
  ];

  it.each(cases)('accepts %s', (_name, message, endpointType, expected) => {
    const result = schemaStep(message, { ...options, endpointType });
    expect(result).toMatchObject({ kind: 'ok', value: expected });
  });

  it('generates a messageId when none is sent', () => {
    const result = schemaStep({ type: 'identify', userId: 'u' }, options);
    expect(result).toMatchObject({ kind: 'ok', value: { messageId: 'triad-rand' } });
  });

  it('treats an empty messageId as missing', () => {
    const result = schemaStep({ type: 'identify', userId: 'u', messageId: '' }, options);
    expect(result).toMatchObject({ kind: 'ok', value: { messageId: 'triad-rand' } });
  });

  it('keeps objects as they are', () => {
    const properties = { revenue: 12.5, nested: { a: [1] } };
    const result = schemaStep({ type: 'track', userId: 'u', event: 'e', properties }, options);
    expect(result.kind === 'ok' && result.value.properties).toEqual(properties);
  });
});
