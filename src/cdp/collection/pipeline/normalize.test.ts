import { describe, expect, it } from 'vitest';
import { normalizeBody } from './normalize.js';
import { BODY_INDEX } from './types.js';

const receivedAt = new Date('2026-06-01T12:00:00.000Z');

describe('normalizeBody with a single message', () => {
  it('accepts a track sent to /v1/track with the type implied by the path', () => {
    const body = { userId: 'u', event: 'Signed Up', messageId: 'm1', writeKey: 'WK' };
    const { events, rejections } = normalizeBody(body, { endpointType: 'track', receivedAt });
    expect(rejections).toEqual([]);
    expect(events).toEqual([
      {
        type: 'track',
        messageId: 'm1',
        anonymousId: null,
        userId: 'u',
        event: 'Signed Up',
        name: null,
        category: null,
        properties: {},
        traits: {},
        context: {},
        integrations: {},
        timestamp: '2026-06-01T12:00:00.000Z',
        originalTimestamp: null,
        sentAt: null,
        receivedAt: '2026-06-01T12:00:00.000Z',
        previousId: null,
        groupId: null,
      },
    ]);
  });

  it('rejects an invalid single message at index 0 with its raw body', () => {
    const body = { type: 'track', event: 'x', messageId: 'm2' };
    const { events, rejections } = normalizeBody(body, { endpointType: 'track', receivedAt });
    expect(events).toEqual([]);
    expect(rejections).toEqual([
      {
        index: 0,
        messageId: 'm2',
        kind: 'dlq',
        code: 'missing_identity',
        reason: 'message needs a userId or an anonymousId',
        raw: body,
      },
    ]);
  });

  it('treats a batch-shaped body on a single endpoint as one (invalid) message', () => {
    const result = normalizeBody({ batch: [] }, { endpointType: 'identify', receivedAt });
    expect(result.rejections).toMatchObject([{ index: 0, code: 'missing_identity' }]);
  });

  it('runs every enrichment step', () => {
    const body = {
      type: 'identify',
      userId: 'u',
      traits: { email: ' A@B.COM ', phone: '(415) 555-2671' },
      context: {
        locale: 'en-US',
        userAgent:
          'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
        page: { url: 'https://x.io/?utm_source=news' },
      },
    };
    const { events } = normalizeBody(body, {
      endpointType: 'identify',
      receivedAt,
      connectionIp: '203.0.113.5',
    });
    expect(events[0]).toMatchObject({
      traits: { email: 'a@b.com', phone: '+14155552671' },
      context: {
        userAgentParsed: { browser: { name: 'Chrome' } },
        campaign: { source: 'news' },
        ip: '203.0.113.5',
      },
    });
  });
});

describe('normalizeBody with a batch', () => {
  it('merges batch defaults, keeps order and indexes rejections by position', () => {
    const body = {
      batch: [
        {
          type: 'track',
          userId: 'u',
          event: 'A',
          messageId: 'a',
          originalTimestamp: '2026-06-01T10:00:00Z',
        },
        { type: 'track', userId: 'u', messageId: 'b' },
        'not an object',
        { type: 'identify', anonymousId: 'x', messageId: 'c', context: { locale: 'fr-FR' } },
      ],
      context: { library: { name: 'sdk' }, locale: 'en-US' },
      integrations: { All: true },
      sentAt: '2026-06-01T10:00:02Z',
    };
    const { events, rejections } = normalizeBody(body, { receivedAt });
    expect(events.map((e) => e.messageId)).toEqual(['a', 'c']);
    expect(events[0]).toMatchObject({
      context: { library: { name: 'sdk' }, locale: 'en-US' },
      integrations: { All: true },
      timestamp: '2026-06-01T11:59:58.000Z',
      sentAt: '2026-06-01T10:00:02.000Z',
    });
    expect(events[1]?.context).toMatchObject({ library: { name: 'sdk' }, locale: 'fr-FR' });
    expect(rejections.map((r) => [r.index, r.messageId, r.code])).toEqual([
      [1, 'b', 'missing_field'],
      [2, null, 'message_not_object'],
    ]);
    expect(rejections[1]?.raw).toBe('not an object');
  });

  it('keeps the raw item before batch defaults were merged', () => {
    const item = { type: 'track', userId: 'u' };
    const { rejections } = normalizeBody({ batch: [item], context: { a: 1 } }, { receivedAt });
    expect(rejections[0]?.raw).toBe(item);
  });

  it.each([
    ['a body that is not an object', [], 'body_not_object'],
    ['a missing batch', { type: 'track' }, 'batch_not_array'],
    ['too many items', { batch: [{}, {}, {}] }, 'batch_too_large'],
  ])('rejects %s as a whole', (_name, body, code) => {
    const result = normalizeBody(body, { receivedAt, limits: { maxBatchItems: 2 } });
    expect(result).toEqual({
      events: [],
      rejections: [expect.objectContaining({ index: BODY_INDEX, code, raw: body })],
    });
  });

  it('rejects a call with an invalid receivedAt instead of throwing', () => {
    const result = normalizeBody({ batch: [] }, { receivedAt: new Date('nope') });
    expect(result.rejections).toMatchObject([{ index: BODY_INDEX, code: 'invalid_call' }]);
  });

  it('applies limit overrides per call', () => {
    const body = { batch: [{ type: 'identify', userId: 'u', messageId: 'abcdef' }] };
    const result = normalizeBody(body, { receivedAt, limits: { maxMessageIdLength: 5 } });
    expect(result.rejections).toMatchObject([
      { index: 0, code: 'message_id_too_long', messageId: null },
    ]);
  });

  it('uses the generated messageId on rejections after the schema step', () => {
    const body = { batch: [{ type: 'identify', userId: 'u', sentAt: 'soon' }] };
    const result = normalizeBody(body, { receivedAt, randomId: () => 'r' });
    expect(result.rejections).toMatchObject([{ code: 'invalid_timestamp', messageId: 'triad-r' }]);
  });

  it('rejects an item whose batch context brings a forbidden key', () => {
    const body = JSON.parse(
      '{"batch":[{"type":"identify","userId":"u"}],"context":{"__proto__":{"admin":true}}}',
    ) as unknown;
    const result = normalizeBody(body, { receivedAt });
    expect(result.rejections).toMatchObject([{ index: 0, code: 'forbidden_key' }]);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('turns an item that throws when read into an internal_error rejection', () => {
    const hostile = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    );
    const result = normalizeBody(
      { batch: [hostile, { type: 'identify', userId: 'u' }] },
      { receivedAt },
    );
    expect(result.events).toHaveLength(1);
    expect(result.rejections).toMatchObject([{ index: 0, kind: 'dlq' }]);
    expect(result.rejections[0]?.reason).toContain('trap');
  });
});
