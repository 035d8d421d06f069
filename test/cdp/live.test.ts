import { type IncomingMessage, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

/** The live debugger over a real socket: Server-Sent Events cannot be read through inject(). */
let t: TestApp;
let base: URL;
let token: string;
let source: { id: string; writeKey: string };

beforeAll(async () => {
  t = await createTestApp();
  base = new URL(await t.app.listen({ port: 0, host: '127.0.0.1' }));
  token = await t.tokenFor('marketer');
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/sources',
    headers: { ...bearer(token), 'content-type': 'application/json' },
    payload: { name: 'live' },
  });
  source = created.json();
});
afterAll(() => t.close());

interface Watch {
  response: IncomingMessage;
  /** Resolves with the frames received once `count` event frames have arrived. */
  next(count: number): Promise<{ event: string; data: Record<string, unknown> }[]>;
  ended: Promise<void>;
}

function watch(sourceId: string): Promise<Watch> {
  return new Promise((ok, fail) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        path: `/api/v1/sources/${sourceId}/live`,
        headers: bearer(token),
      },
      (response) => {
        let buffer = '';
        const frames: { event: string; data: Record<string, unknown> }[] = [];
        let waiter: { count: number; resolve: () => void } | undefined;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let cut = buffer.indexOf('\n\n');
          while (cut !== -1) {
            const frame = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const event = /^event: (.*)$/m.exec(frame)?.[1];
            const data = /^data: (.*)$/m.exec(frame)?.[1];
            if (event && data) frames.push({ event, data: JSON.parse(data) });
            cut = buffer.indexOf('\n\n');
          }
          if (waiter && frames.length >= waiter.count) waiter.resolve();
        });
        const ended = new Promise<void>((r) => response.on('close', () => r()));
        ok({
          response,
          ended,
          next: (count) =>
            new Promise((resolve, reject) => {
              const timer = setTimeout(
                () => reject(new Error(`only ${frames.length} frames`)),
                5_000,
              );
              const done = () => {
                clearTimeout(timer);
                resolve(frames.splice(0, count));
              };
              if (frames.length >= count) done();
              else waiter = { count, resolve: done };
            }),
        });
      },
    );
    req.on('error', fail);
    req.end();
  });
}

const send = (batch: unknown[]) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}`,
    },
    payload: { batch },
  });

describe('GET /api/v1/sources/{id}/live', () => {
  it('streams accepted and rejected events of the source as text/event-stream', async () => {
    const live = await watch(source.id);
    expect(live.response.statusCode).toBe(200);
    expect(live.response.headers['content-type']).toContain('text/event-stream');
    await send([
      { type: 'track', userId: 'u', event: 'Clicked', messageId: 'live-1' },
      { type: 'track', userId: 'u', messageId: 'live-2' },
    ]);
    const frames = await live.next(2);
    expect(frames).toMatchObject([
      {
        event: 'accepted',
        data: { messageId: 'live-1', duplicate: false, event: { type: 'track', event: 'Clicked' } },
      },
      { event: 'rejected', data: { messageId: 'live-2', code: 'missing_field', index: 1 } },
    ]);
    // A retry shows up as a duplicate.
    await send([{ type: 'track', userId: 'u', event: 'Clicked', messageId: 'live-1' }]);
    expect((await live.next(1))[0]).toMatchObject({
      data: { messageId: 'live-1', duplicate: true },
    });
    live.response.destroy();
    await live.ended;
  });

  it('answers 404 for an unknown source before streaming', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/sources/src_missing/live',
      headers: bearer(token),
    });
    expect(response.statusCode).toBe(404);
  });

  it('keeps collecting after a viewer disconnects, and ends open streams on shutdown', async () => {
    const gone = await watch(source.id);
    gone.response.destroy();
    await gone.ended;
    const after = await send([{ type: 'track', userId: 'u', event: 'After', messageId: 'live-3' }]);
    expect(after.json()).toMatchObject({ accepted: 1 });

    const open = await watch(source.id);
    await send([{ type: 'track', userId: 'u', event: 'Last', messageId: 'live-4' }]);
    expect((await open.next(1))[0]).toMatchObject({ data: { messageId: 'live-4' } });
    const started = performance.now();
    await t.app.close();
    await open.ended;
    // Closing does not wait for the viewer (the grace period is 10 s in production).
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
