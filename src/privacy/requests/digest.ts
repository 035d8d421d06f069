import { hash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';

const saltKey = 'identifier_salt';

/**
 * The secret salt of identifier digests, created on first use. A random per-database secret
 * (rather than a plain hash) keeps an erased e-mail from being recovered by hashing a list of
 * candidate addresses.
 */
export async function identifierSalt(db: Kysely<DB>, now: string): Promise<string> {
  const existing = await readSalt(db);
  if (existing) return existing;
  await db
    .insertInto('privacy_settings')
    .values({ key: saltKey, value: randomBytes(32).toString('base64url'), updated_at: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  // A concurrent first use may have won the insert: its salt is the one that counts.
  const salt = await readSalt(db);
  if (!salt) throw new Error('the identifier salt could not be stored');
  return salt;
}

async function readSalt(db: Kysely<DB>): Promise<string | undefined> {
  const row = await db
    .selectFrom('privacy_settings')
    .select('value')
    .where('key', '=', saltKey)
    .executeTakeFirst();
  return row?.value;
}

/**
 * The digest of an identifier value: SHA-256 over the secret salt and the value. The salt is
 * fixed-length and secret, so this keys the digest as well as an HMAC would for equality checks,
 * and the one-shot `hash` costs a quarter of an HMAC on the ingestion hot path. The type is left
 * out on purpose: the same address may arrive as an `email` trait or as a `userId`, and both
 * must match one suppression.
 */
export function digestOf(salt: string, value: string): string {
  return hash('sha256', `${salt}${normalizeIdentifier(value)}`, 'base64url');
}

/** Identifier values are compared trimmed and lower-cased (e-mails, hex IDs, UUIDs). */
export function normalizeIdentifier(value: string): string {
  return value.trim().toLowerCase();
}
