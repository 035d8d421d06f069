import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { iso } from '../../kernel/clock.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import type { DmpConsentDecision } from '../../privacy/consent/index.js';
import type { DB } from '../../storage/schema.js';
import { segmentsOf } from '../activation/activation.service.js';
import { type DmpDeps, forgetIds } from '../collect/collect.service.js';
import { type ConsentFields, consentFrom } from '../collect/consent.js';
import { isDmpId } from '../ids/dmp-id.js';
import * as ids from '../ids/id.repository.js';
import { checkIdRef, type IdRef, resolveIdRef } from '../ids/id-resolver.js';
import { findSegment } from '../segments/segment.repository.js';
import {
  ATTRIBUTION_LOOKBACK_DAYS,
  checkEventTime,
  checkMediaEvent,
  type MediaEvent,
  pixelEvent,
} from './media.js';
import {
  deleteMediaHitsBefore,
  insertMediaHit,
  lastImpressionSegments,
} from './media.repository.js';

/**
 * Recording ad-server events and attributing them to segments.
 *
 * Attribution rule: an impression is attributed to the segments the ad server says it targeted
 * (`seg` / `segments`); when it does not say, to the segments the ID could be activated for at
 * that moment (none when the hit's consent denies activation). A click or conversion is
 * attributed to the segments of the same ID's most recent impression of the same campaign, at
 * most `ATTRIBUTION_LOOKBACK_DAYS` earlier; with no such impression it is stored unattributed
 * (it then counts in no segment's figures).
 *
 * Measuring needs storage consent (TCF Purpose 1), decided exactly as for signals. Events are
 * recorded only for DMP IDs the DMP already knows: the media pixel and API never mint IDs.
 */

const DAY_MS = 86_400_000;

const refused = (issues: ErrorDetail[]) =>
  new AppError('bad_request', 'The media event was refused; nothing was recorded', issues);

function consentOf(deps: DmpDeps, fields: ConsentFields, secGpc: boolean, path: string) {
  const result = consentFrom(fields, secGpc, deps.dmp.config.tcfVendorId, path);
  if (!result.ok) throw new AppError('bad_request', 'A consent string is malformed', result.issues);
  return result.decision;
}

/** Adds an issue for every named segment the store does not hold. */
async function checkSegmentsExist(
  deps: DmpDeps,
  segments: string[],
  field: string,
  issues: ErrorDetail[],
): Promise<void> {
  const catalog = await deps.dmp.catalog.get();
  for (const id of segments) {
    // The catalog may lag another process's new segment by a few seconds: ask the store too.
    if (catalog.segmentsById.has(id) || (await findSegment(deps.db, id))) continue;
    issues.push({ field, message: `unknown segment ${id}` });
  }
}

/** What an event is attributed to, decided before the write transaction (hot-store reads). */
async function presetSegments(
  deps: DmpDeps,
  dmpId: string,
  event: MediaEvent,
  decision: DmpConsentDecision,
): Promise<string[] | undefined> {
  if (event.kind !== 'impression') return undefined;
  if (event.segments !== undefined) return event.segments;
  return decision.activate ? (await segmentsOf(deps, dmpId)).segments : [];
}

/** Writes one event in the caller's transaction; false when its ID is gone. */
async function writeEvent(
  trx: Kysely<DB>,
  dmpId: string,
  event: MediaEvent,
  preset: string[] | undefined,
  at: Date,
): Promise<boolean> {
  // The ID may have been erased since it was resolved: store nothing keyed by a dead ID.
  if (!(await ids.idExists(trx, dmpId))) return false;
  const since = iso(new Date(at.getTime() - ATTRIBUTION_LOOKBACK_DAYS * DAY_MS));
  const segments =
    preset ?? (await lastImpressionSegments(trx, dmpId, event.campaign, since, iso(at))) ?? [];
  await insertMediaHit(trx, {
    eventId: randomUUID(),
    dmpId,
    campaign: event.campaign,
    creative: event.creative,
    kind: event.kind,
    segments,
    costMicros: event.costMicros,
    valueMicros: event.valueMicros,
    at: iso(at),
  });
  return true;
}

export interface MediaPixelHit {
  cookieId: string | undefined;
  optedOut: boolean;
  query: Record<string, unknown>;
  secGpc: boolean;
}

export interface MediaPixelOutcome {
  recorded: boolean;
  /** True when the browser's cookie must go (its storage consent is gone). */
  expireCookie: boolean;
}

/** `GET /dmp/v1/media/px`: throws the 4xx a bad hit deserves (the route still answers a GIF). */
export async function recordMediaPixel(
  deps: DmpDeps,
  hit: MediaPixelHit,
): Promise<MediaPixelOutcome> {
  if (hit.optedOut) return { recorded: false, expireCookie: false };
  const issues: ErrorDetail[] = [];
  const event = pixelEvent(hit.query, issues);
  if (!event) throw refused(issues);
  const decision = consentOf(deps, hit.query, hit.secGpc, '');
  const cookieId = isDmpId(hit.cookieId) ? hit.cookieId : undefined;
  if (!decision.store) {
    // Same as the signal pixel: without storage consent what was kept for the browser goes.
    if (cookieId) await forgetIds(deps, [cookieId]);
    return { recorded: false, expireCookie: cookieId !== undefined };
  }
  if (event.segments) await checkSegmentsExist(deps, event.segments, 'seg', issues);
  if (issues.length > 0) throw refused(issues);
  if (!cookieId) return { recorded: false, expireCookie: false };
  const preset = await presetSegments(deps, cookieId, event, decision);
  const at = deps.clock.now();
  const recorded = await deps.db
    .transaction()
    .execute((trx) => writeEvent(trx, cookieId, event, preset, at));
  return { recorded, expireCookie: false };
}

export interface ServerMediaInput {
  id: { type: string; value: string; partner?: string | undefined };
  event: string;
  campaign: string;
  creative: string;
  segments?: string[] | undefined;
  costMicros?: number | undefined;
  valueMicros?: number | undefined;
  at?: string | undefined;
  gdpr?: unknown;
  gdpr_consent?: unknown;
  gpp?: unknown;
  gpp_sid?: unknown;
}

export interface MediaBatchOutcome {
  recorded: number;
  /** Events whose ID the DMP does not know (purged, never synced). */
  unmatched: number;
  /** Events not stored because their consent denies storage. */
  denied: number;
}

interface VettedItem {
  ref: IdRef;
  event: MediaEvent;
  at: Date;
  decision: DmpConsentDecision;
}

/**
 * `POST /dmp/v1/media/events`. Every event is checked before anything is written and all are
 * written in one transaction, in the order sent (an impression and the click that follows it
 * may share a batch): one bad event refuses the batch and nothing is stored.
 */
export async function recordMediaBatch(
  deps: DmpDeps,
  items: ServerMediaInput[],
  knownPartners: ReadonlySet<string>,
): Promise<MediaBatchOutcome> {
  const issues: ErrorDetail[] = [];
  const vetted: VettedItem[] = [];
  const now = deps.clock.now();
  const oldest = new Date(now.getTime() - deps.dmp.config.idTtlDays * DAY_MS);
  for (const [i, item] of items.entries()) {
    const path = `events[${i}]`;
    const before = issues.length;
    const ref = checkIdRef(item.id, `${path}.id`);
    if (!ref.ok) issues.push(ref.issue);
    else if (ref.ref.type === 'partner' && !knownPartners.has(ref.ref.partner)) {
      issues.push({ field: `${path}.id.partner`, message: 'unknown partner' });
    }
    const event = checkMediaEvent(
      {
        event: item.event,
        campaign: item.campaign,
        creative: item.creative,
        segments: item.segments,
        cost: item.costMicros,
        value: item.valueMicros,
      },
      (name) =>
        `${path}.${name === 'cost' ? 'costMicros' : name === 'value' ? 'valueMicros' : name}`,
      issues,
    );
    if (event?.segments) {
      await checkSegmentsExist(deps, event.segments, `${path}.segments`, issues);
    }
    const at = checkEventTime(item.at, `${path}.at`, now, oldest, issues);
    const consent = consentFrom(item, false, deps.dmp.config.tcfVendorId, path);
    if (!consent.ok) issues.push(...consent.issues);
    if (issues.length === before && ref.ok && event && consent.ok) {
      vetted.push({ ref: ref.ref, event, at, decision: consent.decision });
    }
  }
  if (issues.length > 0) {
    throw new AppError('bad_request', 'The batch was refused; nothing was recorded', issues);
  }
  const outcome: MediaBatchOutcome = { recorded: 0, unmatched: 0, denied: 0 };
  const forgotten: string[] = [];
  const ready: { dmpId: string; item: VettedItem; preset: string[] | undefined }[] = [];
  // IDs and implicit segments are read before the write transaction: the hot store lives
  // outside it, and SQLite's single connection must not be asked twice at once.
  for (const item of vetted) {
    const dmpId = await resolveIdRef(deps.db, item.ref, now, false);
    if (!item.decision.store) {
      outcome.denied++;
      if (dmpId) forgotten.push(dmpId);
    } else if (!dmpId) outcome.unmatched++;
    else
      ready.push({
        dmpId,
        item,
        preset: await presetSegments(deps, dmpId, item.event, item.decision),
      });
  }
  await deps.db.transaction().execute(async (trx) => {
    for (const { dmpId, item, preset } of ready) {
      // An ID whose storage consent another event of the batch denied is forgotten, not fed.
      if (forgotten.includes(dmpId)) {
        outcome.denied++;
        continue;
      }
      if (await writeEvent(trx, dmpId, item.event, preset, item.at)) outcome.recorded++;
      else outcome.unmatched++;
    }
    await ids.deleteIdsEverywhere(trx, forgotten);
  });
  await deps.dmp.hotStore.remove(forgotten);
  return outcome;
}

/**
 * Deletes media rows older than the ID retention period (`idTtlDays`): an ID that keeps being
 * seen keeps its DMP ID, but not its ad history beyond that age. Meant to run with the
 * retention job; returns the number of rows deleted.
 */
export async function purgeOldMediaHits(deps: DmpDeps): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - deps.dmp.config.idTtlDays * DAY_MS);
  return deleteMediaHitsBefore(deps.db, iso(cutoff));
}
