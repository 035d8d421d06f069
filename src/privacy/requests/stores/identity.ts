import type { ExpressionBuilder, Kysely } from 'kysely';
import type { DB } from '../../../storage/schema.js';
import { affectedOf, containsAny, type Participant } from '../participant.js';
import type { Identifier, Subject } from '../subject.js';

type IdTable = 'identity_identifiers' | 'identity_event_ids' | 'identity_shared_identifiers';

/** `(type = ? and value = ?) or ...` over the subject's identifiers. */
function matchesIdentifier<T extends IdTable>(given: Identifier[]) {
  const ids = given.length > 0 ? given : [{ type: '', value: '' }];
  return (eb: ExpressionBuilder<DB, T>) => {
    const ref = eb as unknown as ExpressionBuilder<DB, 'identity_identifiers'>;
    return ref.or(
      ids.map((id) => ref.and([ref('type', '=', id.type), ref('value', '=', id.value)])),
    );
  };
}

// Never a profile ID: keeps `in (...)` valid when the subject has no profile.
const none = [''];
const profilesOr = (subject: Subject) =>
  subject.profileIds.length > 0 ? subject.profileIds : none;

/**
 * The identity graph and the unified profile: profiles (with traits), identifiers, event links,
 * merge history (whose reasons name identifiers), separations, shared-identifier flags and
 * duplicate suggestions.
 */
export const identityParticipant: Participant = {
  store: 'identity',
  async find(db, subject) {
    const profiles = subject.profileIds.length;
    const row = await db
      .selectFrom('identity_identifiers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(matchesIdentifier(subject.identifiers))
      .executeTakeFirst();
    return profiles + Number(row?.n ?? 0);
  },
  async access(deps, subject) {
    const ids = profilesOr(subject);
    const [profiles, identifiers, merges] = await Promise.all([
      deps.db.selectFrom('identity_profiles').selectAll().where('id', 'in', ids).execute(),
      deps.db
        .selectFrom('identity_identifiers')
        .select(['type', 'value', 'profile_id', 'first_seen', 'last_seen'])
        .where('profile_id', 'in', ids)
        .execute(),
      deps.db
        .selectFrom('identity_merge_log')
        .selectAll()
        .where((eb) => eb.or([eb('profile_id', 'in', ids), eb('other_profile_id', 'in', ids)]))
        .orderBy('created_at')
        .execute(),
    ]);
    return {
      profiles: profiles.map((p) => ({
        id: p.id,
        mergedInto: p.merged_into,
        firstSeen: p.first_seen,
        lastSeen: p.last_seen,
        traits: JSON.parse(p.traits),
      })),
      identifiers: identifiers.map((i) => ({
        type: i.type,
        value: i.value,
        profileId: i.profile_id,
        firstSeen: i.first_seen,
        lastSeen: i.last_seen,
      })),
      merges: merges.map((m) => ({
        id: m.id,
        kind: m.kind,
        profileId: m.profile_id,
        otherProfileId: m.other_profile_id,
        createdAt: m.created_at,
      })),
    };
  },
  async erase(deps, subject) {
    const ids = profilesOr(subject);
    // Separations hold JSON arrays of `type:value` strings.
    const keys = subject.identifiers.map((i) => `${i.type}:${i.value}`);
    return deps.db.transaction().execute(async (trx) => {
      let affected = 0;
      const add = (result: { numDeletedRows?: bigint }) => {
        affected += affectedOf(result);
      };
      add(
        await trx
          .deleteFrom('identity_event_ids')
          .where((eb) =>
            eb.or([
              eb(
                'seq',
                'in',
                eb
                  .selectFrom('identity_profile_events')
                  .select('seq')
                  .where('profile_id', 'in', ids),
              ),
              matchesIdentifier<'identity_event_ids'>(subject.identifiers)(eb),
            ]),
          )
          .executeTakeFirst(),
      );
      add(
        await trx
          .deleteFrom('identity_profile_events')
          .where((eb) => eb.or([eb('profile_id', 'in', ids), eb('origin_profile_id', 'in', ids)]))
          .executeTakeFirst(),
      );
      add(
        await trx
          .deleteFrom('identity_identifiers')
          .where((eb) =>
            eb.or([
              eb('profile_id', 'in', ids),
              matchesIdentifier<'identity_identifiers'>(subject.identifiers)(eb),
            ]),
          )
          .executeTakeFirst(),
      );
      add(
        await trx
          .deleteFrom('identity_shared_identifiers')
          .where(matchesIdentifier(subject.identifiers))
          .executeTakeFirst(),
      );
      add(
        await trx
          .deleteFrom('identity_merge_log')
          .where((eb) => eb.or([eb('profile_id', 'in', ids), eb('other_profile_id', 'in', ids)]))
          .executeTakeFirst(),
      );
      add(
        await trx
          .deleteFrom('identity_separations')
          .where((eb) =>
            eb.or([
              containsAny(trx as Kysely<DB>, 'left_ids', keys, true),
              containsAny(trx as Kysely<DB>, 'right_ids', keys, true),
            ]),
          )
          .executeTakeFirst(),
      );
      add(
        await trx
          .deleteFrom('identity_duplicates')
          .where((eb) => eb.or([eb('profile_a', 'in', ids), eb('profile_b', 'in', ids)]))
          .executeTakeFirst(),
      );
      add(await trx.deleteFrom('identity_profiles').where('id', 'in', ids).executeTakeFirst());
      return { affected };
    });
  },
};
