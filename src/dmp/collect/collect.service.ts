import type { Kysely } from 'kysely';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import type { DmpConsentDecision } from '../../privacy/consent/index.js';
import type { DB } from '../../storage/schema.js';
import { isDmpId, newDmpId, reusableCookieId } from '../ids/dmp-id.js';
import * as ids from '../ids/id.repository.js';
import { checkIdRef, type IdRef, resolveIdRef } from '../ids/id-resolver.js';
import type { Catalog } from '../qualify/catalog.js';
import { realizedTraits } from '../qualify/engine.js';
import { clearProfile } from '../qualify/qualification.repository.js';
import { realizeTraits } from '../qualify/qualify.service.js';
import type { DmpRuntime } from '../runtime.js';
import type { Signals } from '../traits/trait-rule.js';
import { type ConsentFields, consentFrom } from './consent.js';
import { piiRejected, screenSignals } from './firewall.js';
import { checkSignals } from './signals.js';

/** What DMP services receive: the store, the clock and the DMP runtime. */
export type DmpDeps = Pick<Deps, 'db' | 'clock'> & { dmp: DmpRuntime };

export interface BrowserHit {
  /** The DMP cookie as sent (anything; only a well-formed DMP ID is used). */
  cookieId: string | undefined;
  optedOut: boolean;
  signals: unknown;
  consent: ConsentFields;
  secGpc: boolean;
}

export interface HitOutcome {
  /** The ID to set (and so refresh) as the cookie; null when no cookie may be set. */
  dmpId: string | null;
  recorded: boolean;
  /** Signal keys left out by the firewall in `drop` mode. */
  dropped: number;
  /** Why less than everything was done (consent denials), for the caller's information. */
  reasons: string[];
  /** True when the browser's cookie must go (its storage consent is gone). */
  expireCookie?: boolean;
}

const invalid = (message: string, issues: ErrorDetail[]) =>
  new AppError('validation_failed', message, issues);

/**
 * Checks shape, consent strings and PII of one hit. Throws the 4xx the hit deserves; in `drop`
 * mode PII-looking keys are removed instead and counted.
 */
export function vetSignals(
  raw: unknown,
  consent: ConsentFields,
  secGpc: boolean,
  config: DmpRuntime['config'],
  path: string,
): { signals: Signals; decision: DmpConsentDecision; dropped: number } {
  const shape = checkSignals(raw ?? {}, path === '' ? 'signals' : `${path}.signals`);
  if (!shape.ok) throw invalid('The signals are malformed or too large', shape.issues);
  const consentResult = consentFrom(consent, secGpc, config.tcfVendorId, path);
  if (!consentResult.ok) {
    throw new AppError('bad_request', 'A consent string is malformed', consentResult.issues);
  }
  const screened = screenSignals(shape.signals, path === '' ? 'signals' : `${path}.signals`);
  if (screened.refused.length > 0 && config.piiMode === 'reject') {
    throw piiRejected(screened.refused);
  }
  return {
    signals: screened.kept,
    decision: consentResult.decision,
    dropped: screened.refused.length,
  };
}

/**
 * Stores one signal for one ID in the caller's transaction: refreshes the ID, and (with the
 * profiling permission) realizes traits and requalifies segments. Without profiling consent the
 * ID's profile is erased instead. Returns the segments that may be activated for the ID.
 */
export async function recordSignal(
  trx: Kysely<DB>,
  catalog: Catalog,
  dmpId: string,
  signals: Signals,
  decision: DmpConsentDecision,
  now: Date,
): Promise<string[]> {
  await ids.touchId(trx, dmpId, iso(now), decision.activate);
  if (!decision.profile) {
    await clearProfile(trx, dmpId);
    return [];
  }
  const segments = await realizeTraits(
    trx,
    catalog,
    dmpId,
    realizedTraits(catalog.traits, signals),
    now,
  );
  return decision.activate ? segments : [];
}

/** Deletes everything keyed by an ID (consent withdrawn, opt-out) in store and hot store. */
export async function forgetIds(deps: DmpDeps, dmpIds: string[]): Promise<void> {
  if (dmpIds.length === 0) return;
  await deps.db.transaction().execute((trx) => ids.deleteIdsEverywhere(trx, dmpIds));
  await deps.dmp.hotStore.remove(dmpIds);
}

/** A pixel or beacon hit from a browser. */
export async function collectBrowserHit(deps: DmpDeps, hit: BrowserHit): Promise<HitOutcome> {
  if (hit.optedOut) {
    return { dmpId: null, recorded: false, dropped: 0, reasons: ['the browser opted out'] };
  }
  const vetted = vetSignals(hit.signals, hit.consent, hit.secGpc, deps.dmp.config, '');
  const cookieId = reusableCookieId(hit.cookieId);
  if (!vetted.decision.store) {
    // No storage permission: no cookie, and whatever an earlier consent let us keep goes.
    if (cookieId) await forgetIds(deps, [cookieId]);
    return {
      dmpId: null,
      recorded: false,
      dropped: vetted.dropped,
      reasons: vetted.decision.reasons,
      expireCookie: cookieId !== undefined,
    };
  }
  const dmpId = cookieId ?? newDmpId();
  const now = deps.clock.now();
  const catalog = await deps.dmp.catalog.get();
  const segments = await deps.db
    .transaction()
    .execute((trx) => recordSignal(trx, catalog, dmpId, vetted.signals, vetted.decision, now));
  await deps.dmp.hotStore.put(dmpId, segments);
  return { dmpId, recorded: true, dropped: vetted.dropped, reasons: vetted.decision.reasons };
}

export interface ServerSignalInput {
  id: { type: string; value: string; partner?: string | undefined };
  signals: unknown;
  gdpr?: unknown;
  gdpr_consent?: unknown;
  gpp?: unknown;
  gpp_sid?: unknown;
}

export interface BatchOutcome {
  recorded: number;
  /** Items whose ID is unknown (purged DMP IDs, partner IDs never synced). */
  unmatched: number;
  /** Items not stored because their consent denies storage. */
  denied: number;
  dropped: number;
}

/**
 * A server-to-server batch. Every item is checked before anything is written, and all items are
 * written in one transaction: one bad item refuses the whole batch, so nothing partial is kept.
 */
export async function collectServerBatch(
  deps: DmpDeps,
  items: ServerSignalInput[],
  knownPartners: ReadonlySet<string>,
): Promise<BatchOutcome> {
  const issues: ErrorDetail[] = [];
  const vetted: { ref: IdRef; signals: Signals; decision: DmpConsentDecision }[] = [];
  let dropped = 0;
  items.forEach((item, i) => {
    const path = `signals[${i}]`;
    const ref = checkIdRef(item.id, `${path}.id`);
    if (!ref.ok) {
      issues.push(ref.issue);
      return;
    }
    if (ref.ref.type === 'partner' && !knownPartners.has(ref.ref.partner)) {
      issues.push({ field: `${path}.id.partner`, message: 'unknown partner' });
      return;
    }
    try {
      const v = vetSignals(item.signals, item, false, deps.dmp.config, path);
      dropped += v.dropped;
      vetted.push({ ref: ref.ref, signals: v.signals, decision: v.decision });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      issues.push(...(error.details.length > 0 ? error.details : [{ message: error.message }]));
    }
  });
  if (issues.length > 0) {
    throw new AppError('bad_request', `The batch was refused; nothing was recorded`, issues);
  }
  const now = deps.clock.now();
  const catalog = await deps.dmp.catalog.get();
  const outcome: BatchOutcome = { recorded: 0, unmatched: 0, denied: 0, dropped };
  const hot: [string, string[]][] = [];
  const forgotten: string[] = [];
  await deps.db.transaction().execute(async (trx) => {
    for (const item of vetted) {
      const dmpId = await resolveIdRef(trx, item.ref, now, item.decision.store);
      if (!item.decision.store) {
        outcome.denied++;
        if (dmpId) forgotten.push(dmpId);
        continue;
      }
      if (!dmpId) {
        outcome.unmatched++;
        continue;
      }
      hot.push([dmpId, await recordSignal(trx, catalog, dmpId, item.signals, item.decision, now)]);
      outcome.recorded++;
    }
    await ids.deleteIdsEverywhere(trx, forgotten);
  });
  await deps.dmp.hotStore.remove(forgotten);
  for (const [dmpId, segments] of hot) await deps.dmp.hotStore.put(dmpId, segments);
  return outcome;
}
