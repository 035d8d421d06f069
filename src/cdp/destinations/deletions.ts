/**
 * Delete messages forwarded to destinations when a person is erased: queued, signed, retried
 * and dead-lettered like any message (see `deletionPrefix` for what sets them apart).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';
import { deletionPrefix, isDeletionMessage } from './destination.js';
import { enqueue } from './destination.repository.js';

export { deletionPrefix, isDeletionMessage };

export interface NewDeletion {
  destinationId: string;
  messageId: string;
  /** The `delete` message as sent. */
  payload: Record<string, unknown>;
  createdAt: string;
}

/** Queues delete messages; one already queued (a retried erasure) is not queued twice. */
export async function enqueueDeletions(db: Kysely<DB>, rows: NewDeletion[]): Promise<void> {
  await enqueue(
    db,
    rows.map((r) => ({
      id: `dlv_${Date.now().toString(36).padStart(9, '0')}${randomUUID().replace(/-/g, '').slice(0, 16)}`,
      destination_id: r.destinationId,
      message_id: r.messageId,
      // The profile is being erased: the message is found by its ID, not by the person.
      profile_id: null,
      payload: JSON.stringify(r.payload),
      created_at: r.createdAt,
    })),
  );
}

export interface DeletionState {
  destinationId: string;
  messageId: string;
  /** `pending`, `sending`, `delivered` or `dead`; undefined when the message is gone. */
  status: string | undefined;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  updatedAt: string | null;
}

/** Where each delete message stands in the queue. */
export async function deletionStates(
  db: Kysely<DB>,
  keys: { destinationId: string; messageId: string }[],
): Promise<DeletionState[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('destination_deliveries')
    .select([
      'destination_id',
      'message_id',
      'status',
      'attempts',
      'last_status',
      'last_error',
      'updated_at',
    ])
    // Both columns, so the (destination, message) index serves the lookup.
    .where('destination_id', 'in', [...new Set(keys.map((k) => k.destinationId))])
    .where('message_id', 'in', [...new Set(keys.map((k) => k.messageId))])
    .execute();
  return keys.map((k) => {
    const row = rows.find(
      (r) => r.destination_id === k.destinationId && r.message_id === k.messageId,
    );
    return {
      ...k,
      status: row?.status,
      attempts: Number(row?.attempts ?? 0),
      lastStatus: row?.last_status ?? null,
      lastError: row?.last_error ?? null,
      updatedAt: row?.updated_at ?? null,
    };
  });
}
