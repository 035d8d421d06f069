import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  importsSettled,
  resumeUploadedImports,
  startUploadImport,
} from '../../src/cdp/collection/imports/import.jobs.js';
import { getImport, runImport } from '../../src/cdp/collection/imports/import.service.js';
import { createSource } from '../../src/cdp/sources/source.service.js';
import { systemClock } from '../../src/kernel/clock.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { openTableLog } from '../../src/log/table-log.js';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';
import { enginesUnderTest, type TestStore } from '../helpers/stores.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'triad-import-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csv(rows: number, bad: (i: number) => boolean = () => false): string {
  const lines = ['customer_id,mail,order,amount,when'];
  for (let i = 1; i <= rows; i++) {
    lines.push(
      `c-${i},User${i}@Example.com,Order Completed,${bad(i) ? 'n/a' : (i * 1.5).toFixed(2)},2024-03-0${1 + (i % 9)}T10:00:00Z`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const trackMap =
  'userId=customer_id,traits.email=mail,event=order,properties.total:number=amount,timestamp=when';

describe.each(enginesUnderTest())('imports on $name', (engine) => {
  let store: TestStore;
  let deps: Parameters<typeof runImport>[0];
  let closeLog: () => Promise<void>;

  beforeAll(async () => {
    store = await engine.open();
    const eventLog = openTableLog(store.store, systemClock);
    deps = { db: store.store.db, clock: systemClock, eventLog };
    closeLog = () => eventLog.close();
  });
  afterAll(async () => {
    await closeLog();
    await store.destroy();
  });

  async function eventsOf(sourceId: string) {
    return store.store.db
      .selectFrom('events')
      .select(['message_id', 'type', 'event', 'user_id', 'timestamp', 'payload'])
      .where('source_id', '=', sourceId)
      .orderBy('seq')
      .execute();
  }

  it('maps CSV columns to track calls, writes rejected rows with reasons, and a re-run adds nothing', async () => {
    const source = await createSource(deps, { name: `csv-${engine.name}` });
    const file = join(dir, `orders-${engine.name}.csv`);
    writeFileSync(
      file,
      csv(50, (i) => i % 10 === 0),
    );
    const errorFile = join(dir, `orders-${engine.name}.errors.jsonl`);
    const request = {
      source,
      file,
      fileName: 'orders.csv',
      format: 'csv' as const,
      type: 'track' as const,
      map: trackMap,
      errorFile,
    };
    const report = await runImport(deps, request);
    expect(report).toMatchObject({
      status: 'completed',
      rowsRead: 50,
      rowsImported: 45,
      rowsRejected: 5,
      checkpointLine: 51,
    });
    const events = await eventsOf(source.id);
    expect(events).toHaveLength(45);
    const first = events[0];
    expect(first).toMatchObject({
      type: 'track',
      event: 'Order Completed',
      user_id: 'c-1',
      timestamp: '2024-03-02T10:00:00.000Z',
    });
    expect(JSON.parse(first?.payload ?? '{}')).toMatchObject({
      traits: { email: 'user1@example.com' },
      properties: { total: 1.5 },
    });
    const errors = readFileSync(errorFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(errors.map((e) => e.line)).toEqual([11, 21, 31, 41, 51]);
    expect(errors[0]).toMatchObject({
      code: 'unmappable_row',
      reason: expect.stringContaining('not a number'),
    });

    const again = await runImport(deps, request);
    expect(again.id).toBe(report.id);
    expect(await eventsOf(source.id)).toHaveLength(45);
  });

  it('resumes an interrupted import after its checkpoint, storing every row exactly once', async () => {
    const source = await createSource(deps, { name: `resume-${engine.name}` });
    const file = join(dir, `resume-${engine.name}.csv`);
    writeFileSync(
      file,
      csv(1_000, (i) => i % 250 === 0),
    );
    const errorFile = join(dir, `resume-${engine.name}.errors.jsonl`);
    const stop = new AbortController();
    const request = {
      source,
      file,
      fileName: 'r.csv',
      format: 'csv' as const,
      type: 'track' as const,
      map: trackMap,
      errorFile,
      chunkRows: 100,
    };
    const partial = await runImport(deps, {
      ...request,
      signal: stop.signal,
      onProgress: (r) => {
        if (r.rowsRead >= 300) stop.abort();
      },
    });
    expect(partial.status).toBe('interrupted');
    expect(partial.checkpointLine).toBeGreaterThan(1);
    expect((await eventsOf(source.id)).length).toBeLessThan(1_000);
    const done = await runImport(deps, request);
    expect(done).toMatchObject({
      status: 'completed',
      rowsRead: 1_000,
      rowsImported: 996,
      rowsRejected: 4,
    });
    const events = await eventsOf(source.id);
    expect(events).toHaveLength(996);
    expect(new Set(events.map((e) => e.message_id)).size).toBe(996);
    expect(readFileSync(errorFile, 'utf8').trim().split('\n')).toHaveLength(4);
  });

  it('replays rows stored after the last checkpoint (a crash between append and checkpoint) exactly once', async () => {
    const source = await createSource(deps, { name: `crash-${engine.name}` });
    const file = join(dir, `crash-${engine.name}.csv`);
    writeFileSync(
      file,
      csv(500, (i) => i % 100 === 0),
    );
    const errorFile = join(dir, `crash-${engine.name}.errors.jsonl`);
    const request = {
      source,
      file,
      fileName: 'c.csv',
      format: 'csv' as const,
      type: 'track' as const,
      map: trackMap,
      errorFile,
      chunkRows: 100,
    };
    const first = await runImport(deps, request);
    expect(first.rowsImported).toBe(495);
    // As if the process died after its events and error lines were written but before any
    // checkpoint: the whole file is done again.
    await store.store.db
      .updateTable('imports')
      .set({
        status: 'running',
        checkpoint_line: 0,
        error_bytes: 0,
        rows_read: 0,
        rows_imported: 0,
        rows_rejected: 0,
        rows_duplicate: 0,
      })
      .where('id', '=', first.id)
      .execute();
    const again = await runImport(deps, request);
    expect(again).toMatchObject({
      status: 'completed',
      rowsRead: 500,
      rowsImported: 495,
      rowsDuplicate: 0,
      rowsRejected: 5,
    });
    expect(await eventsOf(source.id)).toHaveLength(495);
    expect(readFileSync(errorFile, 'utf8').trim().split('\n')).toHaveLength(5);
  });

  it('imports JSONL lines as Segment messages, keeping their own messageIds', async () => {
    const source = await createSource(deps, { name: `jsonl-${engine.name}` });
    const file = join(dir, `events-${engine.name}.jsonl`);
    writeFileSync(
      file,
      [
        JSON.stringify({
          type: 'identify',
          userId: 'j1',
          traits: { plan: 'pro' },
          messageId: 'own-1',
        }),
        JSON.stringify({ userId: 'j2', event: 'Signed Up' }),
        '{not json',
        '',
        JSON.stringify({ type: 'track', userId: 'j3' }),
        JSON.stringify([1, 2]),
      ].join('\n'),
    );
    const errorFile = join(dir, `events-${engine.name}.errors.jsonl`);
    const report = await runImport(deps, {
      source,
      file,
      fileName: 'e.jsonl',
      format: 'jsonl',
      type: 'track',
      errorFile,
    });
    expect(report).toMatchObject({ status: 'completed', rowsImported: 2, rowsRejected: 3 });
    const events = await eventsOf(source.id);
    expect(
      events.map((e) => [e.message_id.startsWith('imp_') ? 'derived' : e.message_id, e.type]),
    ).toEqual([
      ['own-1', 'identify'],
      ['derived', 'track'],
    ]);
    const reasons = readFileSync(errorFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(reasons.map((r) => [r.line, r.code])).toEqual([
      [3, 'unreadable_row'],
      [5, 'missing_field'],
      [6, 'unmappable_row'],
    ]);
  });

  it('continues an upload that a stop interrupted at the next start, without a re-upload', async () => {
    const source = await createSource(deps, { name: `upload-resume-${engine.name}` });
    const withLog = { ...deps, log: silentLogger };
    const stop = new AbortController();
    const rows = 30_000;
    const first = await startUploadImport(withLog, {
      sourceId: source.id,
      format: 'csv',
      type: 'track',
      map: trackMap,
      fileName: 'big.csv',
      body: Readable.from([csv(rows)]),
      signal: stop.signal,
    });
    stop.abort();
    await importsSettled(deps.eventLog);
    const interrupted = await getImport(deps, first.id);
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.rowsRead).toBeLessThan(rows);

    // The next start finds it and runs it to the end from its checkpoint.
    const resumed = await resumeUploadedImports(withLog, new AbortController().signal);
    expect(resumed).toEqual([first.id]);
    await importsSettled(deps.eventLog);
    const done = await getImport(deps, first.id);
    expect(done).toMatchObject({ status: 'completed', rowsRead: rows, rowsImported: rows });
    const stored = await eventsOf(source.id);
    expect(new Set(stored.map((e) => e.message_id)).size).toBe(rows);
    expect(stored).toHaveLength(rows);
    // Nothing is left to resume.
    expect(await resumeUploadedImports(withLog, new AbortController().signal)).toEqual([]);
  });

  it('refuses a CSV import without a type and a bad mapping before reading anything', async () => {
    const source = await createSource(deps, { name: `bad-${engine.name}` });
    const file = join(dir, 'x.csv');
    writeFileSync(file, csv(2));
    await expect(
      runImport(deps, {
        source,
        file,
        fileName: 'x',
        format: 'csv',
        errorFile: join(dir, 'x.err'),
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(
      runImport(deps, {
        source,
        file,
        fileName: 'x',
        format: 'csv',
        type: 'track',
        map: 'constructor.x=a',
        errorFile: join(dir, 'x.err'),
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

describe('POST /api/v1/imports', () => {
  let t: TestApp;
  let headers: Record<string, string>;
  let sourceId: string;

  beforeAll(async () => {
    t = await createTestApp();
    headers = bearer(await t.tokenFor('marketer'));
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: { name: 'crm export' },
    });
    sourceId = created.json().id;
  });
  afterAll(() => t.close());

  async function waitFor(id: string) {
    for (let i = 0; i < 200; i++) {
      const r = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers });
      const body = r.json();
      if (body.status !== 'running') return body;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('import did not finish');
  }

  it('streams an uploaded CSV into the source; status and errors are queryable', async () => {
    const upload = 'id,email\nu1,A@X.COM\nu2,b@x.com\n,c@x.com\n';
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/imports?sourceId=${sourceId}&type=identify&map=${encodeURIComponent('userId=id,traits.email=email')}&fileName=people.csv`,
      headers: { ...headers, 'content-type': 'text/csv' },
      payload: upload,
    });
    expect(response.statusCode).toBe(202);
    const id = response.json().id as string;
    expect(response.headers.location).toBe(`/api/v1/imports/${id}`);
    const report = await waitFor(id);
    expect(report).toMatchObject({
      status: 'completed',
      fileName: 'people.csv',
      rowsImported: 2,
      rowsRejected: 1,
    });
    const events = await t.app.inject({
      method: 'GET',
      url: `/api/v1/events?sourceId=${sourceId}&type=identify`,
      headers,
    });
    expect(
      events
        .json()
        .data.map((e: { userId: string }) => e.userId)
        .sort(),
    ).toEqual(['u1', 'u2']);
    const errors = await t.app.inject({
      method: 'GET',
      url: `/api/v1/imports/${id}/errors`,
      headers,
    });
    expect(errors.headers['content-type']).toContain('application/x-ndjson');
    expect(JSON.parse(errors.body.trim())).toMatchObject({ line: 4, code: 'missing_identity' });

    // The same bytes again are the same import: nothing is stored twice.
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/imports?sourceId=${sourceId}&type=identify&map=${encodeURIComponent('userId=id,traits.email=email')}`,
      headers: { ...headers, 'content-type': 'text/csv' },
      payload: upload,
    });
    expect(again.json()).toMatchObject({ id, status: 'completed', rowsImported: 2 });
  });

  it.each([
    ['no type for CSV', `sourceId=SRC`, 'text/csv', 'a,b\n1,2\n', 400],
    ['an unknown content type', `sourceId=SRC&type=track`, 'application/pdf', 'x', 415],
    ['an unknown source', `sourceId=src_nope&type=track`, 'text/csv', 'a\n1\n', 404],
    ['an empty upload', `sourceId=SRC&type=track`, 'text/csv', '', 400],
    [
      'a forbidden mapping target',
      `sourceId=SRC&type=track&map=__proto__.x%3Da`,
      'text/csv',
      'a\n1\n',
      400,
    ],
  ])('answers %s with a problem', async (_name, query, contentType, payload, status) => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/imports?${query.replace('SRC', sourceId)}`,
      headers: { ...headers, 'content-type': contentType },
      payload,
    });
    expect(response.statusCode).toBe(status);
    expect(problemOf(response).code).toBeTruthy();
  });
});
