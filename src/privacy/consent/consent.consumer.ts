import type { Kysely } from 'kysely';
import type { Clock } from '../../kernel/clock.js';
import type { LogConsumer } from '../../log/consumer.js';
import type { LoggedRecord } from '../../log/event-log.js';
import { writeOffset } from '../../log/table-log.js';
import type { DB } from '../../storage/schema.js';
import { decisionsFromContextConsent } from './consent-strings.js';
import { type ConsentSubject, recordConsent } from './profile-consent.js';

export const consentConsumerName = 'privacy-consent';

/** The identifier an event's consent belongs to: its user ID, else its anonymous ID. */
function subjectOf(record: LoggedRecord): ConsentSubject | undefined {
  if (record.userId) return { type: 'user_id', value: record.userId };
  if (record.anonymousId) return { type: 'anonymous_id', value: record.anonymousId };
  return undefined;
}

/**
 * Reads consent carried by events (`context.consent`: Segment's `categoryPreferences`, or IAB
 * `tcString` / `gppString`) into the consent store, with source `event`, the event time as the
 * decision time and the message ID as evidence. A decision already recorded from the same
 * message is skipped, so a redelivered batch changes nothing.
 */
export function consentConsumer(deps: { db: Kysely<DB>; clock: Clock }): LogConsumer {
  const apply = async (records: LoggedRecord[]) => {
    for (const record of records) {
      // Cheap pre-check: most events carry no consent, and parsing every payload is not free.
      if (!record.payload.includes('"consent"')) continue;
      const subject = subjectOf(record);
      if (!subject) continue;
      const payload = JSON.parse(record.payload) as { context?: { consent?: unknown } };
      const decisions = decisionsFromContextConsent(payload.context?.consent);
      if (decisions.length === 0) continue;
      const seen = await deps.db
        .selectFrom('privacy_consent_history')
        .select('id')
        .where('subject_type', '=', subject.type)
        .where('subject_value', '=', subject.value)
        .where('source', '=', 'event')
        .where('evidence', '=', record.messageId)
        .executeTakeFirst();
      if (seen) continue;
      for (const d of decisions) {
        await recordConsent(deps.db, subject, {
          ...d,
          source: 'event',
          recordedAt: record.timestamp,
          evidence: record.messageId,
        });
      }
    }
  };
  return {
    name: consentConsumerName,
    async process(records) {
      await apply(records);
      const last = records.at(-1);
      if (last) await writeOffset(deps.db, deps.clock, consentConsumerName, last.seq);
    },
    replay: apply,
  };
}
