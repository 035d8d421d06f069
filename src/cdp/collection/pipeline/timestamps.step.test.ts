import { describe, expect, it } from 'vitest';
import { timestampsStep } from './timestamps.step.js';
import type { ValidatedMessage } from './types.js';

const receivedAt = new Date('2026-06-01T12:00:00.000Z');
const limits = { minTimestampMs: Date.UTC(2000, 0, 1) };

function message(
  times: Partial<Pick<ValidatedMessage, 'timestamp' | 'originalTimestamp' | 'sentAt'>>,
): ValidatedMessage {
  return {
    type: 'track',
    messageId: 'm',
    anonymousId: 'a',
    userId: null,
    event: 'e',
    name: null,
    category: null,
    properties: {},
    traits: {},
    context: {},
    integrations: {},
    timestamp: null,
    originalTimestamp: null,
    sentAt: null,
    previousId: null,
    groupId: null,
    ...times,
  };
}

describe('timestampsStep', () => {
  const cases: [
    string,
    Parameters<typeof message>[0],
    { timestamp: string; originalTimestamp: string | null; sentAt: string | null },
  ][] = [
    [
      'no client times: receivedAt',
      {},
      { timestamp: '2026-06-01T12:00:00.000Z', originalTimestamp: null, sentAt: null },
    ],
    [
      'originalTimestamp and sentAt: skew corrected (client clock 1h fast, 2s delay)',
      { originalTimestamp: '2026-06-01T12:59:58.000Z', sentAt: '2026-06-01T13:00:00.000Z' },
      {
        timestamp: '2026-06-01T11:59:58.000Z',
        originalTimestamp: '2026-06-01T12:59:58.000Z',
        sentAt: '2026-06-01T13:00:00.000Z',
      },
    ],
    [
      'timestamp only with sentAt: used as originalTimestamp and corrected',
      { timestamp: '2026-06-01T11:00:00.000Z', sentAt: '2026-06-01T11:00:00.500Z' },
      {
        timestamp: '2026-06-01T11:59:59.500Z',
        originalTimestamp: '2026-06-01T11:00:00.000Z',
        sentAt: '2026-06-01T11:00:00.500Z',
      },
    ],
    [
      'timestamp only without sentAt: taken as is',
      { timestamp: '2026-05-30T08:00:00+02:00' },
      {
        timestamp: '2026-05-30T06:00:00.000Z',
        originalTimestamp: '2026-05-30T06:00:00.000Z',
        sentAt: null,
      },
    ],
    [
      'both client times: originalTimestamp drives the correction',
      {
        timestamp: '2020-01-01T00:00:00Z',
        originalTimestamp: '2026-06-01T12:00:00Z',
        sentAt: '2026-06-01T12:00:03Z',
      },
      {
        timestamp: '2026-06-01T11:59:57.000Z',
        originalTimestamp: '2026-06-01T12:00:00.000Z',
        sentAt: '2026-06-01T12:00:03.000Z',
      },
    ],
    [
      'a clock stuck at 1970 is corrected by sentAt',
      { originalTimestamp: '1970-01-01T00:00:05Z', sentAt: '1970-01-01T00:00:10Z' },
      {
        timestamp: '2026-06-01T11:59:55.000Z',
        originalTimestamp: '1970-01-01T00:00:05.000Z',
        sentAt: '1970-01-01T00:00:10.000Z',
      },
    ],
    [
      'historical imports are kept',
      { timestamp: '2015-03-01T00:00:00Z' },
      {
        timestamp: '2015-03-01T00:00:00.000Z',
        originalTimestamp: '2015-03-01T00:00:00.000Z',
        sentAt: null,
      },
    ],
    [
      'a future time without sentAt falls back to receivedAt',
      { timestamp: '2026-06-01T12:05:00Z' },
      {
        timestamp: '2026-06-01T12:00:00.000Z',
        originalTimestamp: '2026-06-01T12:05:00.000Z',
        sentAt: null,
      },
    ],
    [
      'sentAt before originalTimestamp would land after receivedAt: clamped',
      { originalTimestamp: '2026-06-01T12:00:10Z', sentAt: '2026-06-01T12:00:00Z' },
      {
        timestamp: '2026-06-01T12:00:00.000Z',
        originalTimestamp: '2026-06-01T12:00:10.000Z',
        sentAt: '2026-06-01T12:00:00.000Z',
      },
    ],
    [
      'an unset clock without sentAt falls back to receivedAt',
      { timestamp: '1970-01-01T00:00:00Z' },
      {
        timestamp: '2026-06-01T12:00:00.000Z',
        originalTimestamp: '1970-01-01T00:00:00.000Z',
        sentAt: null,
      },
    ],
    [
      'sentAt alone changes nothing',
      { sentAt: '2026-06-01T11:00:00Z' },
      {
        timestamp: '2026-06-01T12:00:00.000Z',
        originalTimestamp: null,
        sentAt: '2026-06-01T11:00:00.000Z',
      },
    ],
  ];

  it.each(cases)('%s', (_name, times, expected) => {
    const result = timestampsStep(message(times), { receivedAt, limits });
    expect(result).toMatchObject({
      kind: 'ok',
      value: { ...expected, receivedAt: '2026-06-01T12:00:00.000Z' },
    });
  });

  const invalid: [string, Parameters<typeof message>[0], string][] = [
    ['an unparseable timestamp', { timestamp: 'yesterday' }, 'timestamp "yesterday"'],
    [
      'an impossible originalTimestamp',
      { originalTimestamp: '2026-02-30T00:00:00Z' },
      'originalTimestamp',
    ],
    [
      'an unparseable sentAt',
      { timestamp: '2026-06-01T11:00:00Z', sentAt: 'soon' },
      'sentAt "soon"',
    ],
  ];

  it.each(invalid)('rejects %s', (_name, times, reasonPart) => {
    const result = timestampsStep(message(times), { receivedAt, limits });
    expect(result).toMatchObject({ kind: 'dlq', code: 'invalid_timestamp' });
    expect(result.kind !== 'ok' && result.reason).toContain(reasonPart);
  });

  it('carries every other field through', () => {
    const input = message({});
    const result = timestampsStep(
      { ...input, userId: 'u', properties: { a: 1 } },
      { receivedAt, limits },
    );
    expect(result).toMatchObject({
      kind: 'ok',
      value: { userId: 'u', properties: { a: 1 }, event: 'e' },
    });
  });
});
