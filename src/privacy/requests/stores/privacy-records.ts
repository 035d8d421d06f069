import type { Kysely } from 'kysely';
import { iso } from '../../../kernel/clock.js';
import type { DB } from '../../../storage/schema.js';
import { digestOf, identifierSalt } from '../digest.js';
import { affectedOf, type Participant } from '../participant.js';
import type { Subject } from '../subject.js';

async function digests(db: Kysely<DB>, subject: Subject, now: string): Promise<string[]> {
  const salt = await identifierSalt(db, now);
  return [...new Set(subject.identifiers.map((id) => digestOf(salt, id.value)))];
}

/**
 * Earlier privacy requests about the person: an access request keeps its document (everything
 * about them) and every request keeps the identifier it named until it completes.
 */
export const privacyRecordsParticipant: Participant = {
  store: 'privacy_requests',
  async find(db, subject) {
    const found = await digests(db, subject, new Date(0).toISOString());
    if (found.length === 0) return 0;
    const row = await db
      .selectFrom('privacy_requests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('identity_digest', 'in', found)
      .where((eb) => eb.or([eb('document', 'is not', null), eb('identity_value', 'is not', null)]))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  },
  async access(deps, subject) {
    const found = await digests(deps.db, subject, iso(deps.clock.now()));
    if (found.length === 0) return [];
    const rows = await deps.db
      .selectFrom('privacy_requests')
      .select(['id', 'type', 'status', 'created_at', 'completed_at'])
      .where('identity_digest', 'in', found)
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      status: r.status,
      createdAt: r.created_at,
      completedAt: r.completed_at,
    }));
  },
  async erase(deps, subject) {
    const found = await digests(deps.db, subject, iso(deps.clock.now()));
    if (found.length === 0) return { affected: 0 };
    const result = await deps.db
      .updateTable('privacy_requests')
      .set({ document: null, identity_value: null })
      .where('identity_digest', 'in', found)
      .where('id', '!=', subject.requestId ?? '')
      .where((eb) => eb.or([eb('document', 'is not', null), eb('identity_value', 'is not', null)]))
      .executeTakeFirst();
    return { affected: affectedOf(result) };
  },
};
