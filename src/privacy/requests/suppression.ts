import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';
import { digestOf, identifierSalt } from './digest.js';

/**
 * Suppressed identifiers, in memory, for the ingestion pipeline (which is hot and synchronous).
 * Keyed by salt: a process normally serves one database, but tests open several, and digests
 * are only comparable under the salt they were made with.
 */
const lists = new Map<string, Set<string>>();

/** Loads (or reloads) every suppression of a database into memory. */
export async function loadSuppressions(db: Kysely<DB>, now: string): Promise<number> {
  const salt = await identifierSalt(db, now);
  const rows = await db.selectFrom('privacy_suppressions').select('digest').execute();
  lists.set(salt, new Set(rows.map((r) => r.digest)));
  return rows.length;
}

/** Records suppressions (idempotent) and makes them effective in this process at once. */
export async function suppressIdentifiers(
  db: Kysely<DB>,
  now: string,
  requestId: string,
  identifiers: { type: string; value: string }[],
): Promise<number> {
  const salt = await identifierSalt(db, now);
  const rows = identifiers.map((id) => ({
    digest: digestOf(salt, id.value),
    identity_type: id.type,
    request_id: requestId,
    created_at: now,
  }));
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('privacy_suppressions')
      .values(rows.slice(i, i + 200))
      .onConflict((oc) => oc.column('digest').doNothing())
      .execute();
  }
  let list = lists.get(salt);
  if (!list) {
    list = new Set();
    lists.set(salt, list);
  }
  for (const row of rows) list.add(row.digest);
  return rows.length;
}

/** Whether any of these identifier values is suppressed. Free when nothing is suppressed. */
export function isSuppressed(values: readonly string[]): boolean {
  if (values.length === 0) return false;
  for (const [salt, digests] of lists) {
    if (digests.size === 0) continue;
    for (const value of values) {
      if (digests.has(digestOf(salt, value))) return true;
    }
  }
  return false;
}

/** Whether anything is suppressed at all in this process (the pipeline's fast path). */
export function hasSuppressions(): boolean {
  for (const digests of lists.values()) if (digests.size > 0) return true;
  return false;
}

/** The rejection code the pipeline's suppression step drops events with. */
export const suppressedRejectionCode = 'suppressed_identity';

/**
 * Collection keeps every rejected input raw in `rejected_events`, including the events the
 * suppression step dropped, which carry the erased identifier in clear. Until collection stops
 * storing those, this sweep (run with the suppression refresh) deletes them.
 */
export async function purgeSuppressedRejections(db: Kysely<DB>): Promise<number> {
  const result = await db
    .deleteFrom('rejected_events')
    .where('code', '=', suppressedRejectionCode)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
