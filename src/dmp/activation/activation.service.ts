import { AppError } from '../../kernel/errors.js';
import type { DmpDeps } from '../collect/collect.service.js';
import { type ConsentFields, consentFrom } from '../collect/consent.js';
import { isSuppressedDmpId } from '../lists/list.service.js';
import { CUSTOM_ID_START } from '../taxonomy/taxonomy.js';
import {
  checkBidRequest,
  consentOf,
  dmpIdOf,
  type JsonObject,
  limitsAdTracking,
  withSegments,
} from './openrtb.js';

export interface IdSegments {
  id: string;
  /** Segment IDs that may be activated for the ID. */
  segments: string[];
  /** The IAB Audience Taxonomy 1.1 IDs those segments map to (custom nodes excluded). */
  taxonomyIds: number[];
}

/**
 * The hot path: one hot-store read and an in-memory catalog lookup. Segments deleted since the
 * entry was written are skipped, so a stale entry can never activate a segment that is gone.
 */
export async function segmentsOf(deps: DmpDeps, dmpId: string): Promise<IdSegments> {
  const segmentIds = await deps.dmp.hotStore.get(dmpId);
  if (segmentIds.length === 0) return { id: dmpId, segments: [], taxonomyIds: [] };
  // Suppression lists (existing customers, do-not-market...) win over every activation path;
  // checked only for IDs that have something to activate, so misses stay one cache read.
  if (await isSuppressedDmpId(deps.db, dmpId)) return { id: dmpId, segments: [], taxonomyIds: [] };
  const catalog = await deps.dmp.catalog.get();
  const segments: string[] = [];
  const taxonomy = new Set<number>();
  for (const id of segmentIds) {
    const segment = catalog.segmentsById.get(id);
    if (!segment) continue;
    segments.push(id);
    for (const t of segment.taxonomyIds) if (t < CUSTOM_ID_START) taxonomy.add(t);
  }
  return { id: dmpId, segments, taxonomyIds: [...taxonomy].sort((a, b) => a - b) };
}

function activationAllowed(deps: DmpDeps, consent: ConsentFields, secGpc: boolean): boolean {
  const result = consentFrom(consent, secGpc, deps.dmp.config.tcfVendorId);
  if (!result.ok) {
    throw new AppError('bad_request', 'A consent string is malformed', result.issues);
  }
  return result.decision.activate;
}

/** `GET /dmp/v1/ids/{id}/segments`, with the request's own consent applied. */
export async function lookupId(
  deps: DmpDeps,
  dmpId: string,
  consent: ConsentFields,
  secGpc: boolean,
): Promise<IdSegments> {
  if (!activationAllowed(deps, consent, secGpc))
    return { id: dmpId, segments: [], taxonomyIds: [] };
  return segmentsOf(deps, dmpId);
}

/**
 * Enriches an OpenRTB 2.6 BidRequest. Returns it unchanged when there is no DMP ID, when
 * consent denies activation, when the device limits ad tracking or when the ID has no segment
 * with an IAB taxonomy mapping; otherwise a copy with one more `user.data[]` entry.
 */
export async function enrichBidRequest(deps: DmpDeps, body: JsonObject): Promise<JsonObject> {
  const issues = checkBidRequest(body);
  if (issues.length > 0) {
    throw new AppError('bad_request', 'The body is not an OpenRTB 2.6 BidRequest', issues);
  }
  if (!activationAllowed(deps, consentOf(body), false) || limitsAdTracking(body)) return body;
  const domain = deps.dmp.config.domain;
  const dmpId = dmpIdOf(body, domain);
  if (dmpId === undefined || dmpId.length > 200) return body;
  const { taxonomyIds } = await segmentsOf(deps, dmpId);
  return taxonomyIds.length === 0 ? body : withSegments(body, domain, taxonomyIds);
}

/**
 * The names of the segments a set of DMP IDs is in now: what other contexts may show about a
 * person's advertising audiences (never the IDs' signals).
 */
export async function segmentNamesOf(deps: DmpDeps, dmpIds: string[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const dmpId of dmpIds) for (const s of (await segmentsOf(deps, dmpId)).segments) ids.add(s);
  if (ids.size === 0) return [];
  const rows = await deps.db
    .selectFrom('dmp_segments')
    .select('name')
    .where('id', 'in', [...ids])
    .orderBy('name')
    .execute();
  return rows.map((r) => r.name);
}
