import type { Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';
import type { DB } from '../../storage/schema.js';
import {
  type DestinationConfig,
  type DestinationSettings,
  defaultSettings,
  isDeletionMessage,
  purgedDeletionPayload,
} from './destination.js';
import type { DeliveryRow, DestinationRow } from './destination.tables.js';

type Db = Kysely<DB>;

export function configOf(row: DestinationRow): DestinationConfig {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind === 'audiences' ? 'audiences' : 'events',
    url: row.url,
    secret: row.secret,
    settings: { ...defaultSettings, ...(JSON.parse(row.settings) as Partial<DestinationSettings>) },
  };
}

export async function enabledDestinations(db: Db): Promise<DestinationConfig[]> {
  const rows = await db.selectFrom('destinations').selectAll().where('enabled', '=', 1).execute();
  return rows.map(configOf);
}

export function destinationById(db: Db, id: string) {
  return db.selectFrom('destinations').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface NewDelivery {
  id: string;
  destination_id: string;
  message_id: string;
  profile_id: string | null;
  payload: string;
  created_at: string;
}

/** Enqueues messages; a message already queued for a destination (a replay) is skipped. */
export async function enqueue(db: Db, rows: NewDelivery[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('destination_deliveries')
      .values(
        rows.slice(i, i + 200).map((r) => ({
          ...r,
          status: 'pending',
          attempts: 0,
          next_attempt_at: r.created_at,
          last_status: null,
          last_error: null,
          updated_at: r.created_at,
          delivered_at: null,
        })),
      )
      .onConflict((oc) => oc.columns(['destination_id', 'message_id']).doNothing())
      .execute();
  }
}

/**
 * Claims due messages with a lease: they stay `sending` until `leaseUntil`, after which a
 * crashed sender's messages are due again (at-least-once). On PostgreSQL concurrent workers
 * skip each other's claims.
 */
export async function claimDue(
  db: Db,
  nowIso: string,
  leaseUntil: string,
  limit: number,
): Promise<DeliveryRow[]> {
  return db.transaction().execute(async (trx) => {
    let query = trx
      .selectFrom('destination_deliveries')
      .selectAll()
      .where('status', 'in', ['pending', 'sending'])
      .where('next_attempt_at', '<=', nowIso)
      .orderBy('next_attempt_at')
      .limit(limit);
    if (trx.getExecutor().adapter instanceof PostgresAdapter)
      query = query.forUpdate().skipLocked();
    const rows = await query.execute();
    if (rows.length === 0) return rows;
    await trx
      .updateTable('destination_deliveries')
      .set({ status: 'sending', next_attempt_at: leaseUntil })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows;
  });
}

export async function recordAttempt(
  db: Db,
  delivery: DeliveryRow,
  outcome: {
    at: string;
    status: number | null;
    error: string | null;
    latencyMs: number;
    next: { status: 'delivered' | 'pending' | 'dead'; nextAttemptAt: string };
  },
): Promise<void> {
  const attempt = delivery.attempts + 1;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('destination_attempts')
      .values({
        delivery_id: delivery.id,
        attempt,
        at: outcome.at,
        status_code: outcome.status,
        latency_ms: outcome.latencyMs,
        error: outcome.error,
      })
      .execute();
    await trx
      .updateTable('destination_deliveries')
      .set({
        status: outcome.next.status,
        attempts: attempt,
        next_attempt_at: outcome.next.nextAttemptAt,
        last_status: outcome.status,
        last_error: outcome.error,
        updated_at: outcome.at,
        delivered_at: outcome.next.status === 'delivered' ? outcome.at : null,
        // A delivered delete message has done its job: its identifiers leave the log with it.
        ...(outcome.next.status === 'delivered' && isDeletionMessage(delivery.message_id)
          ? { payload: purgedDeletionPayload(delivery.message_id) }
          : {}),
      })
      .where('id', '=', delivery.id)
      .execute();
  });
}

/** Puts a claimed message back without counting an attempt (rate limit reached). */
export async function release(db: Db, id: string, nextAttemptAt: string): Promise<void> {
  await db
    .updateTable('destination_deliveries')
    .set({ status: 'pending', next_attempt_at: nextAttemptAt })
    .where('id', '=', id)
    .execute();
}

export async function nextDue(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('destination_deliveries')
    .select((eb) => eb.fn.min('next_attempt_at').as('next'))
    .where('status', 'in', ['pending', 'sending'])
    .executeTakeFirst();
  return row?.next ?? null;
}

export async function allowEntries(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('destination_egress_allowlist').select('entry').execute();
  return rows.map((r) => r.entry);
}

/** A destination's messages, newest first, keyset-paged on id. */
export function deliveries(
  db: Db,
  destinationId: string,
  opts: { status?: string | undefined; before?: string | undefined; limit: number },
) {
  let query = db
    .selectFrom('destination_deliveries')
    .selectAll()
    .where('destination_id', '=', destinationId)
    .orderBy('id', 'desc')
    .limit(opts.limit + 1);
  if (opts.status) query = query.where('status', '=', opts.status);
  if (opts.before) query = query.where('id', '<', opts.before);
  return query.execute();
}

export function attemptsOf(db: Db, deliveryIds: string[]) {
  if (deliveryIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('destination_attempts')
    .selectAll()
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('id')
    .execute();
}

/** Sends dead messages again from a fresh attempt count (all, or the ones named). */
export async function redrive(
  db: Db,
  destinationId: string,
  ids: string[] | undefined,
  nowIso: string,
): Promise<number> {
  let query = db
    .updateTable('destination_deliveries')
    .set({ status: 'pending', attempts: 0, next_attempt_at: nowIso, updated_at: nowIso })
    .where('destination_id', '=', destinationId)
    .where('status', '=', 'dead');
  if (ids) query = query.where('id', 'in', ids.length > 0 ? ids : ['']);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
