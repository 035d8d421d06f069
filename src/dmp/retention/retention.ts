import { iso } from '../../kernel/clock.js';
import type { DmpDeps } from '../collect/collect.service.js';
import { deleteIdsEverywhere, findIdsUnseenSince } from '../ids/id.repository.js';
import { purgeOldMediaHits } from '../media/media.service.js';
import {
  deleteExpiredHits,
  findIdsWithExpiredHits,
  loadHits,
} from '../qualify/qualification.repository.js';
import { requalify } from '../qualify/qualify.service.js';

export interface RetentionReport {
  /** IDs unseen for `idTtlDays`, deleted with everything keyed by them. */
  purgedIds: number;
  /** IDs that lost an expired trait qualification and were requalified. */
  requalifiedIds: number;
  /** Ad-server events older than `idTtlDays`, of IDs that are still active. */
  purgedMediaHits: number;
}

const DAY_MS = 86_400_000;

/**
 * The retention job (the runtime runs it on a timer; tests call it with a manual clock):
 * 1. IDs not seen for `idTtlDays` are deleted with their aliases, partner matches, trait
 *    realizations and segment memberships, in the store and the hot store;
 * 2. ad-server events (media efficiency) older than `idTtlDays` go, whoever they belong to;
 * 3. trait realizations past their trait's TTL are deleted and the IDs holding them are
 *    requalified, so their segment memberships (and activation) follow.
 * Works in batches, each its own transaction, so it never holds a long lock.
 */
export async function runRetention(deps: DmpDeps, batchSize = 500): Promise<RetentionReport> {
  const now = deps.clock.now();
  const report: RetentionReport = { purgedIds: 0, requalifiedIds: 0, purgedMediaHits: 0 };
  const cutoff = iso(new Date(now.getTime() - deps.dmp.config.idTtlDays * DAY_MS));
  for (;;) {
    const ids = await findIdsUnseenSince(deps.db, cutoff, batchSize);
    if (ids.length === 0) break;
    await deps.db.transaction().execute((trx) => deleteIdsEverywhere(trx, ids));
    await deps.dmp.hotStore.remove(ids);
    report.purgedIds += ids.length;
  }
  report.purgedMediaHits = await purgeOldMediaHits(deps);
  const catalog = await deps.dmp.catalog.get();
  const nowText = iso(now);
  for (;;) {
    const ids = await findIdsWithExpiredHits(deps.db, nowText, batchSize);
    if (ids.length === 0) break;
    for (const dmpId of ids) {
      const segments = await deps.db.transaction().execute(async (trx) => {
        await deleteExpiredHits(trx, dmpId, nowText);
        const rows = await loadHits(trx, dmpId);
        const result = await requalify(
          trx,
          catalog,
          dmpId,
          new Map(rows.map((r) => [r.trait_id, r.hits])),
          now,
        );
        const flag = await trx
          .selectFrom('dmp_ids')
          .select('activatable')
          .where('id', '=', dmpId)
          .executeTakeFirst();
        return flag?.activatable === 1 ? result : [];
      });
      await deps.dmp.hotStore.put(dmpId, segments);
    }
    report.requalifiedIds += ids.length;
  }
  return report;
}
