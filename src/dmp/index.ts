/**
 * The DMP: anonymous audiences for advertising, with no personal data, ever.
 *
 * Surfaces (see `dmp.routes.ts`):
 * - `/dmp/v1/...` for machines: the pixel `GET /dmp/v1/px`, the beacon `POST /dmp/v1/events`,
 *   server-to-server `POST /dmp/v1/signals` (advertiser or admin token), ID sync
 *   `GET /dmp/v1/sync`, the global opt-out `GET /dmp/v1/optout`, and real-time activation
 *   `GET /dmp/v1/ids/{id}/segments` and `POST /dmp/v1/openrtb` (advertiser or admin token);
 * - `/api/v1/dmp/...` for people and scripts: traits, segments, taxonomy, partners (admin),
 *   reach and size reports (advertiser, analyst).
 *
 * Other contexts use the DMP through the functions exported here, never its folders.
 */
import type { DmpConfig } from '../config.js';
import type { Deps } from '../kernel/deps.js';
import type { DmpDeps } from './collect/collect.service.js';
import { createDmpRuntime } from './runtime.js';

export type { DmpDeps } from './collect/collect.service.js';
export { dmpRoutes } from './dmp.routes.js';
export type { DmpTables } from './dmp.tables.js';
export type { HotStore } from './hotstore/hot-store.js';
/** The oldest current segment of some DMP IDs (how a person was acquired, for attribution). */
export { type FirstSegment, firstSegmentOf } from './lists/first-segment.js';
/**
 * Lists of DMP IDs pushed in by the CDP: `seed` lists (lookalike seeds, released only at the
 * minimum segment size) and `suppression` lists (IDs no activation path may give segments to).
 * They hold list names and well-formed DMP IDs only; anything else is refused.
 */
export {
  addDmpListMembers,
  type DmpListKind,
  type DmpListSize,
  dmpListKinds,
  dmpListSizes,
  dropDmpList,
  ensureDmpList,
  forgetDmpListMembers,
  isDmpListName,
  isSuppressedDmpId,
  removeDmpListMembers,
  seedListMembers,
} from './lists/list.service.js';
export type { DmpListTables } from './lists/list.table.js';
export {
  createDmpRuntime,
  type DmpRuntime,
  type DmpRuntimeOptions,
  defaultDmpRuntimeOptions,
} from './runtime.js';

import {
  enrichBidRequest as enrichBidRequestImpl,
  segmentNamesOf as segmentNamesOfImpl,
  segmentsOf as segmentsOfImpl,
} from './activation/activation.service.js';
import {
  collectServerBatch as collectServerBatchImpl,
  forgetIds as forgetIdsImpl,
} from './collect/collect.service.js';
import { deleteIdsEverywhere } from './ids/id.repository.js';
import { runRetention as runRetentionImpl } from './retention/retention.js';
import { onboardTrait as onboardTraitImpl } from './traits/onboard.service.js';

/**
 * Records a batch of server-side signals, keyed by DMP IDs, device advertising IDs, SHA-256
 * hashed e-mails or partner IDs. Every item passes the PII firewall and its own consent check
 * first; one bad item refuses the whole batch and nothing is stored.
 */
export const collectServerBatch = collectServerBatchImpl;

/**
 * The segments that may be activated for a DMP ID and their IAB Audience Taxonomy 1.1 IDs, from
 * the hot store (one cache read on a hit).
 */
export const segmentsOf = segmentsOfImpl;

/** The names of the segments some DMP IDs are in now (what a Customer 360 view may show). */
export const segmentNamesOf = segmentNamesOfImpl;

/**
 * Returns an OpenRTB 2.6 BidRequest with `user.data[]` gaining the DMP's segments
 * (`ext.segtax = 4`), or unchanged when consent, `device.lmt` or a missing ID says so.
 */
export const enrichBidRequest = enrichBidRequestImpl;

/**
 * Realizes an onboarded trait for known IDs (offline data such as a CRM list keyed by hashed
 * e-mails). Never creates IDs.
 */
export const onboardTrait = onboardTraitImpl;

/**
 * The retention job: purges IDs unseen for `idTtlDays` with everything keyed by them, and
 * expires trait qualifications past their TTL. Idempotent; safe to run at any time.
 */
export const runRetention = runRetentionImpl;

/** Deletes every trace of these DMP IDs (erasure, opt-out), in the store and the hot store. */
export const forgetIds = forgetIdsImpl;

/**
 * The store half of `forgetIds`, for processes without a DMP runtime (worker jobs): every table
 * keyed by DMP ID, in one transaction. Hot-store entries then expire on their own.
 */
export async function forgetIdsInStore(db: Deps['db'], dmpIds: string[]): Promise<void> {
  if (dmpIds.length === 0) return;
  await db.transaction().execute((trx) => deleteIdsEverywhere(trx, dmpIds));
}

/**
 * Dependencies for one-off DMP work outside the server (CLI commands, jobs): a runtime with
 * no timers. Close it with `deps.dmp.close()`.
 */
export async function dmpCommandDeps(deps: Deps & { config: DmpConfig }): Promise<DmpDeps> {
  const dmp = await createDmpRuntime(deps, { retentionIntervalMs: 0 });
  return { db: deps.db, clock: deps.clock, dmp };
}
