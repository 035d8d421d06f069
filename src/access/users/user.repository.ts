import type { Insertable, Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type { SessionTable, UserTable } from './user.table.js';

export function insertUser(db: Kysely<DB>, row: Insertable<UserTable>) {
  return db.insertInto('users').values(row).execute();
}

export function findUserByEmail(db: Kysely<DB>, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export function findUserById(db: Kysely<DB>, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listUsers(db: Kysely<DB>, opts: { after?: string; limit: number }) {
  let query = db
    .selectFrom('users')
    .selectAll()
    .orderBy('id')
    .limit(opts.limit + 1);
  if (opts.after) query = query.where('id', '>', opts.after);
  return query.execute();
}

export function insertSession(db: Kysely<DB>, row: Insertable<SessionTable>) {
  return db.insertInto('sessions').values(row).execute();
}

/** The session and its user in one read: every cookie-authenticated request makes it. */
export function findActiveSession(db: Kysely<DB>, tokenHash: string, now: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id as session_id', 'users.id as user_id', 'users.email', 'users.role'])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', now)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
}

export function deleteSession(db: Kysely<DB>, id: string) {
  return db.deleteFrom('sessions').where('id', '=', id).execute();
}

export function deleteExpiredSessions(db: Kysely<DB>, now: string) {
  return db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}
