import type { Insertable, Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type { ApiTokenTable } from './token.table.js';

export function insertToken(db: Kysely<DB>, row: Insertable<ApiTokenTable>) {
  return db.insertInto('api_tokens').values(row).execute();
}

export function findActiveTokenByHash(db: Kysely<DB>, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export function findTokenById(db: Kysely<DB>, id: string) {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findActiveBootstrapTokens(db: Kysely<DB>) {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('kind', '=', 'bootstrap')
    .where('revoked_at', 'is', null)
    .execute();
}

export function listTokens(
  db: Kysely<DB>,
  opts: { after?: string; limit: number; includeRevoked: boolean },
) {
  let query = db
    .selectFrom('api_tokens')
    .selectAll()
    .orderBy('id')
    .limit(opts.limit + 1);
  if (opts.after) query = query.where('id', '>', opts.after);
  if (!opts.includeRevoked) query = query.where('revoked_at', 'is', null);
  return query.execute();
}

export function revokeToken(db: Kysely<DB>, id: string, at: string) {
  return db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export function touchToken(db: Kysely<DB>, id: string, at: string) {
  return db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}
