import {
  type IdentityOptions,
  identityConsumer,
} from '../../src/cdp/identity/graph/identity.service.js';
import { manualClock } from '../../src/kernel/clock.js';
import type { EventLog, LogRecord } from '../../src/log/event-log.js';
import { openTableLog } from '../../src/log/table-log.js';
import type { Store } from '../../src/storage/store.js';

export interface EventSpec {
  type?: 'track' | 'identify' | 'page';
  userId?: string;
  anonymousId?: string;
  email?: string;
  deviceId?: string;
  traits?: Record<string, unknown>;
  at?: string;
}

let counter = 0;

/** Turns short event descriptions into log records shaped like collected events. */
export function toRecord(spec: EventSpec, i: number): LogRecord {
  const messageId = `m-${++counter}-${i}`;
  const timestamp = spec.at ?? new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
  const type = spec.type ?? (spec.email || spec.traits ? 'identify' : 'track');
  const traits = { ...(spec.traits ?? {}), ...(spec.email ? { email: spec.email } : {}) };
  const payload = {
    type,
    messageId,
    userId: spec.userId ?? null,
    anonymousId: spec.anonymousId ?? null,
    event: type === 'track' ? 'Clicked' : null,
    traits: type === 'identify' ? traits : {},
    context: spec.deviceId ? { device: { id: spec.deviceId } } : {},
    timestamp,
  };
  return {
    sourceId: 'src_test',
    messageId,
    type,
    event: payload.event,
    userId: payload.userId,
    anonymousId: payload.anonymousId,
    timestamp,
    receivedAt: timestamp,
    payload: JSON.stringify(payload),
  };
}

/** A store with the identity consumer: append events, then process what is new. */
export function graphWorld(store: Store, opts: IdentityOptions = {}) {
  const clock = manualClock('2026-02-01T00:00:00.000Z');
  const log: EventLog = openTableLog(store, clock);
  const consumer = identityConsumer({ db: store.db, clock }, opts);
  let position = 0;
  let index = 0;
  return {
    log,
    clock,
    async send(...specs: EventSpec[]) {
      await log.append(specs.map((s) => toRecord(s, index++)));
    },
    async appendRecords(records: LogRecord[]) {
      await log.append(records);
    },
    async process(batchSize = 1000) {
      for (;;) {
        const records = await log.read(position, batchSize);
        if (records.length === 0) return;
        await consumer.process(records);
        position = records.at(-1)?.seq ?? position;
      }
    },
    async profileOf(type: string, value: string) {
      const row = await store.db
        .selectFrom('identity_identifiers')
        .select('profile_id')
        .where('type', '=', type)
        .where('value', '=', value)
        .executeTakeFirst();
      return row?.profile_id;
    },
    /** Profiles as sets of identifiers, sorted: comparable across stores. */
    async partition() {
      const rows = await store.db
        .selectFrom('identity_identifiers')
        .select(['type', 'value', 'profile_id'])
        .execute();
      const events = await store.db
        .selectFrom('identity_profile_events')
        .select(['seq', 'profile_id'])
        .execute();
      const groups = new Map<string, string[]>();
      for (const r of rows)
        groups.set(r.profile_id, [...(groups.get(r.profile_id) ?? []), `${r.type}:${r.value}`]);
      for (const e of events)
        groups.set(e.profile_id, [...(groups.get(e.profile_id) ?? []), `#${e.seq}`]);
      return [...groups.values()].map((g) => g.sort().join(' ')).sort();
    },
  };
}
