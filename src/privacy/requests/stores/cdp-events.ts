import type { Kysely } from 'kysely';
import type { DB } from '../../../storage/schema.js';
import { affectedOf, chunks, containsAny, type Participant } from '../participant.js';
import { type Subject, searchableValues, valuesOf } from '../subject.js';

/**
 * Raw events: those attached to the person's profiles, those sent under their user or anonymous
 * ID, and any whose payload mentions one of their identifiers (an e-mail in a `track`
 * property never reaches the graph but is still theirs).
 */
async function eventSeqs(db: Kysely<DB>, subject: Subject): Promise<number[]> {
  const userIds = valuesOf(subject, 'user_id');
  const anonymousIds = valuesOf(subject, 'anonymous_id');
  const text = searchableValues(subject);
  const rows = await db
    .selectFrom('events')
    .select('seq')
    .where((eb) => {
      const any = [containsAny(db, 'payload', text)];
      if (subject.profileIds.length > 0) {
        any.push(
          eb(
            'seq',
            'in',
            eb
              .selectFrom('identity_profile_events')
              .select('seq')
              .where('profile_id', 'in', subject.profileIds),
          ),
        );
      }
      if (userIds.length > 0) any.push(eb('user_id', 'in', userIds));
      if (anonymousIds.length > 0) any.push(eb('anonymous_id', 'in', anonymousIds));
      return eb.or(any);
    })
    .orderBy('seq')
    .execute();
  return rows.map((r) => Number(r.seq));
}

export const eventsParticipant: Participant = {
  store: 'events',
  async find(db, subject) {
    return (await eventSeqs(db, subject)).length;
  },
  async access(deps, subject) {
    const seqs = await eventSeqs(deps.db, subject);
    const out: unknown[] = [];
    for (const part of chunks(seqs)) {
      const rows = await deps.db
        .selectFrom('events')
        .select(['seq', 'source_id', 'message_id', 'type', 'event', 'timestamp', 'payload'])
        .where('seq', 'in', part)
        .orderBy('seq')
        .execute();
      for (const row of rows) {
        out.push({
          seq: Number(row.seq),
          sourceId: row.source_id,
          messageId: row.message_id,
          type: row.type,
          event: row.event,
          timestamp: row.timestamp,
          payload: JSON.parse(row.payload),
        });
      }
    }
    return out;
  },
  async erase(deps, subject) {
    let affected = 0;
    for (const part of chunks(await eventSeqs(deps.db, subject))) {
      affected += affectedOf(
        await deps.db.deleteFrom('events').where('seq', 'in', part).executeTakeFirst(),
      );
    }
    return { affected };
  },
};

/** Rejected inputs are kept raw for inspection: any that mention the person go. */
export const rejectedEventsParticipant: Participant = {
  store: 'rejected_events',
  async find(db, subject) {
    const row = await db
      .selectFrom('rejected_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(containsAny(db, 'payload', searchableValues(subject)))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  },
  async access(deps, subject) {
    const rows = await deps.db
      .selectFrom('rejected_events')
      .select(['seq', 'source_id', 'code', 'reason', 'payload', 'received_at'])
      .where(containsAny(deps.db, 'payload', searchableValues(subject)))
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      sourceId: r.source_id,
      code: r.code,
      reason: r.reason,
      receivedAt: r.received_at,
      payload: JSON.parse(r.payload),
    }));
  },
  async erase(deps, subject) {
    const result = await deps.db
      .deleteFrom('rejected_events')
      .where(containsAny(deps.db, 'payload', searchableValues(subject)))
      .executeTakeFirst();
    return { affected: affectedOf(result) };
  },
};
