import type { Kysely } from 'kysely';
import { iso } from '../../kernel/clock.js';
import { AppError } from '../../kernel/errors.js';
import type { DB } from '../../storage/schema.js';
import type { PrivacyDeps } from './participant.js';
import { storesFor } from './participants.js';
import type { PrivacyRequestView, Receipt, RequestType } from './request.js';

/** After this many failed attempts a request stays failed until someone looks at it. */
export const maxAttempts = 5;
/** A `running` request untouched this long was abandoned by a crashed process. */
export const staleRunningMs = 60_000;

/** Marks a request running if it may run now; the row, or undefined when someone else has it. */
export async function claim(db: Kysely<DB>, id: string, now: Date) {
  const stale = iso(new Date(now.getTime() - staleRunningMs));
  const result = await db
    .updateTable('privacy_requests')
    .set((eb) => ({ status: 'running', attempts: eb('attempts', '+', 1), updated_at: iso(now) }))
    .where('id', '=', id)
    .where('attempts', '<', maxAttempts)
    .where((eb) =>
      eb.or([
        eb('status', 'in', ['pending', 'failed']),
        eb.and([eb('status', '=', 'running'), eb('updated_at', '<', stale)]),
      ]),
    )
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return undefined;
  return db
    .selectFrom('privacy_requests')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Records what one store did. */
export async function writeReceipt(
  deps: PrivacyDeps,
  requestId: string,
  store: string,
  status: Receipt['status'],
  outcome: Omit<Receipt, 'store' | 'status' | 'updatedAt'>,
): Promise<void> {
  await deps.db
    .updateTable('privacy_request_receipts')
    .set({
      status,
      found: outcome.found,
      affected: outcome.affected,
      detail: outcome.detail === null ? null : JSON.stringify(outcome.detail),
      updated_at: iso(deps.clock.now()),
    })
    .where('request_id', '=', requestId)
    .where('store', '=', store)
    .execute();
}

export async function getPrivacyRequest(db: Kysely<DB>, id: string): Promise<PrivacyRequestView> {
  const row = await db
    .selectFrom('privacy_requests')
    .select([
      'id',
      'type',
      'identity_type',
      'status',
      'attempts',
      'error',
      'created_at',
      'updated_at',
      'completed_at',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `Privacy request ${id} was not found`);
  const receipts = await db
    .selectFrom('privacy_request_receipts')
    .selectAll()
    .where('request_id', '=', id)
    .execute();
  const order = storesFor(row.type as RequestType);
  receipts.sort((a, b) => order.indexOf(a.store) - order.indexOf(b.store));
  return {
    id: row.id,
    type: row.type as RequestType,
    identityType: row.identity_type,
    status: row.status as PrivacyRequestView['status'],
    attempts: Number(row.attempts),
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
    receipts: receipts.map((r) => ({
      store: r.store,
      status: r.status as Receipt['status'],
      found: Number(r.found),
      affected: Number(r.affected),
      detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
      updatedAt: r.updated_at,
    })),
  };
}

/** The access document of a completed access request. */
export async function accessDocument(db: Kysely<DB>, id: string): Promise<unknown> {
  const row = await db
    .selectFrom('privacy_requests')
    .select(['type', 'status', 'document'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `Privacy request ${id} was not found`);
  if (row.type !== 'access') {
    throw new AppError(
      'conflict',
      `Privacy request ${id} is a ${row.type} request: it has no document`,
    );
  }
  if (row.status !== 'completed' || row.document === null) {
    throw new AppError(
      'conflict',
      `Privacy request ${id} is ${row.status}: its document is not ready`,
    );
  }
  return JSON.parse(row.document);
}

/** Requests to (re)run: never started, failed with attempts left, or abandoned mid-run. */
export async function dueRequestIds(db: Kysely<DB>, now: Date, limit = 20): Promise<string[]> {
  const stale = iso(new Date(now.getTime() - staleRunningMs));
  const rows = await db
    .selectFrom('privacy_requests')
    .select('id')
    .where('attempts', '<', maxAttempts)
    .where((eb) =>
      eb.or([
        eb('status', 'in', ['pending', 'failed']),
        eb.and([eb('status', '=', 'running'), eb('updated_at', '<', stale)]),
      ]),
    )
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
