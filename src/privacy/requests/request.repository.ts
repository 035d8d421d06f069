import type { Kysely } from 'kysely';
import { iso } from '../../kernel/clock.js';
import { AppError } from '../../kernel/errors.js';
import { decodeCursor, type Page, toPage } from '../../kernel/pagination.js';
import type { DB } from '../../storage/schema.js';
import { isForwardingStore, settleForwarding } from './forwarding.js';
import type { PrivacyDeps } from './participant.js';
import { storesFor } from './participants.js';
import type {
  PrivacyRequestSummary,
  PrivacyRequestView,
  Receipt,
  RequestStatus,
  RequestType,
} from './request.js';

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
  await settleForwarding(db, [id]);
  const receipts = await db
    .selectFrom('privacy_request_receipts')
    .selectAll()
    .where('request_id', '=', id)
    .execute();
  receipts.sort(receiptOrder(row.type as RequestType));
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

/**
 * Receipts in the order their stores run; a destination's forwarded deletion sits right after
 * the delivery queue it came from.
 */
function receiptOrder(type: RequestType) {
  const order = storesFor(type);
  const rank = (store: string) =>
    isForwardingStore(store) ? order.indexOf('destinations') + 0.5 : order.indexOf(store);
  return (a: { store: string }, b: { store: string }) =>
    rank(a.store) - rank(b.store) || a.store.localeCompare(b.store);
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

export interface RequestListQuery {
  status?: RequestStatus | undefined;
  type?: RequestType | undefined;
  limit: number;
  cursor?: string | undefined;
}

/**
 * Requests newest first, keyset-paged on (created_at, id), with how many of each request's
 * receipts stand where. The identifier is never listed, only its type.
 */
export async function listPrivacyRequests(
  db: Kysely<DB>,
  q: RequestListQuery,
): Promise<Page<PrivacyRequestSummary>> {
  let query = db
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
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.type) query = query.where('type', '=', q.type);
  if (q.cursor !== undefined) {
    const after = decodeCursor(q.cursor, ['createdAt', 'id'] as const);
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
      ]),
    );
  }
  const rows = await query.execute();
  const ids = rows.slice(0, q.limit).map((r) => r.id);
  await settleForwarding(db, ids);
  const counts =
    ids.length === 0
      ? []
      : await db
          .selectFrom('privacy_request_receipts')
          .select(['request_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
          .where('request_id', 'in', ids)
          .groupBy(['request_id', 'status'])
          .execute();
  return toPage(
    rows,
    q.limit,
    (r) => {
      const receipts = { pending: 0, completed: 0, failed: 0 };
      for (const c of counts.filter((c) => c.request_id === r.id)) {
        if (c.status in receipts) receipts[c.status as keyof typeof receipts] += Number(c.n);
      }
      return {
        id: r.id,
        type: r.type as RequestType,
        identityType: r.identity_type,
        status: r.status as RequestStatus,
        attempts: Number(r.attempts),
        error: r.error,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        completedAt: r.completed_at,
        receipts,
      };
    },
    (r) => ({ createdAt: r.created_at, id: r.id }),
  );
}
