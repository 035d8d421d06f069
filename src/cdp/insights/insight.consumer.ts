import type { Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';
import type { Clock } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import type { LogConsumer } from '../../log/consumer.js';
import type { LoggedRecord } from '../../log/event-log.js';
import { writeOffset } from '../../log/table-log.js';
import type { DB } from '../../storage/schema.js';
import { waitForIdentity } from '../identity/graph/identity.service.js';
import { foldEvents, foldMerged } from './rollup.js';

export const insightConsumerName = 'insights';

/**
 * Takes the consumer's offset row (creating it), locked on PostgreSQL so a second process
 * running the same consumer waits instead of counting a batch twice.
 */
async function lockOffset(trx: Kysely<DB>, clock: Clock): Promise<number> {
  await trx
    .insertInto('log_offsets')
    .values({ consumer: insightConsumerName, position: 0, updated_at: clock.now().toISOString() })
    .onConflict((oc) => oc.column('consumer').doNothing())
    .execute();
  let query = trx
    .selectFrom('log_offsets')
    .select('position')
    .where('consumer', '=', insightConsumerName);
  if (trx.getExecutor().adapter instanceof PostgresAdapter) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return Number(row?.position ?? 0);
}

/** The profile of each event (merges re-point events, so this is the current profile). */
async function profilesOf(db: Kysely<DB>, seqs: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (let i = 0; i < seqs.length; i += 500) {
    const rows = await db
      .selectFrom('identity_profile_events')
      .select(['seq', 'profile_id'])
      .where('seq', 'in', seqs.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(Number(r.seq), r.profile_id);
  }
  return out;
}

/**
 * The `insights` consumer: folds each batch into the rollups and commits its offset in the
 * same transaction, skipping records at or below the committed offset, so a redelivered batch
 * is applied once.
 */
export function insightConsumer(
  deps: Pick<Deps, 'db'> & { clock: Clock },
  opts: { identityWaitMs?: number } = {},
): LogConsumer {
  return {
    name: insightConsumerName,
    async process(records: LoggedRecord[]) {
      const last = records.at(-1);
      if (!last) return;
      await waitForIdentity(deps.db, last.seq, opts.identityWaitMs ?? 10_000);
      await deps.db.transaction().execute(async (trx) => {
        const position = await lockOffset(trx, deps.clock);
        const fresh = records.filter((r) => r.seq > position);
        if (fresh.length === 0) return;
        const profileOf = await profilesOf(
          trx,
          fresh.map((r) => r.seq),
        );
        await foldMerged(trx, [...new Set(profileOf.values())]);
        await foldEvents(
          trx,
          fresh.map((r) => ({
            seq: r.seq,
            type: r.type,
            event: r.event,
            sourceId: r.sourceId,
            timestamp: r.timestamp,
            profileId: profileOf.get(r.seq) ?? null,
          })),
        );
        await writeOffset(trx, deps.clock, insightConsumerName, last.seq);
      });
    },
    // Rollups are counts of immutable events: records at or below the offset are already in
    // them, and later ones arrive through `process`, so a replay changes nothing.
    async replay() {},
  };
}

/** Log consumers that keep the insight rollups current. */
export function insightConsumers(deps: Pick<Deps, 'db'> & { clock: Clock }): LogConsumer[] {
  return [insightConsumer(deps)];
}
