import type { Kysely } from 'kysely';
import type { EventRow } from '../cdp/events/event.table.js';
import type { Clock } from '../kernel/clock.js';
import type { DB } from '../storage/schema.js';
import type { Store } from '../storage/store.js';
import type { AppendOutcome, EventLog, LoggedRecord, LogRecord } from './event-log.js';

/**
 * The event log as a table in the system of record (`events`). On SQLite, appends are
 * group-committed: every append that arrives while the event loop is busy joins one
 * transaction, so one fsync acknowledges many requests. On PostgreSQL each append is its own
 * multi-row insert and the server's own group commit does the rest.
 */
export function openTableLog(store: Store, clock: Clock): EventLog {
  return store.sqlite ? sqliteLog(store, clock) : postgresLog(store.db, clock);
}

interface Waiting {
  records: LogRecord[];
  resolve: (outcome: AppendOutcome) => void;
  reject: (error: unknown) => void;
}

function sqliteLog(store: Store, clock: Clock): EventLog {
  const sqlite = store.sqlite;
  if (!sqlite) throw new Error('sqliteLog needs the embedded engine');
  const insert = sqlite.prepare(
    `insert into events (source_id, message_id, type, event, user_id, anonymous_id, timestamp, received_at, payload)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (source_id, message_id) do nothing`,
  );
  const commit = sqlite.transaction((batch: Waiting[]) =>
    batch.map(({ records }) => {
      const duplicates: string[] = [];
      let appended = 0;
      for (const r of records) {
        const result = insert.run(
          r.sourceId,
          r.messageId,
          r.type,
          r.event,
          r.userId,
          r.anonymousId,
          r.timestamp,
          r.receivedAt,
          r.payload,
        );
        if (result.changes === 1) appended++;
        else duplicates.push(r.messageId);
      }
      return { appended, duplicates };
    }),
  );

  let queue: Waiting[] = [];
  let queued = 0;
  let scheduled = false;
  const flushing = new Set<Promise<void>>();

  const listeners = new Set<() => void>();

  // The raw handle shares one connection with Kysely: the flush takes Kysely's connection lock
  // first, so it can never run inside another caller's open transaction (where a rollback
  // would take acknowledged events with it).
  const flush = async () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    queued = 0;
    try {
      const outcomes = await store.db.connection().execute(async () => commit.immediate(batch));
      batch.forEach((w, i) => {
        w.resolve(outcomes[i] as AppendOutcome);
      });
      for (const listener of listeners) listener();
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  };

  return {
    append(records) {
      if (records.length === 0) return Promise.resolve({ appended: 0, duplicates: [] });
      return new Promise((resolve, reject) => {
        queue.push({ records, resolve, reject });
        queued += records.length;
        if (!scheduled) {
          scheduled = true;
          const done = new Promise<void>((r) => setImmediate(r)).then(flush);
          flushing.add(done);
          void done.finally(() => flushing.delete(done));
        }
      });
    },
    read: (afterSeq, limit) => readAfter(store.db, afterSeq, limit),
    offset: (consumer) => readOffset(store.db, consumer),
    commitOffset: (consumer, seq) => writeOffset(store.db, clock, consumer, seq),
    pending: () => queued,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      while (flushing.size > 0) await Promise.allSettled([...flushing]);
    },
  };
}

function postgresLog(db: Kysely<DB>, clock: Clock): EventLog {
  let inFlight = 0;
  const listeners = new Set<() => void>();
  const running = new Set<Promise<unknown>>();
  return {
    async append(records) {
      if (records.length === 0) return { appended: 0, duplicates: [] };
      inFlight += records.length;
      const work = insertEvents(db, records);
      running.add(work);
      try {
        const inserted = await work;
        // A message ID repeated inside one append is a duplicate too: count by occurrences.
        const fresh = new Map<string, number>();
        for (const row of inserted) fresh.set(`${row.source_id}\u0000${row.message_id}`, 1);
        const duplicates: string[] = [];
        for (const r of records) {
          const key = `${r.sourceId}\u0000${r.messageId}`;
          if (fresh.get(key) === 1) fresh.set(key, 0);
          else duplicates.push(r.messageId);
        }
        for (const listener of listeners) listener();
        return { appended: inserted.length, duplicates };
      } finally {
        running.delete(work);
        inFlight -= records.length;
      }
    },
    read: (afterSeq, limit) => readAfter(db, afterSeq, limit),
    offset: (consumer) => readOffset(db, consumer),
    commitOffset: (consumer, seq) => writeOffset(db, clock, consumer, seq),
    pending: () => inFlight,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      await Promise.allSettled([...running]);
    },
  };
}

async function readAfter(db: Kysely<DB>, afterSeq: number, limit: number): Promise<LoggedRecord[]> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(loggedRecordFromRow);
}

/** One `events` row as a log record (the payload stays serialized). */
export function loggedRecordFromRow(row: EventRow): LoggedRecord {
  return {
    seq: row.seq,
    sourceId: row.source_id,
    messageId: row.message_id,
    type: row.type,
    event: row.event,
    userId: row.user_id,
    anonymousId: row.anonymous_id,
    timestamp: row.timestamp,
    receivedAt: row.received_at,
    payload: row.payload,
  };
}

async function readOffset(db: Kysely<DB>, consumer: string): Promise<number> {
  const row = await db
    .selectFrom('log_offsets')
    .select('position')
    .where('consumer', '=', consumer)
    .executeTakeFirst();
  return row?.position ?? 0;
}

/** Stores a consumer position; pass a transaction to commit it with the consumer's own writes. */
export async function writeOffset(
  db: Kysely<DB>,
  clock: Clock,
  consumer: string,
  seq: number,
): Promise<void> {
  const updatedAt = clock.now().toISOString();
  await db
    .insertInto('log_offsets')
    .values({ consumer, position: seq, updated_at: updatedAt })
    .onConflict((oc) => oc.column('consumer').doUpdateSet({ position: seq, updated_at: updatedAt }))
    .execute();
}

/**
 * Appends with nothing but a database handle, for producers that run where no `EventLog` is
 * wired (periodic jobs). The same table and the same `(source_id, message_id)` dedupe as the
 * log itself; consumers pick the records up on their next poll. Returns how many were new.
 */
export async function appendWithDb(db: Kysely<DB>, records: LogRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  return (await insertEvents(db, records)).length;
}

/** One multi-row insert; a message already stored (same source and messageId) is skipped. */
function insertEvents(db: Kysely<DB>, records: LogRecord[]) {
  return db
    .insertInto('events')
    .values(
      records.map((r) => ({
        source_id: r.sourceId,
        message_id: r.messageId,
        type: r.type,
        event: r.event,
        user_id: r.userId,
        anonymous_id: r.anonymousId,
        timestamp: r.timestamp,
        received_at: r.receivedAt,
        payload: r.payload,
      })),
    )
    .onConflict((oc) => oc.columns(['source_id', 'message_id']).doNothing())
    .returning(['source_id', 'message_id'])
    .execute();
}
