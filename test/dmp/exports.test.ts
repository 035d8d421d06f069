import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dmpExportJobs } from '../../src/dmp/exports/export.jobs.js';
import { pushDestination } from '../../src/dmp/exports/push.service.js';
import { addDmpListMembers, ensureDmpList, forgetIds } from '../../src/dmp/index.js';
import { manualClock } from '../../src/kernel/clock.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { problemOf } from '../helpers/app.js';
import { enginesUnderTest } from '../helpers/stores.js';
import { DAY_MS, type DmpTestApp, dmpApp, dmpCookie } from './helpers.js';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A push endpoint on loopback: answers with the queued statuses, then 200. */
function receiver() {
  const received: Received[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  return { server, received, statuses };
}

type Line = { idType: string; id: string; segment: string; action: string };
type Outcome = { key: string; outcome: string; added: number; removed: number; reason?: string };

describe.each(enginesUnderTest())('DMP export destinations on $name', (engine) => {
  let t: DmpTestApp;
  const clock = manualClock('2026-03-01T00:00:00Z');
  const r = receiver();
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((res) => r.server.listen(0, '127.0.0.1', res));
    base = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((res) => r.server.close(res)));
  afterEach(() => t.close());

  const open = async (minSegmentSize = 3) => {
    clock.set('2026-03-01T00:00:00Z');
    t = await dmpApp({ testStore: await engine.open(), clock, dmp: { minSegmentSize } });
  };
  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
  ) =>
    t.app.inject({
      method,
      url,
      headers: t.advertiser,
      ...(payload === undefined ? {} : { payload }),
    });
  const created = async (url: string, payload: object) => {
    const res = await call('POST', url, payload);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const destination = (body: Record<string, unknown>) =>
    created('/api/v1/dmp/destinations', { name: 'dest', kind: 'batch', idType: 'dmp_id', ...body });
  const map = (dest: string, segmentId: string, key: string) =>
    created(`/api/v1/dmp/destinations/${dest}/mappings`, { segmentId, key });
  const exportRun = async (dest: string, mode: 'full' | 'delta') => {
    const run = await created(`/api/v1/dmp/destinations/${dest}/exports`, { mode });
    const file = await call('GET', `/api/v1/dmp/destinations/${dest}/exports/${run.id}/file`);
    expect(file.statusCode, file.body).toBe(200);
    expect(file.headers['content-type']).toContain('text/csv');
    const [header, ...rows] = file.body.trim().split('\n');
    expect(header).toBe('id_type,id,segment,action');
    const lines: Line[] = rows.map((row) => {
      const [idType = '', id = '', segment = '', action = ''] = row.split(',');
      return { idType, id, segment, action };
    });
    return { run: run as { id: string; segments: Outcome[] }, lines };
  };
  const ids = (lines: Line[], action: string, segment?: string) =>
    lines
      .filter((l) => l.action === action && (segment === undefined || l.segment === segment))
      .map((l) => l.id)
      .sort();
  const sportsTrait = (extra: Record<string, unknown> = {}) =>
    t.trait({
      name: 'sports reader',
      rule: { conditions: [{ key: 'section', op: 'eq', value: 'sports' }] },
      ...extra,
    });
  const visitors = async (n: number, query = 'section=sports') => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(dmpCookie(await t.pixel(query)) ?? '');
    return out.sort();
  };

  it('exports full files and deltas with removals when IDs leave (forget, trait expiry)', async () => {
    await open();
    const trait = await sportsTrait({ ttlDays: 1 });
    const seg = await t.segment({ name: 'sports', expression: trait });
    const dest = await destination({});
    await map(dest.id, seg, 'sports_fans');
    const first = await visitors(5);
    const full = await exportRun(dest.id, 'full');
    expect(full.lines.every((l) => l.idType === 'dmp_id' && l.segment === 'sports_fans')).toBe(
      true,
    );
    expect(ids(full.lines, 'add')).toEqual(first);
    expect(full.run.segments).toMatchObject([{ outcome: 'exported', added: 5, removed: 0 }]);

    // Nothing changed: an empty delta.
    expect((await exportRun(dest.id, 'delta')).lines).toEqual([]);

    // A day and more later: three IDs come back (their trait is renewed), one is forgotten
    // (opt-out/erasure), one lets its trait expire, and a new ID qualifies.
    clock.advance(DAY_MS * 2);
    const [gone, expired, ...kept] = first as [string, string, ...string[]];
    for (const id of kept) await t.pixel('section=sports', id);
    await forgetIds({ db: t.testStore.store.db, clock, dmp: t.runtime }, [gone]);
    await t.runtime.runRetention();
    const [newcomer] = await visitors(1);
    const delta = await exportRun(dest.id, 'delta');
    expect(ids(delta.lines, 'add')).toEqual([newcomer]);
    expect(ids(delta.lines, 'remove')).toEqual([expired, gone].sort());
    expect(delta.run.segments).toMatchObject([{ outcome: 'exported', added: 1, removed: 2 }]);
    // A full file after that carries the current members only.
    expect(ids((await exportRun(dest.id, 'full')).lines, 'add')).toEqual(
      [...kept, newcomer].sort(),
    );

    const runs = await call('GET', `/api/v1/dmp/destinations/${dest.id}/exports?limit=2`);
    expect(runs.json().data).toHaveLength(2);
    expect(runs.json().next).not.toBeNull();
    const one = await call('GET', `/api/v1/dmp/destinations/${dest.id}/exports/${delta.run.id}`);
    expect(one.json()).toMatchObject({ id: delta.run.id, mode: 'delta', lines: 3 });
  });

  it('never exports suppressed or non-activatable IDs, and removes IDs that become so', async () => {
    await open();
    const trait = await sportsTrait();
    const seg = await t.segment({ name: 'sports', expression: trait });
    const dest = await destination({});
    await map(dest.id, seg, 'sports');
    const all = await visitors(6);
    const [suppressed, dark, later, ...rest] = all as [string, string, string, ...string[]];
    const deps = { db: t.testStore.store.db, clock };
    await ensureDmpList(deps, 'crm-optouts', 'suppression');
    await addDmpListMembers(deps, 'crm-optouts', [suppressed]);
    await deps.db.updateTable('dmp_ids').set({ activatable: 0 }).where('id', '=', dark).execute();
    const full = await exportRun(dest.id, 'full');
    expect(ids(full.lines, 'add')).toEqual([later, ...rest].sort());
    // Delivered, then suppressed: the next delta takes it back.
    await addDmpListMembers(deps, 'crm-optouts', [later]);
    const delta = await exportRun(dest.id, 'delta');
    expect(delta.lines).toEqual([
      { idType: 'dmp_id', id: later, segment: 'sports', action: 'remove' },
    ]);
  });

  it('suppresses segments below the minimum size entirely', async () => {
    await open(3);
    const sports = await sportsTrait();
    const golf = await t.trait({
      name: 'golf',
      rule: { conditions: [{ key: 'section', op: 'eq', value: 'golf' }] },
    });
    const big = await t.segment({ name: 'sports', expression: sports });
    const small = await t.segment({ name: 'golf', expression: golf });
    const dest = await destination({});
    await map(dest.id, big, 'big');
    await map(dest.id, small, 'small');
    await visitors(3);
    const golfers = await visitors(2, 'section=golf');
    const full = await exportRun(dest.id, 'full');
    expect(full.lines.map((l) => l.segment)).toEqual(['big', 'big', 'big']);
    expect(full.run.segments.find((s) => s.key === 'small')).toMatchObject({
      outcome: 'suppressed',
      added: 0,
      removed: 0,
    });
    // Once it reaches the minimum, the delta brings the whole segment.
    golfers.push(...(await visitors(1, 'section=golf')));
    const delta = await exportRun(dest.id, 'delta');
    expect(ids(delta.lines, 'add', 'small')).toEqual(golfers.sort());
    // A destination may ask for more than the configured minimum, never less.
    const below = await call('POST', '/api/v1/dmp/destinations', {
      name: 'x',
      kind: 'batch',
      idType: 'dmp_id',
      minSegmentSize: 2,
    });
    expect(problemOf(below).status).toBe(400);
    const strict = await destination({ minSegmentSize: 4 });
    await map(strict.id, big, 'big');
    expect((await exportRun(strict.id, 'full')).run.segments[0]?.outcome).toBe('suppressed');
  });

  it('exports device advertising IDs and partner user IDs', async () => {
    await open(1);
    const trait = await sportsTrait();
    const seg = await t.segment({ name: 'sports', expression: trait });
    const ifa = '6d92078a-8246-4ba4-ae5b-76104861e7dc';
    const signals = await call('POST', '/dmp/v1/signals', {
      signals: [{ id: { type: 'ifa', value: ifa.toUpperCase() }, signals: { section: 'sports' } }],
    });
    expect(signals.statusCode, signals.body).toBeLessThan(300);
    const partner = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dmp/partners',
      headers: t.admin,
      payload: { id: 'acme', name: 'Acme', domains: ['acme.com'] },
    });
    expect(partner.statusCode).toBe(201);
    const [cookie = ''] = await visitors(1);
    await t.app.inject({
      method: 'GET',
      url: '/dmp/v1/sync?partner=acme&puid=acme-user-1',
      headers: { cookie: `triad_dmp_id=${cookie}` },
    });
    const devices = await destination({ idType: 'ifa' });
    await map(devices.id, seg, 's');
    expect((await exportRun(devices.id, 'full')).lines).toEqual([
      { idType: 'ifa', id: ifa, segment: 's', action: 'add' },
    ]);
    const acme = await destination({ idType: 'partner_uid', partnerId: 'acme' });
    await map(acme.id, seg, 's');
    expect((await exportRun(acme.id, 'full')).lines).toEqual([
      { idType: 'partner_uid', id: 'acme-user-1', segment: 's', action: 'add' },
    ]);
  });

  it('refuses conflicting label mappings and disables mappings new labels forbid', async () => {
    await open(1);
    const trait = await sportsTrait();
    const other = await t.trait({
      name: 'golf',
      rule: { conditions: [{ key: 'section', op: 'eq', value: 'golf' }] },
    });
    const seg = await t.segment({ name: 'sports', expression: trait });
    const labels = await call('PUT', `/api/v1/dmp/traits/${trait}/labels`, {
      labels: ['no_offsite_targeting'],
    });
    expect(labels.json()).toMatchObject({ labels: ['no_offsite_targeting'], disabledMappings: [] });
    expect((await call('GET', `/api/v1/dmp/traits/${trait}/labels`)).json().labels).toEqual([
      'no_offsite_targeting',
    ]);
    const offsite = await destination({ labels: ['offsite_targeting'] });
    const refused = await call('POST', `/api/v1/dmp/destinations/${offsite.id}/mappings`, {
      segmentId: seg,
      key: 'sports',
    });
    const problem = problemOf(refused);
    expect(problem.status).toBe(409);
    expect(problem.detail).toContain('no_offsite_targeting');
    expect(problem.detail).toContain('offsite_targeting');
    expect(problem.detail).toContain(trait);

    // Allowed on an on-site destination, until the data gets a label forbidding that.
    const onsite = await destination({ labels: ['onsite_targeting'] });
    const mapping = await map(onsite.id, seg, 'sports');
    const members = await visitors(2);
    expect(ids((await exportRun(onsite.id, 'full')).lines, 'add')).toEqual(members);
    const restricted = await call('PUT', `/api/v1/dmp/traits/${trait}/labels`, {
      labels: ['no_offsite_targeting', 'no_onsite_targeting'],
    });
    expect(restricted.json().disabledMappings).toMatchObject([
      { id: mapping.id, status: 'disabled' },
    ]);
    // What was delivered is taken back; after that the mapping sends nothing.
    const retract = await exportRun(onsite.id, 'delta');
    expect(ids(retract.lines, 'remove')).toEqual(members);
    expect(ids(retract.lines, 'add')).toEqual([]);
    expect(retract.run.segments[0]).toMatchObject({ outcome: 'retracted', removed: 2 });
    expect(retract.run.segments[0]?.reason).toContain('no_onsite_targeting');
    expect((await exportRun(onsite.id, 'delta')).run.segments[0]?.outcome).toBe('idle');
    const enable = await call(
      'PATCH',
      `/api/v1/dmp/destinations/${onsite.id}/mappings/${mapping.id}`,
      {
        enabled: true,
      },
    );
    expect(problemOf(enable).status).toBe(409);

    // A segment rule changed to use restricted data is caught at the next export.
    const golfSeg = await t.segment({ name: 'golf', expression: other });
    const golfMap = await map(onsite.id, golfSeg, 'golf');
    await call('PATCH', `/api/v1/dmp/segments/${golfSeg}`, { expression: `${other} OR ${trait}` });
    const caught = await exportRun(onsite.id, 'delta');
    expect(caught.lines.filter((l) => l.segment === 'golf')).toEqual([]);
    const after = (await call('GET', `/api/v1/dmp/destinations/${onsite.id}/mappings`)).json();
    expect(after.data.find((m: { id: string }) => m.id === golfMap.id)).toMatchObject({
      status: 'disabled',
    });

    // Destination labels changed later: same rule, the mapping is disabled at once.
    const plain = await destination({});
    const plainMap = await map(plain.id, seg, 'sports');
    const relabel = await call('PATCH', `/api/v1/dmp/destinations/${plain.id}`, {
      labels: ['offsite_targeting'],
    });
    expect(relabel.json().disabledMappings).toMatchObject([{ id: plainMap.id }]);
  });

  it('deleting a mapping or its segment takes the delivered IDs back', async () => {
    await open(1);
    const trait = await sportsTrait();
    const a = await t.segment({ name: 'a', expression: trait });
    const b = await t.segment({ name: 'b', expression: trait });
    const dest = await destination({});
    const ma = await map(dest.id, a, 'a');
    await map(dest.id, b, 'b');
    const members = await visitors(2);
    await exportRun(dest.id, 'full');
    expect(
      (await call('DELETE', `/api/v1/dmp/destinations/${dest.id}/mappings/${ma.id}`)).statusCode,
    ).toBe(204);
    expect((await call('DELETE', `/api/v1/dmp/segments/${b}`)).statusCode).toBe(204);
    const retract = await exportRun(dest.id, 'delta');
    expect(ids(retract.lines, 'remove', 'a')).toEqual(members);
    expect(ids(retract.lines, 'remove', 'b')).toEqual(members);
    expect(ids(retract.lines, 'add')).toEqual([]);
    expect((await call('GET', `/api/v1/dmp/destinations/${dest.id}/mappings`)).json().data).toEqual(
      [],
    );
  });

  it('answers bad input with problem details', async () => {
    await open(1);
    const trait = await sportsTrait();
    const seg = await t.segment({ name: 's', expression: trait });
    const dest = await destination({});
    for (const [payload, status] of [
      [{ name: 'p', kind: 'push', idType: 'dmp_id', url: 'not a url' }, 400],
      [{ name: 'p', kind: 'push', idType: 'dmp_id', url: 'ftp://example.com/x' }, 400],
      [{ name: 'p', kind: 'push', idType: 'dmp_id' }, 400],
      [{ name: 'p', kind: 'batch', idType: 'dmp_id', url: 'https://example.com' }, 400],
      [{ name: 'p', kind: 'batch', idType: 'partner_uid' }, 400],
      [{ name: 'p', kind: 'batch', idType: 'partner_uid', partnerId: 'nobody' }, 400],
      [{ name: 'p', kind: 'batch', idType: 'email' }, 400],
      [{ name: 'p', kind: 'batch', idType: 'dmp_id', labels: ['everything'] }, 400],
    ] as const) {
      const res = await call('POST', '/api/v1/dmp/destinations', payload);
      expect(problemOf(res).status, JSON.stringify(payload)).toBe(status);
    }
    const missing = [
      await call('GET', '/api/v1/dmp/destinations/dxd_nope'),
      await call('POST', '/api/v1/dmp/destinations/dxd_nope/exports', { mode: 'full' }),
      await call('POST', `/api/v1/dmp/destinations/${dest.id}/mappings`, {
        segmentId: 'seg_nope',
        key: 'k',
      }),
      await call('GET', `/api/v1/dmp/destinations/${dest.id}/exports/dxr_nope/file`),
      await call('PUT', '/api/v1/dmp/traits/trt_nope/labels', { labels: [] }),
    ];
    for (const res of missing) expect(problemOf(res).status).toBe(404);
    await map(dest.id, seg, 'k');
    const twice = await call('POST', `/api/v1/dmp/destinations/${dest.id}/mappings`, {
      segmentId: seg,
      key: 'other',
    });
    expect(problemOf(twice).status).toBe(409);
    const badKey = await call('POST', `/api/v1/dmp/destinations/${dest.id}/mappings`, {
      segmentId: seg,
      key: 'a b,c',
    });
    expect(problemOf(badKey).status).toBe(400);
    expect(problemOf(await call('POST', `/api/v1/dmp/destinations/${dest.id}/push`)).status).toBe(
      409,
    );
    const analyst = await t.app.inject({
      method: 'GET',
      url: '/api/v1/dmp/destinations',
      headers: { authorization: `Bearer ${await t.tokenFor('analyst')}` },
    });
    expect(analyst.statusCode).toBe(403);
    // Only the newest runs keep their file.
    const runs: string[] = [];
    for (let i = 0; i < 6; i++) runs.push((await exportRun(dest.id, 'delta')).run.id);
    const pruned = await call('GET', `/api/v1/dmp/destinations/${dest.id}/exports/${runs[0]}/file`);
    expect(problemOf(pruned).status).toBe(404);
  });

  it('erasure takes an ID out of files not yet fetched', async () => {
    await open(1);
    const trait = await sportsTrait();
    const seg = await t.segment({ name: 's', expression: trait });
    const dest = await destination({});
    await map(dest.id, seg, 's');
    const [erased = '', kept = ''] = await visitors(2);
    const run = await created(`/api/v1/dmp/destinations/${dest.id}/exports`, { mode: 'full' });
    await forgetIds({ db: t.testStore.store.db, clock, dmp: t.runtime }, [erased]);
    const file = await call('GET', `/api/v1/dmp/destinations/${dest.id}/exports/${run.id}/file`);
    expect(file.body).not.toContain(erased);
    expect(file.body).toContain(kept);
    // And the destination is told to drop it.
    expect(ids((await exportRun(dest.id, 'delta')).lines, 'remove')).toEqual([erased]);
  });

  it('pushes signed add/remove batches, advancing only after a 2xx', async () => {
    await open(1);
    r.received.length = 0;
    const trait = await sportsTrait();
    const seg = await t.segment({ name: 's', expression: trait });
    const dest = await destination({ kind: 'push', url: `${base}/dmp` });
    expect(dest.secret).toMatch(/^whsec_/);
    expect(
      (await call('GET', `/api/v1/dmp/destinations/${dest.id}`)).json().secret,
    ).toBeUndefined();
    await map(dest.id, seg, 'sports');
    const members = await visitors(3);
    const push = async () => {
      const res = await call('POST', `/api/v1/dmp/destinations/${dest.id}/push`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const deliveries = async () =>
      (await call('GET', `/api/v1/dmp/destinations/${dest.id}/deliveries`)).json().data;

    // Loopback is refused until an admin allow-lists it; nothing advances meanwhile.
    expect((await push()).status).toBe('failed');
    expect(r.received).toEqual([]);
    const [refused] = await deliveries();
    expect(refused).toMatchObject({ status: 'failed', attempts: 1, statusCode: null });
    expect(refused.error).toContain('egress refused');
    const backoff = (await call('GET', `/api/v1/dmp/destinations/${dest.id}`)).json();
    expect(backoff.failedAttempts).toBe(1);
    expect(backoff.nextAttemptAt).not.toBeNull();
    const allow = await t.app.inject({
      method: 'POST',
      url: '/api/v1/destinations/egress-allowlist',
      headers: t.admin,
      payload: { entry: '127.0.0.1/32' },
    });
    expect(allow.statusCode).toBe(204);

    // A 503 is recorded and retried with the same batch and idempotency key.
    r.statuses.push(503);
    expect((await push()).status).toBe('failed');
    expect((await push()).status).toBe('delivered');
    expect(r.received).toHaveLength(2);
    const [failedTry, okTry] = r.received as [Received, Received];
    expect(okTry.body).toBe(failedTry.body);
    expect(okTry.headers['idempotency-key']).toBe(failedTry.headers['idempotency-key']);
    expect(JSON.parse(okTry.body)).toEqual({ segment: 'sports', add: members, remove: [] });
    const ts = String(okTry.headers['x-triad-timestamp']);
    const expected = `v1=${createHmac('sha256', dest.secret).update(`${ts}.${okTry.body}`).digest('hex')}`;
    expect(okTry.headers['x-triad-signature']).toBe(expected);
    expect(
      (await deliveries()).map((d: { status: string; attempts: number }) => [d.status, d.attempts]),
    ).toEqual([
      ['delivered', 3],
      ['failed', 2],
      ['failed', 1],
    ]);

    // Nothing new: no request. An ID leaves: the periodic job pushes its removal.
    expect((await push()).requests).toBe(0);
    const [leaving = ''] = members;
    await forgetIds({ db: t.testStore.store.db, clock, dmp: t.runtime }, [leaving]);
    const [job] = dmpExportJobs;
    if (!job) throw new Error('no push job');
    await job.run({ db: t.testStore.store.db, clock, log: silentLogger });
    expect(JSON.parse(r.received.at(-1)?.body ?? '{}')).toEqual({
      segment: 'sports',
      add: [],
      remove: [leaving],
    });
    expect((await call('GET', `/api/v1/dmp/destinations/${dest.id}`)).json()).toMatchObject({
      failedAttempts: 0,
      nextAttemptAt: null,
    });
    // Batches are paged: a small batch size splits them, and the state follows each batch.
    const more = await visitors(3);
    const paged = await pushDestination({ db: t.testStore.store.db, clock }, dest.id, {
      batchSize: 2,
    });
    expect(paged).toMatchObject({ status: 'delivered', requests: 2 });
    const bodies = r.received.slice(-2).map((x) => JSON.parse(x.body).add);
    expect(bodies.flat().sort()).toEqual(more);
    // A refusal the receiver will repeat (400) waits the longest backoff; the job honours it.
    await visitors(1);
    r.statuses.push(400);
    expect((await push()).status).toBe('failed');
    const waiting = (await call('GET', `/api/v1/dmp/destinations/${dest.id}`)).json();
    expect(waiting.nextAttemptAt).toBe(new Date(clock.now().getTime() + 3_600_000).toISOString());
    const sentSoFar = r.received.length;
    await job.run({ db: t.testStore.store.db, clock, log: silentLogger });
    expect(r.received).toHaveLength(sentSoFar);
    // A push destination is pushed, not exported as files.
    expect(
      problemOf(await call('POST', `/api/v1/dmp/destinations/${dest.id}/exports`, { mode: 'full' }))
        .status,
    ).toBe(409);
  });
});
