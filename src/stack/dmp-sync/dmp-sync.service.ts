import {
  addDmpListMembers,
  type DmpListKind,
  dmpListSizes,
  dropDmpList,
  ensureDmpList,
  isDmpListName,
  removeDmpListMembers,
} from '../../dmp/index.js';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { consentAllows, consentsFor } from '../../privacy/index.js';
import * as repo from './dmp-sync.repository.js';

type SyncDeps = Pick<Deps, 'db' | 'clock'>;

export interface SyncListInput {
  name: string;
  /** Audience ID or key. */
  audience: string;
  kind: DmpListKind;
}

export interface SyncListView {
  name: string;
  kind: DmpListKind;
  audience: { id: string; key: string; name: string } | null;
  size: number;
  belowMinimum: boolean;
  sweptAt: string | null;
}

/**
 * Replaces the whole configuration. Lists left out are dropped from the DMP at once; new or
 * changed ones are filled by the next run of the sync job (a full sweep of their audience).
 */
export async function configureDmpSync(
  deps: SyncDeps,
  lists: SyncListInput[],
  minSegmentSize: number,
): Promise<SyncListView[]> {
  const issues: ErrorDetail[] = [];
  const names = new Set<string>();
  lists.forEach((l, i) => {
    if (!isDmpListName(l.name)) {
      issues.push({ field: `lists[${i}].name`, message: 'must match ^[a-z0-9][a-z0-9_-]{0,63}$' });
    } else if (names.has(l.name)) {
      issues.push({ field: `lists[${i}].name`, message: 'is used twice' });
    }
    names.add(l.name);
  });
  const audiences = await repo.findAudiences(
    deps.db,
    lists.map((l) => l.audience),
  );
  const audienceOf = (ref: string) => audiences.find((a) => a.id === ref || a.key === ref);
  lists.forEach((l, i) => {
    if (!audienceOf(l.audience)) {
      issues.push({ field: `lists[${i}].audience`, message: `no audience ${l.audience}` });
    }
  });
  if (issues.length > 0) throw new AppError('validation_failed', 'Invalid DMP sync lists', issues);

  // One transaction: a crash half-way never leaves the DMP with lists nobody configured.
  await deps.db.transaction().execute(async (tx) => {
    const now = iso(deps.clock.now());
    const existing = new Map((await repo.listSyncRows(tx)).map((r) => [r.name, r]));
    for (const [name] of existing) {
      if (names.has(name)) continue;
      await tx.deleteFrom('dmp_sync_members').where('list_name', '=', name).execute();
      await tx.deleteFrom('dmp_sync_lists').where('name', '=', name).execute();
      await dropDmpList(tx, name);
    }
    for (const l of lists) {
      const audienceId = audienceOf(l.audience)?.id ?? '';
      const before = existing.get(l.name);
      if (before && before.audience_id === audienceId && before.kind === l.kind) continue;
      if (before) {
        // Another audience or kind: start the list over, the sweep refills it.
        await tx.deleteFrom('dmp_sync_members').where('list_name', '=', l.name).execute();
        await dropDmpList(tx, l.name);
      }
      await tx
        .insertInto('dmp_sync_lists')
        .values({
          name: l.name,
          audience_id: audienceId,
          kind: l.kind,
          created_at: now,
          updated_at: now,
          swept_at: null,
        })
        .onConflict((oc) =>
          oc.column('name').doUpdateSet({
            audience_id: audienceId,
            kind: l.kind,
            updated_at: now,
            swept_at: null,
          }),
        )
        .execute();
      await ensureDmpList({ db: tx, clock: deps.clock }, l.name, l.kind);
    }
  });
  return dmpSyncStatus(deps, minSegmentSize);
}

/** Each configured list with its audience and its size on the DMP side. */
export async function dmpSyncStatus(
  deps: SyncDeps,
  minSegmentSize: number,
): Promise<SyncListView[]> {
  const rows = await repo.listSyncRows(deps.db);
  const audiences = await repo.findAudiences(
    deps.db,
    rows.map((r) => r.audience_id),
  );
  const sizes = new Map((await dmpListSizes(deps.db, minSegmentSize)).map((s) => [s.name, s]));
  return rows.map((r) => {
    const size = sizes.get(r.name)?.size ?? 0;
    const audience = audiences.find((a) => a.id === r.audience_id);
    return {
      name: r.name,
      kind: r.kind as DmpListKind,
      audience: audience ? { id: audience.id, key: audience.key, name: audience.name } : null,
      size,
      belowMinimum: size < minSegmentSize,
      sweptAt: r.swept_at,
    };
  });
}

interface ListRef {
  name: string;
  audience_id: string;
}

/**
 * Brings one profile's DMP IDs on one list to what they should be: its `dmp_id` identifiers
 * when it is in the audience and consents to both advertising and profiling, none otherwise.
 * State-based, so running it twice (or after a crash) changes nothing more.
 */
export async function reconcileProfile(
  deps: SyncDeps,
  list: ListRef,
  profileId: string,
): Promise<void> {
  let wanted: string[] = [];
  if (await repo.isMember(deps.db, list.audience_id, profileId)) {
    const identifiers = await repo.profileIdentifiers(deps.db, profileId);
    const consents = await consentsFor(deps.db, identifiers);
    if (consentAllows(consents, 'advertising') && consentAllows(consents, 'profiling')) {
      wanted = identifiers.filter((i) => i.type === 'dmp_id').map((i) => i.value);
    }
  }
  const have = await repo.syncedIdsOf(deps.db, list.name, profileId);
  const toAdd = wanted.filter((id) => !have.includes(id));
  const toRemove = have.filter((id) => !wanted.includes(id));
  if (toAdd.length > 0) {
    await deps.db
      .insertInto('dmp_sync_members')
      .values(toAdd.map((dmp_id) => ({ list_name: list.name, profile_id: profileId, dmp_id })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  if (wanted.length > 0) {
    // Every wanted ID is offered again (idempotent on the DMP side): a seed list takes an ID
    // only once the DMP holds it, which may be after the profile first qualified. The DMP
    // refuses anything that is not a DMP ID, so a mistyped identifier never reaches it.
    await addDmpListMembers(deps, list.name, wanted);
  }
  if (toRemove.length > 0) {
    await deps.db
      .deleteFrom('dmp_sync_members')
      .where('list_name', '=', list.name)
      .where('profile_id', '=', profileId)
      .where('dmp_id', 'in', toRemove)
      .execute();
    await removeDmpListMembers(
      deps.db,
      list.name,
      await repo.orphanedIds(deps.db, list.name, toRemove),
    );
  }
}

export interface DmpSyncReport {
  swept: number;
  logEntries: number;
  reconciled: number;
}

const logBatch = 500;
const sweepEveryMs = 3_600_000;

/**
 * One run of the sync: lists never swept (or not for an hour) are reconciled member by member,
 * catching consent and identifier changes the membership log does not show; then the log is
 * followed from the sync's own offset and every profile it names is reconciled.
 */
export async function runDmpSync(deps: SyncDeps): Promise<DmpSyncReport> {
  const report: DmpSyncReport = { swept: 0, logEntries: 0, reconciled: 0 };
  const lists = await repo.listSyncRows(deps.db);
  const now = deps.clock.now();
  for (const list of lists) {
    if (list.swept_at !== null && now.getTime() - Date.parse(list.swept_at) < sweepEveryMs) {
      continue;
    }
    for (const profileId of await repo.sweepProfiles(deps.db, list.audience_id, list.name)) {
      await reconcileProfile(deps, list, profileId);
      report.reconciled++;
    }
    await deps.db
      .updateTable('dmp_sync_lists')
      .set({ swept_at: iso(now) })
      .where('name', '=', list.name)
      .execute();
    report.swept++;
  }
  const byAudience = new Map<string, ListRef[]>();
  for (const l of lists)
    byAudience.set(l.audience_id, [...(byAudience.get(l.audience_id) ?? []), l]);
  let offset = await repo.readOffset(deps.db);
  for (;;) {
    const entries = await repo.membershipLogAfter(deps.db, offset, logBatch);
    if (entries.length === 0) break;
    const seen = new Set<string>();
    for (const e of entries) {
      for (const list of byAudience.get(e.audience_id) ?? []) {
        const key = `${list.name}\u0000${e.profile_id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        await reconcileProfile(deps, list, e.profile_id);
        report.reconciled++;
      }
    }
    offset = entries[entries.length - 1]?.id ?? offset;
    await repo.writeOffset(deps.db, offset);
    report.logEntries += entries.length;
    if (entries.length < logBatch) break;
  }
  return report;
}
