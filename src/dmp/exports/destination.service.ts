import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { iso } from '../../kernel/clock.js';
import { AppError, badRequest, conflict, notFound } from '../../kernel/errors.js';
import { type Page, toPage } from '../../kernel/pagination.js';
import type { DB } from '../../storage/schema.js';
import type { DmpDeps } from '../collect/collect.service.js';
import { assertNoPiiText } from '../collect/firewall.js';
import { findSegment } from '../segments/segment.repository.js';
import { findPartner } from '../sync/partner.repository.js';
import { findTrait } from '../traits/trait.repository.js';
import * as repo from './export.repository.js';
import type { DmpDestinationRow, DmpExportMappingRow } from './export.tables.js';
import { type DestinationLabel, describeConflicts } from './labels.js';
import { mappingConflicts } from './segment-labels.js';

type Deps = Pick<DmpDeps, 'db' | 'clock' | 'dmp'>;

export type IdType = DmpDestinationRow['id_type'];

export interface DestinationInput {
  name: string;
  kind: 'batch' | 'push';
  idType: IdType;
  partnerId?: string | undefined;
  url?: string | undefined;
  labels?: DestinationLabel[] | undefined;
  minSegmentSize?: number | undefined;
  enabled?: boolean | undefined;
}

export type DestinationChanges = Partial<
  Pick<DestinationInput, 'name' | 'url' | 'labels' | 'minSegmentSize' | 'enabled'>
>;

export function toDestination(row: DmpDestinationRow, withSecret = false) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    idType: row.id_type,
    partnerId: row.partner_id,
    url: row.url,
    labels: JSON.parse(row.labels) as string[],
    minSegmentSize: row.min_segment_size,
    enabled: row.enabled === 1,
    failedAttempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(withSecret && row.secret ? { secret: row.secret } : {}),
  };
}
export type Destination = ReturnType<typeof toDestination>;

export function toMapping(row: DmpExportMappingRow) {
  return {
    id: row.id,
    destinationId: row.destination_id,
    segmentId: row.segment_id,
    key: row.segment_key,
    status: row.status,
    reason: row.reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
export type Mapping = ReturnType<typeof toMapping>;

/** Creation time first, so IDs sort roughly by age (keyset pages); randomness for uniqueness. */
const recordId = (prefix: string, now: Date) =>
  `${prefix}_${now.getTime().toString(36)}${randomBytes(8).toString('hex')}`;

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest('url is not a valid URL', [{ field: 'url', message: 'not a URL' }]);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw badRequest('url must be http or https', [{ field: 'url', message: 'http(s) only' }]);
  if (parsed.username || parsed.password)
    throw badRequest('url may not carry credentials', [{ field: 'url', message: 'no user:pass@' }]);
}

/** The floor of every destination: the configured minimum segment size. */
function checkMinSize(deps: Deps, value: number | undefined): number {
  const floor = deps.dmp.config.minSegmentSize;
  if (value === undefined) return floor;
  if (value < floor)
    throw badRequest(`minSegmentSize may not be below the configured minimum (${floor})`, [
      { field: 'minSegmentSize', message: `at least ${floor}` },
    ]);
  return value;
}

export async function requireDestination(db: Kysely<DB>, id: string): Promise<DmpDestinationRow> {
  const row = await repo.findDestination(db, id);
  if (!row) throw notFound(`destination ${id}`);
  return row;
}

export async function createDestination(deps: Deps, input: DestinationInput): Promise<Destination> {
  assertNoPiiText(input.name, 'name');
  if (input.kind === 'push') {
    if (input.url === undefined)
      throw badRequest('push destinations need a url', [{ field: 'url', message: 'required' }]);
    checkUrl(input.url);
  } else if (input.url !== undefined) {
    throw badRequest('batch destinations have no url', [{ field: 'url', message: 'not allowed' }]);
  }
  if ((input.idType === 'partner_uid') !== (input.partnerId !== undefined))
    throw badRequest('partnerId is required with idType partner_uid, and only with it', [
      { field: 'partnerId', message: 'only with partner_uid' },
    ]);
  if (input.partnerId !== undefined && !(await findPartner(deps.db, input.partnerId)))
    throw badRequest(`unknown partner ${input.partnerId}`, [
      { field: 'partnerId', message: 'no such sync partner' },
    ]);
  const now = iso(deps.clock.now());
  const row: DmpDestinationRow = {
    id: recordId('dxd', deps.clock.now()),
    name: input.name.trim(),
    kind: input.kind,
    id_type: input.idType,
    partner_id: input.partnerId ?? null,
    url: input.url ?? null,
    secret: input.kind === 'push' ? `whsec_${randomBytes(24).toString('base64url')}` : null,
    labels: JSON.stringify([...new Set(input.labels ?? [])].sort()),
    min_segment_size: checkMinSize(deps, input.minSegmentSize),
    enabled: input.enabled === false ? 0 : 1,
    attempts: 0,
    next_attempt_at: null,
    lease_until: null,
    run_seq: 0,
    created_at: now,
    updated_at: now,
  };
  await repo.insertDestination(deps.db, row);
  return toDestination(row, true);
}

export async function getDestination(deps: Pick<Deps, 'db'>, id: string): Promise<Destination> {
  return toDestination(await requireDestination(deps.db, id));
}

export async function listDestinations(
  deps: Pick<Deps, 'db'>,
  opts: { after?: string; limit: number },
): Promise<Page<Destination>> {
  const rows = await repo.listDestinations(deps.db, opts);
  return toPage(
    rows,
    opts.limit,
    (r) => toDestination(r),
    (r) => ({ id: r.id }),
  );
}

/**
 * Changes a destination. New labels take effect at once: mappings whose segments' data labels
 * now conflict are disabled (what they delivered is taken back by the next export) and listed
 * in the answer.
 */
export async function updateDestination(
  deps: Deps,
  id: string,
  changes: DestinationChanges,
): Promise<Destination & { disabledMappings: Mapping[] }> {
  const row = await requireDestination(deps.db, id);
  if (changes.name !== undefined) assertNoPiiText(changes.name, 'name');
  if (changes.url !== undefined) {
    if (row.kind !== 'push')
      throw badRequest('batch destinations have no url', [
        { field: 'url', message: 'not allowed' },
      ]);
    checkUrl(changes.url);
  }
  const update = {
    name: changes.name?.trim() ?? row.name,
    url: changes.url ?? row.url,
    labels: changes.labels ? JSON.stringify([...new Set(changes.labels)].sort()) : row.labels,
    min_segment_size:
      changes.minSegmentSize === undefined
        ? Math.max(row.min_segment_size, deps.dmp.config.minSegmentSize)
        : checkMinSize(deps, changes.minSegmentSize),
    enabled: changes.enabled === undefined ? row.enabled : changes.enabled ? 1 : 0,
    updated_at: iso(deps.clock.now()),
  };
  const disabled = await deps.db.transaction().execute(async (trx) => {
    await repo.updateDestination(trx, id, update);
    const mappings = (await repo.mappingsOf(trx, id)).filter((m) => m.status === 'active');
    return disableConflicting(trx, mappings, update.updated_at);
  });
  return { ...toDestination({ ...row, ...update }), disabledMappings: disabled.map(toMapping) };
}

export async function deleteDestination(deps: Pick<Deps, 'db'>, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await requireDestination(trx, id);
    await repo.deleteDestination(trx, id);
  });
}

/**
 * Disables the mappings among these whose segment's data labels conflict with their
 * destination's labels; returns them as disabled.
 */
export async function disableConflicting(
  db: Kysely<DB>,
  mappings: DmpExportMappingRow[],
  now: string,
): Promise<DmpExportMappingRow[]> {
  const out: DmpExportMappingRow[] = [];
  for (const mapping of mappings) {
    const conflicts = await mappingConflicts(db, mapping);
    if (conflicts.length === 0) continue;
    const reason = describeConflicts(conflicts);
    await repo.updateMapping(db, mapping.id, { status: 'disabled', reason, updated_at: now });
    out.push({ ...mapping, status: 'disabled', reason, updated_at: now });
  }
  return out;
}

const conflictError = (detail: string) =>
  new AppError('conflict', `The segment's data may not go to this destination: ${detail}`, [
    { field: 'segmentId', message: detail },
  ]);

export async function createMapping(
  deps: Deps,
  destinationId: string,
  input: { segmentId: string; key: string },
): Promise<Mapping> {
  assertNoPiiText(input.key, 'key');
  const now = iso(deps.clock.now());
  const row: DmpExportMappingRow = {
    id: recordId('dxm', deps.clock.now()),
    destination_id: destinationId,
    segment_id: input.segmentId,
    segment_key: input.key,
    status: 'active',
    reason: null,
    created_at: now,
    updated_at: now,
  };
  await deps.db.transaction().execute(async (trx) => {
    await requireDestination(trx, destinationId);
    if (!(await findSegment(trx, input.segmentId))) throw notFound(`segment ${input.segmentId}`);
    const existing = await repo.mappingsOf(trx, destinationId);
    const same = existing.find((m) => m.segment_id === input.segmentId);
    if (same?.status === 'retired')
      throw conflict(
        `segment ${input.segmentId} is being taken back from this destination; export once, then map it again`,
      );
    if (same) throw conflict(`segment ${input.segmentId} is already mapped (${same.id})`);
    if (existing.some((m) => m.segment_key === input.key))
      throw conflict(`key ${input.key} is already used on this destination`);
    const conflicts = await mappingConflicts(trx, row);
    if (conflicts.length > 0) throw conflictError(describeConflicts(conflicts));
    await repo.insertMapping(trx, row);
  });
  return toMapping(row);
}

export async function listMappings(deps: Pick<Deps, 'db'>, destinationId: string) {
  await requireDestination(deps.db, destinationId);
  return (await repo.mappingsOf(deps.db, destinationId)).map(toMapping);
}

/** Enables or disables a mapping; enabling re-checks the labels (409 on a conflict). */
export async function setMappingEnabled(
  deps: Deps,
  destinationId: string,
  mappingId: string,
  enabled: boolean,
): Promise<Mapping> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await repo.findMapping(trx, destinationId, mappingId);
    if (!row || row.status === 'retired') throw notFound(`mapping ${mappingId}`);
    const now = iso(deps.clock.now());
    if (enabled) {
      const conflicts = await mappingConflicts(trx, row);
      if (conflicts.length > 0) throw conflictError(describeConflicts(conflicts));
    }
    const changes = enabled
      ? { status: 'active' as const, reason: null, updated_at: now }
      : { status: 'disabled' as const, reason: 'disabled by a user', updated_at: now };
    await repo.updateMapping(trx, row.id, changes);
    return toMapping({ ...row, ...changes });
  });
}

/**
 * Deletes a mapping. IDs it delivered are taken back first: the mapping is `retired` until the
 * next export or push carries their removals, then it goes.
 */
export async function deleteMapping(deps: Deps, destinationId: string, mappingId: string) {
  await deps.db.transaction().execute(async (trx) => {
    const row = await repo.findMapping(trx, destinationId, mappingId);
    if (!row || row.status === 'retired') throw notFound(`mapping ${mappingId}`);
    if (await repo.holdsAny(trx, destinationId, row.segment_id)) {
      await repo.updateMapping(trx, row.id, {
        status: 'retired',
        reason: 'deleted; delivered IDs are removed by the next export',
        updated_at: iso(deps.clock.now()),
      });
    } else {
      await repo.deleteMapping(trx, row.id);
    }
  });
}

/** A trait's data labels. */
export async function getTraitLabels(deps: Pick<Deps, 'db'>, traitId: string) {
  if (!(await findTrait(deps.db, traitId))) throw notFound(`trait ${traitId}`);
  return { traitId, labels: (await repo.traitLabels(deps.db, [traitId])).get(traitId) ?? [] };
}

/**
 * Replaces a trait's data labels. A new restriction takes effect at once: every active mapping
 * of a segment using the trait that now conflicts is disabled (and listed in the answer),
 * rather than the restriction being refused while the data keeps flowing.
 */
export async function setTraitLabels(deps: Deps, traitId: string, labels: string[]) {
  const unique = [...new Set(labels)].sort();
  const disabled = await deps.db.transaction().execute(async (trx) => {
    if (!(await findTrait(trx, traitId))) throw notFound(`trait ${traitId}`);
    await repo.replaceTraitLabels(trx, traitId, unique);
    const segments = await trx
      .selectFrom('dmp_segments')
      .select('id')
      .where('expression', 'like', `%${traitId}%`)
      .execute();
    const mappings = await repo.activeMappingsOfSegments(
      trx,
      segments.map((s) => s.id),
    );
    return disableConflicting(trx, mappings, iso(deps.clock.now()));
  });
  return { traitId, labels: unique, disabledMappings: disabled.map(toMapping) };
}
