import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPostgres } from '../../src/storage/dialect.js';
import { type AudienceHarness, audienceHarness } from '../audiences/harness.js';
import { enginesUnderTest } from '../helpers/stores.js';
import { fileRequest, scanAllTables } from './helpers.js';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver answering each path with the statuses queued for it (then 200). */
function receiver() {
  const received: Received[] = [];
  const script = new Map<string, number[]>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body });
      res.writeHead(script.get(path)?.shift() ?? 200).end();
    });
  });
  return { server, received, script };
}

type Receipt = { store: string; status: string; affected: number; detail: Record<string, unknown> };

describe.each(enginesUnderTest())('erasure forwarded to destinations ($name)', (engine) => {
  const tag = engine.name;
  const email = `forward.person.${tag}@example.org`;
  const userId = `user-forward-4821-${tag}`;
  const anonymousId = `anon-forward-93ac-${tag}`;
  const otherUserId = `user-stays-7710-${tag}`;
  const r = receiver();
  let h: AudienceHarness;
  let base = '';
  const secrets = new Map<string, string>();
  const ids: Record<'full' | 'mapped' | 'plain' | 'flaky', string> = {
    full: '',
    mapped: '',
    plain: '',
    flaky: '',
  };

  const until = async (check: () => boolean | Promise<boolean>, ms = 10_000) => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error('condition not met in time');
      await new Promise((res) => setTimeout(res, 25));
    }
  };
  const deletes = (path: string) =>
    r.received.filter((x) => x.path === path && JSON.parse(x.body).type === 'delete');
  const receipts = async (id: string) =>
    (await h.api<{ status: string; receipts: Receipt[] }>('GET', `/api/v1/privacy/requests/${id}`))
      .body;
  const receiptOf = async (id: string, destination: string) =>
    (await receipts(id)).receipts.find((x) => x.store === `destination:${destination}`);

  beforeAll(async () => {
    await new Promise<void>((res) => r.server.listen(0, '127.0.0.1', res));
    base = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}`;
    h = await audienceHarness({
      engine,
      consumer: { delivery: { baseBackoffMs: 20, maxBackoffMs: 50, pollMs: 25 } },
    });
    expect(
      (await h.api('POST', '/api/v1/destinations/egress-allowlist', { entry: '127.0.0.1/32' }))
        .status,
    ).toBe(204);
    const create = async (key: keyof typeof ids, settings: Record<string, unknown>) => {
      const res = await h.api<{ id: string; secret: string }>('POST', '/api/v1/destinations', {
        name: key,
        kind: 'events',
        url: `${base}/${key}`,
        settings: { consentPurpose: 'none', types: ['track', 'identify'], ...settings },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids[key] = res.body.id;
      secrets.set(`/${key}`, res.body.secret);
    };
    // Sent whole messages: user ID, anonymous ID, e-mail in traits.
    await create('full', { forwardDeletions: true });
    // Sent only the user ID, through a mapping.
    await create('mapped', {
      forwardDeletions: true,
      types: ['track'],
      mappings: [
        { to: 'user', from: 'userId' },
        { to: 'total', from: 'properties.total' },
      ],
    });
    // Takes no deletions.
    await create('plain', {});
    // Takes deletions, but turns the first one away.
    await create('flaky', { forwardDeletions: true, types: ['track'] });

    await h.send([
      { type: 'identify', userId, anonymousId, traits: { email: email.toUpperCase() } },
      { type: 'track', userId, event: 'Order Completed', properties: { total: 12 } },
      { type: 'track', userId: otherUserId, event: 'Order Completed', properties: { total: 3 } },
    ]);
    await h.drain();
    await until(
      () =>
        r.received.filter((x) => x.path === '/full').length === 3 &&
        r.received.filter((x) => x.path === '/mapped').length === 2 &&
        r.received.filter((x) => x.path === '/plain').length === 3 &&
        r.received.filter((x) => x.path === '/flaky').length === 2,
    );
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await new Promise((res) => r.server.close(res));
  });

  let requestId = '';

  it('erasure queues a signed delete for each opted-in destination the person reached', async () => {
    r.script.set('/flaky', [410]);
    const done = await fileRequest(h.t, 'erase', { type: 'email', value: email });
    requestId = done.id;
    expect(done.status).toBe('completed');
    const queue = done.receipts.find((x) => x.store === 'destinations');
    expect(queue?.detail).toMatchObject({ destinationsWithoutDeleteSupport: [ids.plain] });
    expect(
      [
        ...((queue?.detail as { forwardedDeletions?: string[] } | undefined)?.forwardedDeletions ??
          []),
      ].sort(),
    ).toEqual([ids.full, ids.mapped, ids.flaky].sort());
    // One receipt per forwarding destination, right after the queue's own.
    const stores = done.receipts.map((x) => x.store);
    const at = stores.indexOf('destinations');
    expect(stores.slice(at + 1, at + 4).sort()).toEqual(
      [ids.full, ids.mapped, ids.flaky].map((id) => `destination:${id}`).sort(),
    );
    expect(stores).not.toContain(`destination:${ids.plain}`);

    await until(() => deletes('/full').length === 1 && deletes('/mapped').length === 1);
    for (const path of ['/full', '/mapped']) {
      const [message] = deletes(path);
      if (!message) throw new Error(`no delete at ${path}`);
      const ts = String(message.headers['x-triad-timestamp']);
      const signature = createHmac('sha256', secrets.get(path) ?? '')
        .update(`${ts}.${message.body}`)
        .digest('hex');
      expect(message.headers['x-triad-signature']).toBe(`v1=${signature}`);
      expect(message.headers['idempotency-key']).toBe(`delete-${requestId}`);
      expect(message.body).not.toContain(otherUserId);
    }
    const full = JSON.parse(deletes('/full')[0]?.body ?? '{}');
    expect(full).toMatchObject({
      type: 'delete',
      messageId: `delete-${requestId}`,
      userId,
      anonymousIds: [anonymousId],
    });
    expect(full.context.externalIds).toEqual([
      { id: email, type: 'email', collection: 'users', encoding: 'none' },
    ]);
    expect(typeof full.timestamp).toBe('string');
    // The mapped destination was only ever sent the user ID: that is all its delete names.
    const mapped = JSON.parse(deletes('/mapped')[0]?.body ?? '{}');
    expect(mapped).toEqual({
      type: 'delete',
      messageId: `delete-${requestId}`,
      timestamp: expect.any(String),
      userId,
    });
    expect(deletes('/plain')).toEqual([]);

    await until(async () => (await receiptOf(requestId, ids.full))?.status === 'completed');
    await until(async () => (await receiptOf(requestId, ids.mapped))?.status === 'completed');
    expect(await receiptOf(requestId, ids.mapped)).toMatchObject({
      affected: 1,
      detail: { destinationId: ids.mapped, carries: ['userId'], lastStatus: 200 },
    });
  });

  it('a delete the destination turns away fails its receipt and keeps it for a redrive', async () => {
    await until(async () => (await receiptOf(requestId, ids.flaky))?.status === 'failed');
    expect(await receiptOf(requestId, ids.flaky)).toMatchObject({
      affected: 0,
      detail: { lastStatus: 410 },
    });
    // The list counts it too.
    const list = await h.api<{ data: { id: string; receipts: { failed: number } }[] }>(
      'GET',
      '/api/v1/privacy/requests?type=erase',
    );
    expect(list.body.data.find((x) => x.id === requestId)?.receipts.failed).toBe(1);
    // Only the dead letter still names the person, so that it can be sent again.
    const pg = isPostgres(h.t.testStore.store.db as never);
    const hits = await scanAllTables(h.t.testStore.store.db, pg, [email, userId, anonymousId]);
    expect(hits.length).toBeGreaterThan(0);
    expect(new Set(hits.map((x) => x.split(' ')[0]))).toEqual(
      new Set(['destination_deliveries.payload']),
    );
    const redriven = await h.api<{ redriven: number }>(
      'POST',
      `/api/v1/destinations/${ids.flaky}/redrive`,
      {},
    );
    expect(redriven.body.redriven).toBe(1);
    await until(async () => (await receiptOf(requestId, ids.flaky))?.status === 'completed');
    expect(deletes('/flaky')).toHaveLength(2);
  });

  it('delivered deletes keep no identifier: no table names the person afterwards', async () => {
    const pg = isPostgres(h.t.testStore.store.db as never);
    expect(await scanAllTables(h.t.testStore.store.db, pg, [email, userId, anonymousId])).toEqual(
      [],
    );
    const log = await h.api<{ data: { messageId: string; payload: Record<string, unknown> }[] }>(
      'GET',
      `/api/v1/destinations/${ids.full}/deliveries?status=delivered`,
    );
    expect(log.body.data.find((d) => d.messageId === `delete-${requestId}`)?.payload).toEqual({
      type: 'delete',
      messageId: `delete-${requestId}`,
      purged: true,
    });
    // The other person's messages are still in the log.
    expect(JSON.stringify(log.body.data)).toContain(otherUserId);
  });
});
