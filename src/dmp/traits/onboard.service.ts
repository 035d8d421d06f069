import { AppError, type ErrorDetail, notFound } from '../../kernel/errors.js';
import type { DmpDeps } from '../collect/collect.service.js';
import { checkIdRef, type IdRef, resolveIdRef } from '../ids/id-resolver.js';
import { realizeTraits } from '../qualify/qualify.service.js';
import { partnerIds } from '../sync/partner.repository.js';
import * as repo from './trait.repository.js';

export interface OnboardOutcome {
  /** IDs that exist in the DMP and received a realization of the trait. */
  matched: number;
  /** References that name no known ID: nothing is created for them. */
  unmatched: number;
}

export const MAX_ONBOARD_IDS = 10_000;

/**
 * Onboarding: offline data (a CRM list, a partner's audience) realizes an onboarded trait for
 * IDs the DMP already knows. Keys are pseudonymous only: DMP IDs, device IDs, partner IDs or
 * hashed e-mails. Nothing new is created: onboarding carries no consent of its own, so it can
 * only add to IDs whose browsers or apps granted consent when they were collected. All
 * references are checked first; then everything is written in one transaction.
 */
export async function onboardTrait(
  deps: DmpDeps,
  traitId: string,
  refs: { type: string; value: string; partner?: string | undefined }[],
): Promise<OnboardOutcome> {
  const trait = await repo.findTrait(deps.db, traitId);
  if (!trait) throw notFound(`trait ${traitId}`);
  if (trait.kind !== 'onboarded') {
    throw new AppError('bad_request', 'Only traits of kind "onboarded" take onboarded data');
  }
  const partners = await partnerIds(deps.db);
  const issues: ErrorDetail[] = [];
  const checked: IdRef[] = [];
  refs.forEach((raw, i) => {
    const result = checkIdRef(raw, `ids[${i}]`);
    if (!result.ok) issues.push(result.issue);
    else if (result.ref.type === 'partner' && !partners.has(result.ref.partner)) {
      issues.push({ field: `ids[${i}].partner`, message: 'unknown partner' });
    } else checked.push(result.ref);
  });
  if (issues.length > 0) {
    throw new AppError(
      'validation_failed',
      'Some IDs are malformed; nothing was onboarded',
      issues.slice(0, 50),
    );
  }
  deps.dmp.catalog.invalidate();
  const catalog = await deps.dmp.catalog.get();
  const now = deps.clock.now();
  const hot: [string, string[]][] = [];
  let unmatched = 0;
  await deps.db.transaction().execute(async (trx) => {
    const seen = new Set<string>();
    for (const ref of checked) {
      const dmpId = await resolveIdRef(trx, ref, now, false);
      if (!dmpId) {
        unmatched++;
        continue;
      }
      if (seen.has(dmpId)) continue;
      seen.add(dmpId);
      const segments = await realizeTraits(trx, catalog, dmpId, [traitId], now);
      const flag = await trx
        .selectFrom('dmp_ids')
        .select('activatable')
        .where('id', '=', dmpId)
        .executeTakeFirst();
      hot.push([dmpId, flag?.activatable === 1 ? segments : []]);
    }
  });
  for (const [dmpId, segments] of hot) await deps.dmp.hotStore.put(dmpId, segments);
  return { matched: hot.length, unmatched };
}
