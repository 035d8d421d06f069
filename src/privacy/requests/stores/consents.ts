import type { ExpressionBuilder } from 'kysely';
import type { DB } from '../../../storage/schema.js';
import { affectedOf, type Participant } from '../participant.js';
import type { Subject } from '../subject.js';

type ConsentTables = 'privacy_consents' | 'privacy_consent_history';

function ofSubject<T extends ConsentTables>(subject: Subject) {
  const ids = subject.identifiers.length > 0 ? subject.identifiers : [{ type: '', value: '' }];
  return (eb: ExpressionBuilder<DB, T>) => {
    const ref = eb as unknown as ExpressionBuilder<DB, 'privacy_consents'>;
    return ref.or(
      ids.map((id) =>
        ref.and([ref('subject_type', '=', id.type), ref('subject_value', '=', id.value)]),
      ),
    );
  };
}

/** Consent decisions and their history, keyed by the person's identifiers. */
export const consentsParticipant: Participant = {
  store: 'consents',
  async find(db, subject) {
    const row = await db
      .selectFrom('privacy_consent_history')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(ofSubject(subject))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  },
  async access(deps, subject) {
    const rows = await deps.db
      .selectFrom('privacy_consent_history')
      .selectAll()
      .where(ofSubject(subject))
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      identifier: { type: r.subject_type, value: r.subject_value },
      purpose: r.purpose,
      channel: r.channel,
      granted: r.granted === 1,
      source: r.source,
      recordedAt: r.recorded_at,
      evidence: r.evidence,
    }));
  },
  async erase(deps, subject) {
    return deps.db.transaction().execute(async (trx) => {
      const history = await trx
        .deleteFrom('privacy_consent_history')
        .where(ofSubject(subject))
        .executeTakeFirst();
      const current = await trx
        .deleteFrom('privacy_consents')
        .where(ofSubject(subject))
        .executeTakeFirst();
      return { affected: affectedOf(history) + affectedOf(current) };
    });
  },
};
