import type { ExpressionBuilder, Kysely } from 'kysely';
import { deletionPrefix } from '../../../cdp/destinations/index.js';
import { iso } from '../../../kernel/clock.js';
import type { DB } from '../../../storage/schema.js';
import { forwardDeletions } from '../forwarding.js';
import { affectedOf, chunks, containsAny, type Participant } from '../participant.js';
import { type Subject, searchableValues } from '../subject.js';

const none = [''];
const profilesOr = (subject: Subject) =>
  subject.profileIds.length > 0 ? subject.profileIds : none;

/** Audience memberships, their history, group links and computed-trait states. */
export const audiencesParticipant: Participant = {
  store: 'audiences',
  async find(db, subject) {
    const ids = profilesOr(subject);
    const [members, states] = await Promise.all([
      db
        .selectFrom('audience_members')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('profile_id', 'in', ids)
        .executeTakeFirst(),
      db
        .selectFrom('audience_trait_states')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('profile_id', 'in', ids)
        .executeTakeFirst(),
    ]);
    return Number(members?.n ?? 0) + Number(states?.n ?? 0);
  },
  async access(deps, subject) {
    const ids = profilesOr(subject);
    const [audiences, traits] = await Promise.all([
      deps.db
        .selectFrom('audience_members')
        .innerJoin(
          'audience_definitions',
          'audience_definitions.id',
          'audience_members.audience_id',
        )
        .select(['audience_definitions.key', 'audience_definitions.name', 'entered_at'])
        .where('profile_id', 'in', ids)
        .execute(),
      deps.db
        .selectFrom('audience_trait_states')
        .innerJoin('audience_traits', 'audience_traits.id', 'audience_trait_states.trait_id')
        .select([
          'audience_traits.key',
          'audience_trait_states.value',
          'audience_trait_states.updated_at',
        ])
        .where('profile_id', 'in', ids)
        .execute(),
    ]);
    return {
      audiences: audiences.map((a) => ({ key: a.key, name: a.name, enteredAt: a.entered_at })),
      computedTraits: traits.map((t) => ({
        key: t.key,
        value: JSON.parse(t.value),
        updatedAt: t.updated_at,
      })),
    };
  },
  async erase(deps, subject) {
    const ids = profilesOr(subject);
    return deps.db.transaction().execute(async (trx) => {
      let affected = 0;
      for (const table of [
        'audience_members',
        'audience_membership_log',
        'audience_groups',
        'audience_trait_states',
      ] as const) {
        affected += affectedOf(
          await trx.deleteFrom(table).where('profile_id', 'in', ids).executeTakeFirst(),
        );
      }
      return { affected };
    });
  },
};

/** Messages about the person; delete messages of earlier erasures wait their turn untouched. */
function aboutSubject(db: Kysely<DB>, subject: Subject) {
  return (eb: ExpressionBuilder<DB, 'destination_deliveries'>) =>
    eb.and([
      eb.or([
        eb('destination_deliveries.profile_id', 'in', profilesOr(subject)),
        containsAny(db, 'destination_deliveries.payload', searchableValues(subject)),
      ]),
      eb('destination_deliveries.message_id', 'not like', `${deletionPrefix}%`),
    ]);
}

/**
 * The destination delivery queue: messages about the person (queued, sent or failed) and
 * their attempt logs. Destinations that take deletions (`forwardDeletions`) and were sent the
 * person's data get a delete message through the same queue, with a receipt of their own;
 * the others are named on this store's receipt, for a manual follow-up.
 */
export const destinationsParticipant: Participant = {
  store: 'destinations',
  async find(db, subject) {
    const row = await db
      .selectFrom('destination_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(aboutSubject(db, subject))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  },
  async access(deps, subject) {
    const rows = await deps.db
      .selectFrom('destination_deliveries')
      .innerJoin('destinations', 'destinations.id', 'destination_deliveries.destination_id')
      .select([
        'destinations.name',
        'destination_deliveries.status',
        'destination_deliveries.created_at',
        'destination_deliveries.delivered_at',
        'destination_deliveries.payload',
      ])
      .where(aboutSubject(deps.db, subject))
      .execute();
    return rows.map((r) => ({
      destination: r.name,
      status: r.status,
      createdAt: r.created_at,
      deliveredAt: r.delivered_at,
      payload: JSON.parse(r.payload),
    }));
  },
  async erase(deps, subject) {
    return deps.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('destination_deliveries')
        .select(['id', 'destination_id', 'status', 'attempts', 'payload'])
        .where(aboutSubject(deps.db, subject))
        .execute();
      if (rows.length === 0) return { affected: 0 };
      // Before the rows go: they tell which destinations hold what.
      const forwarding = await forwardDeletions(trx, subject, rows, iso(deps.clock.now()));
      const ids = rows.map((r) => r.id);
      let affected = 0;
      for (const part of chunks(ids)) {
        await trx.deleteFrom('destination_attempts').where('delivery_id', 'in', part).execute();
        affected += affectedOf(
          await trx.deleteFrom('destination_deliveries').where('id', 'in', part).executeTakeFirst(),
        );
      }
      return {
        affected,
        detail: {
          forwardedDeletions: forwarding.forwarded,
          destinationsWithoutDeleteSupport: forwarding.withoutDeleteSupport,
        },
      };
    });
  },
};
