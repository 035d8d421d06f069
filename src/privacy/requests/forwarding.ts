import type { Kysely } from 'kysely';
import {
  type DeletionState,
  deletionPrefix,
  deletionStates,
  enqueueDeletions,
  type NewDeletion,
} from '../../cdp/destinations/index.js';
import type { DB } from '../../storage/schema.js';
import type { Identifier, Subject } from './subject.js';

/**
 * Erasure forwarded to destinations. A destination whose settings say `forwardDeletions` and
 * that was sent the person's data gets one signed `delete` message through the delivery queue;
 * the message names only the identifiers that destination was sent (no new personal data
 * travels). Each such destination gets a receipt of its own (`destination:<id>`), pending until
 * the queue delivers the message or gives up on it.
 */

/** The receipt store of one destination's forwarded deletion. */
export const forwardingStorePrefix = 'destination:';

export const isForwardingStore = (store: string) => store.startsWith(forwardingStorePrefix);

/** A queued or sent message about the person, as erasure finds it. */
export interface SentRow {
  destination_id: string;
  status: string;
  attempts: number;
  payload: string;
}

interface ForwardingDetail {
  destinationId: string;
  destination: string;
  messageId: string | null;
  /** Fields of the delete message (never their values). */
  carries: string[];
  reason?: string;
  lastStatus?: number | null;
  lastError?: string | null;
}

/** Whether the destination may hold the message: delivered, or at least tried (a timeout may have landed). */
const reached = (row: SentRow) => row.status === 'delivered' || Number(row.attempts) > 0;

/**
 * The person's identifiers found in what was sent, matched as whole JSON strings (e-mails
 * whatever their case, as traits keep the case the person typed).
 */
export function identifiersSent(payloads: string[], subject: Subject): Identifier[] {
  const candidates: Identifier[] = [
    ...subject.identifiers,
    ...subject.profileIds.map((value) => ({ type: 'profile_id', value })),
  ];
  const lowered = payloads.map((p) => p.toLowerCase());
  return candidates.filter((id) => {
    const needle = JSON.stringify(id.value);
    return id.type === 'email'
      ? lowered.some((p) => p.includes(needle.toLowerCase()))
      : payloads.some((p) => p.includes(needle));
  });
}

/** A Segment-style `delete` message naming the given identifiers. */
export function deleteMessage(
  messageId: string,
  timestamp: string,
  sent: Identifier[],
): Record<string, unknown> {
  const userIds = sent.filter((i) => i.type === 'user_id').map((i) => i.value);
  const anonymousIds = sent.filter((i) => i.type === 'anonymous_id').map((i) => i.value);
  // Segment messages carry one user ID; any further one goes with the other external IDs.
  const external = [
    ...userIds.slice(1).map((value) => ({ type: 'user_id', value })),
    ...sent.filter((i) => i.type !== 'user_id' && i.type !== 'anonymous_id'),
  ];
  return {
    type: 'delete',
    messageId,
    timestamp,
    ...(userIds[0] !== undefined ? { userId: userIds[0] } : {}),
    ...(anonymousIds.length > 0 ? { anonymousIds } : {}),
    ...(external.length > 0
      ? {
          context: {
            externalIds: external.map((i) => ({
              id: i.value,
              type: i.type,
              collection: 'users',
              encoding: 'none',
            })),
          },
        }
      : {}),
  };
}

function carriedFields(message: Record<string, unknown>): string[] {
  const fields = ['userId', 'anonymousIds'].filter((f) => message[f] !== undefined);
  const context = message.context as { externalIds?: { type: string }[] } | undefined;
  for (const e of context?.externalIds ?? []) fields.push(`externalIds.${e.type}`);
  return [...new Set(fields)];
}

/**
 * Queues a delete message for each opted-in destination the person's data reached, and opens
 * a receipt for each, in the caller's transaction (with the erasure of the queue itself).
 * Returns the destinations that got one, and the ones that received data but take no deletions.
 */
export async function forwardDeletions(
  trx: Kysely<DB>,
  subject: Subject,
  rows: SentRow[],
  now: string,
): Promise<{ forwarded: string[]; withoutDeleteSupport: string[] }> {
  const byDestination = new Map<string, string[]>();
  for (const row of rows.filter(reached)) {
    byDestination.set(row.destination_id, [
      ...(byDestination.get(row.destination_id) ?? []),
      row.payload,
    ]);
  }
  if (byDestination.size === 0 || subject.requestId === undefined)
    return { forwarded: [], withoutDeleteSupport: [...byDestination.keys()] };
  const destinations = await trx
    .selectFrom('destinations')
    .select(['id', 'name', 'settings'])
    .where('id', 'in', [...byDestination.keys()])
    .execute();
  const messageId = `${deletionPrefix}${subject.requestId}`;
  const deletions: NewDeletion[] = [];
  const receipts: { store: string; status: string; found: number; detail: ForwardingDetail }[] = [];
  const withoutDeleteSupport: string[] = [];
  for (const [destinationId, payloads] of byDestination) {
    const destination = destinations.find((d) => d.id === destinationId);
    const settings = destination
      ? (JSON.parse(destination.settings) as Record<string, unknown>)
      : {};
    if (!destination || settings.forwardDeletions !== true) {
      withoutDeleteSupport.push(destinationId);
      continue;
    }
    const base = { destinationId, destination: destination.name };
    const sent = identifiersSent(payloads, subject);
    if (sent.length === 0) {
      receipts.push({
        store: `${forwardingStorePrefix}${destinationId}`,
        status: 'completed',
        found: payloads.length,
        detail: {
          ...base,
          messageId: null,
          carries: [],
          reason: 'nothing to forward: no identifier of the person was sent to it',
        },
      });
      continue;
    }
    const payload = deleteMessage(messageId, now, sent);
    deletions.push({ destinationId, messageId, payload, createdAt: now });
    receipts.push({
      store: `${forwardingStorePrefix}${destinationId}`,
      status: 'pending',
      found: payloads.length,
      detail: { ...base, messageId, carries: carriedFields(payload) },
    });
  }
  await enqueueDeletions(trx, deletions);
  if (receipts.length > 0) {
    await trx
      .insertInto('privacy_request_receipts')
      .values(
        receipts.map((r) => ({
          request_id: subject.requestId as string,
          store: r.store,
          status: r.status,
          found: r.found,
          affected: 0,
          detail: JSON.stringify(r.detail),
          updated_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['request_id', 'store']).doNothing())
      .execute();
  }
  return { forwarded: deletions.map((d) => d.destinationId), withoutDeleteSupport };
}

/**
 * Brings the destination receipts of these requests up to date with the delivery queue:
 * delivered is completed, dead is failed (a redriven and then delivered message turns a
 * failed receipt completed). Run whenever requests are read, so no worker needs to know
 * about privacy requests.
 */
export async function settleForwarding(db: Kysely<DB>, requestIds: string[]): Promise<void> {
  if (requestIds.length === 0) return;
  const open = await db
    .selectFrom('privacy_request_receipts')
    .select(['request_id', 'store', 'status', 'detail', 'updated_at'])
    .where('request_id', 'in', requestIds)
    .where('store', 'like', `${forwardingStorePrefix}%`)
    .where('status', 'in', ['pending', 'failed'])
    .execute();
  const tracked = open.flatMap((r) => {
    const detail = r.detail === null ? null : (JSON.parse(r.detail) as ForwardingDetail);
    return detail?.messageId ? [{ receipt: r, detail, messageId: detail.messageId }] : [];
  });
  if (tracked.length === 0) return;
  const states = await deletionStates(
    db,
    tracked.map((t) => ({ destinationId: t.detail.destinationId, messageId: t.messageId })),
  );
  for (const [i, t] of tracked.entries()) {
    const state = states[i] as DeletionState;
    const next = statusOf(state);
    if (next === 'pending' || (next === t.receipt.status && next === 'failed')) continue;
    const detail: ForwardingDetail =
      next === 'failed'
        ? {
            ...t.detail,
            lastStatus: state.lastStatus,
            lastError: state.lastError ?? 'the delete message is no longer queued',
          }
        : { ...t.detail, lastStatus: state.lastStatus };
    await db
      .updateTable('privacy_request_receipts')
      .set({
        status: next,
        affected: next === 'completed' ? 1 : 0,
        detail: JSON.stringify(detail),
        updated_at: state.updatedAt ?? t.receipt.updated_at,
      })
      .where('request_id', '=', t.receipt.request_id)
      .where('store', '=', t.receipt.store)
      .execute();
  }
}

function statusOf(state: DeletionState): 'pending' | 'completed' | 'failed' {
  if (state.status === 'delivered') return 'completed';
  if (state.status === 'dead' || state.status === undefined) return 'failed';
  return 'pending';
}
