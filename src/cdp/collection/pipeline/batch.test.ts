import { describe, expect, it } from 'vitest';
import {
  applyBatchDefaults,
  type BatchEnvelope,
  checkBatchShape,
  extractWriteKey,
} from './batch.js';

const limits = { maxBatchItems: 3 };

describe('checkBatchShape', () => {
  const rejected: [string, unknown, string][] = [
    ['a string body', 'batch', 'body_not_object'],
    ['an array body', [{}], 'body_not_object'],
    ['null', null, 'body_not_object'],
    ['no batch field', { sentAt: 'x' }, 'batch_not_array'],
    ['batch as an object', { batch: { 0: {} } }, 'batch_not_array'],
    ['batch as a string', { batch: '[]' }, 'batch_not_array'],
    ['too many items', { batch: [{}, {}, {}, {}] }, 'batch_too_large'],
    ['context as an array', { batch: [], context: [] }, 'batch_defaults_invalid'],
    ['integrations as a string', { batch: [], integrations: 'all' }, 'batch_defaults_invalid'],
    [
      'a proxy whose batch getter throws',
      new Proxy(
        { batch: [] },
        {
          getOwnPropertyDescriptor() {
            throw new Error('nope');
          },
        },
      ),
      'body_not_object',
    ],
  ];

  it.each(rejected)('rejects %s', (_name, body, code) => {
    expect(checkBatchShape(body, limits)).toMatchObject({ kind: 'dlq', code });
  });

  it('accepts a batch at the item limit and snapshots it', () => {
    const batch = [{ a: 1 }, 2, null];
    const result = checkBatchShape({ batch, context: { x: 1 }, sentAt: 'S' }, limits);
    if (result.kind !== 'ok') throw new Error('expected ok');
    expect(result.value).toEqual({
      items: batch,
      context: { x: 1 },
      integrations: null,
      sentAt: 'S',
    });
    expect(result.value.items).not.toBe(batch);
  });

  it('accepts an empty batch and null defaults', () => {
    expect(checkBatchShape({ batch: [], context: null }, limits)).toMatchObject({
      kind: 'ok',
      value: { items: [], context: null },
    });
  });
});

describe('applyBatchDefaults', () => {
  const envelope: BatchEnvelope = {
    items: [],
    context: { library: { name: 'batch' }, locale: 'en-US' },
    integrations: { All: false },
    sentAt: '2026-01-01T00:00:01Z',
  };

  const cases: [string, unknown, unknown][] = [
    [
      'an item without its own context gets the batch one',
      { type: 'track' },
      {
        type: 'track',
        context: { library: { name: 'batch' }, locale: 'en-US' },
        integrations: { All: false },
        sentAt: '2026-01-01T00:00:01Z',
      },
    ],
    [
      "the item's keys win, shallowly",
      { context: { library: { version: '2' } }, integrations: { All: true, Mixpanel: false } },
      {
        context: { library: { version: '2' }, locale: 'en-US' },
        integrations: { All: true, Mixpanel: false },
        sentAt: '2026-01-01T00:00:01Z',
      },
    ],
    [
      "the item's own sentAt wins",
      { sentAt: '2026-01-01T00:00:05Z' },
      expect.objectContaining({ sentAt: '2026-01-01T00:00:05Z' }),
    ],
    [
      'a non-object item context is left for validation to reject',
      { context: 'x' },
      expect.objectContaining({ context: 'x' }),
    ],
    ['a non-object item passes through', 7, 7],
  ];

  it.each(cases)('%s', (_name, item, expected) => {
    expect(applyBatchDefaults(item, envelope)).toEqual(expected);
  });

  it('does not mutate the item or the batch context', () => {
    const item = { context: { page: { url: 'u' } } };
    applyBatchDefaults(item, envelope);
    expect(item).toEqual({ context: { page: { url: 'u' } } });
    expect(envelope.context).toEqual({ library: { name: 'batch' }, locale: 'en-US' });
  });

  it('keeps a __proto__ key as inert data rather than a prototype', () => {
    const item = JSON.parse('{"context":{"__proto__":{"polluted":true}}}') as unknown;
    const merged = applyBatchDefaults(item, envelope) as { context: Record<string, unknown> };
    expect(Object.hasOwn(merged.context, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(merged.context)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('extractWriteKey', () => {
  it.each([
    ['the body field', { writeKey: 'WK', batch: [{ writeKey: 'other' }] }, 'WK'],
    ['the first batch item carrying one', { batch: [{}, 3, { writeKey: 'WK2' }] }, 'WK2'],
    ['none at all', { batch: [{}] }, null],
    ['an empty key', { writeKey: '' }, null],
    ['a non-string key', { writeKey: 5 }, null],
    ['a non-object body', 'WK', null],
    ['an inherited key is not read', Object.create({ writeKey: 'proto' }) as unknown, null],
  ])('%s', (_name, body, expected) => {
    expect(extractWriteKey(body)).toBe(expected);
  });
});
