import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../../kernel/clock.js';
import { AppError } from '../../../kernel/errors.js';
import { newId } from '../../../kernel/ids.js';
import type { LogConsumer } from '../../../log/consumer.js';
import type { LoggedRecord } from '../../../log/event-log.js';
import { writeOffset } from '../../../log/table-log.js';
import type { DB } from '../../../storage/schema.js';
import { idKey } from './external-ids.js';
import * as repo from './graph.repository.js';
import { type ResolverContext, resolveEvent, type Separation } from './resolver.js';
import { createRules, type IdentityRule, parseBlocked } from './rules.js';

export interface IdentityDeps {
  db: Kysely<DB>;
  clock: Clock;
}

export interface IdentityOptions {
  /** Limit conflicts after which an identifier is reported as shared and stops merging. */
  sharedThreshold?: number;
}

export const identityConsumerName = 'identity';
const defaultSharedThreshold = 3;

/** Rules, separations and settings as stored now; read once per batch. */
export async function loadResolverContext(
  db: repo.Db,
  clock: Clock,
  opts: IdentityOptions = {},
): Promise<ResolverContext> {
  const [ruleRows, separationRows, sources] = await Promise.all([
    repo.listRules(db),
    repo.listSeparations(db),
    db.selectFrom('sources').select(['id', 'settings']).where('settings', '!=', '{}').execute(),
  ]);
  // Sources may rank their traits (the CRM over a web form); most have no setting (0).
  const sourcePriority = new Map<string, number>();
  for (const source of sources) {
    const priority = (JSON.parse(source.settings) as { traitPriority?: unknown }).traitPriority;
    if (typeof priority === 'number' && priority !== 0) sourcePriority.set(source.id, priority);
  }
  const rules: IdentityRule[] = ruleRows.map((row) => ({
    type: row.type,
    maxPerProfile: row.max_per_profile,
    priority: row.priority,
    blocked: (JSON.parse(row.blocked) as string[]).map(parseBlocked),
    windowDays: row.window_days ?? undefined,
  }));
  const separations: Separation[] = separationRows.map((row) => ({
    left: new Set(JSON.parse(row.left_ids) as string[]),
    right: new Set(JSON.parse(row.right_ids) as string[]),
  }));
  return {
    rules: createRules(rules),
    separations,
    sharedThreshold: opts.sharedThreshold ?? defaultSharedThreshold,
    sourcePriority,
    clock,
  };
}

/**
 * The identity graph as a consumer of the event log. Each batch is resolved and its offset
 * committed in one transaction: a batch is applied exactly once, even across crashes.
 */
export function identityConsumer(deps: IdentityDeps, opts: IdentityOptions = {}): LogConsumer {
  const apply = (records: LoggedRecord[], commitOffset: boolean) =>
    deps.db.transaction().execute(async (trx) => {
      const ctx = await loadResolverContext(trx, deps.clock, opts);
      for (const record of records) {
        await resolveEvent(trx, ctx, {
          seq: record.seq,
          sourceId: record.sourceId,
          timestamp: record.timestamp,
          payload: JSON.parse(record.payload),
        });
      }
      const last = records.at(-1);
      if (commitOffset && last) await writeOffset(trx, deps.clock, identityConsumerName, last.seq);
    });
  return {
    name: identityConsumerName,
    async process(records: LoggedRecord[]) {
      if (records.length > 0) await apply(records, true);
    },
    // Events already in the graph are skipped, so a replay only fills in what is missing.
    async replay(records: LoggedRecord[]) {
      if (records.length > 0) await apply(records, false);
    },
  };
}

/**
 * Reverses a merge. The two sides' identifiers become a separation (they will not merge
 * again), then the part of the graph connected to them is rebuilt by replaying its events in
 * log order, so the result is exactly what a fresh replay with that separation would build.
 * Profiles get their original IDs back.
 */
export async function unmerge(
  deps: IdentityDeps,
  mergeId: string,
  actor: string,
  opts: IdentityOptions = {},
): Promise<{ unmergeId: string; profiles: string[] }> {
  return deps.db.transaction().execute(async (trx) => {
    const merge = await trx
      .selectFrom('identity_merge_log')
      .selectAll()
      .where('id', '=', mergeId)
      .executeTakeFirst();
    if (merge?.kind !== 'merge') throw new AppError('not_found', `merge ${mergeId} was not found`);
    if (merge.reversed_by !== null)
      throw new AppError(
        'conflict',
        `merge ${mergeId} was already reversed by ${merge.reversed_by}`,
      );
    const reason = JSON.parse(merge.reason) as {
      survivorIdentifiers: string[];
      absorbedIdentifiers: string[];
    };
    const now = deps.clock.now().toISOString();
    await trx
      .insertInto('identity_separations')
      .values({
        id: newId('separation'),
        left_ids: JSON.stringify(reason.survivorIdentifiers),
        right_ids: JSON.stringify(reason.absorbedIdentifiers),
        merge_id: mergeId,
        created_at: now,
      })
      .execute();
    const seed = [...reason.survivorIdentifiers, ...reason.absorbedIdentifiers];
    const profiles = await rebuild(trx, deps.clock, seed, opts);
    const unmergeId = newId('merge');
    await trx
      .insertInto('identity_merge_log')
      .values({
        id: unmergeId,
        kind: 'unmerge',
        profile_id: merge.profile_id,
        other_profile_id: merge.other_profile_id,
        seq: null,
        reason: JSON.stringify({ reverses: mergeId, by: actor }),
        created_at: now,
        reversed_by: null,
      })
      .execute();
    await trx
      .updateTable('identity_merge_log')
      .set({ reversed_by: unmergeId })
      .where('id', '=', mergeId)
      .execute();
    return { unmergeId, profiles };
  });
}

/** Rebuilds every profile connected (through events) to the seed identifiers. */
async function rebuild(
  trx: Transaction<DB>,
  clock: Clock,
  seed: string[],
  opts: IdentityOptions,
): Promise<string[]> {
  const seqs = new Set<number>();
  const profiles = new Set<string>();
  let frontier = new Set(seed);
  const seen = new Set<string>();
  while (frontier.size > 0) {
    const keys = [...frontier].filter((k) => !seen.has(k));
    for (const k of keys) seen.add(k);
    frontier = new Set();
    if (keys.length === 0) break;
    const ids = keys.map((k) => {
      const at = k.indexOf(':');
      return { type: k.slice(0, at), value: k.slice(at + 1) };
    });
    const newSeqs = new Set<number>();
    for (let i = 0; i < ids.length; i += 200) {
      const chunk = ids.slice(i, i + 200);
      const rows = await trx
        .selectFrom('identity_event_ids')
        .select('seq')
        .where((eb) =>
          eb.or(chunk.map((id) => eb.and([eb('type', '=', id.type), eb('value', '=', id.value)]))),
        )
        .execute();
      for (const row of rows) if (!seqs.has(row.seq)) newSeqs.add(row.seq);
      const held = await repo.findIdentifiers(trx, chunk);
      for (const h of held) profiles.add(h.profile_id);
    }
    // Every event of a touched profile belongs to the rebuilt part too.
    if (profiles.size > 0) {
      const rows = await trx
        .selectFrom('identity_profile_events')
        .select('seq')
        .where('profile_id', 'in', [...profiles])
        .execute();
      for (const row of rows) if (!seqs.has(row.seq)) newSeqs.add(row.seq);
    }
    if (newSeqs.size === 0) break;
    for (const seq of newSeqs) seqs.add(seq);
    const list = [...newSeqs];
    for (let i = 0; i < list.length; i += 500) {
      const mentioned = await trx
        .selectFrom('identity_event_ids')
        .select(['type', 'value'])
        .where('seq', 'in', list.slice(i, i + 500))
        .execute();
      for (const m of mentioned) if (!seen.has(idKey(m))) frontier.add(idKey(m));
      const attached = await trx
        .selectFrom('identity_profile_events')
        .select('profile_id')
        .where('seq', 'in', list.slice(i, i + 500))
        .execute();
      for (const a of attached) profiles.add(a.profile_id);
    }
  }
  const seqList = [...seqs].sort((a, b) => a - b);
  const originOf = new Map<number, string>();
  for (let i = 0; i < seqList.length; i += 500) {
    const rows = await trx
      .selectFrom('identity_profile_events')
      .select(['seq', 'origin_profile_id'])
      .where('seq', 'in', seqList.slice(i, i + 500))
      .execute();
    for (const row of rows) originOf.set(row.seq, row.origin_profile_id);
  }
  const profileList = [...profiles];
  const merged =
    profileList.length === 0
      ? []
      : await trx
          .selectFrom('identity_profiles')
          .select('id')
          .where('merged_into', 'in', profileList)
          .execute();
  const allProfiles = [...new Set([...profileList, ...merged.map((m) => m.id)])];
  const loggedMerges = new Set(
    (
      await trx
        .selectFrom('identity_merge_log')
        .select(['profile_id', 'other_profile_id'])
        .where('kind', '=', 'merge')
        .where('reversed_by', 'is', null)
        .execute()
    ).map((m) => `${m.profile_id}>${m.other_profile_id}`),
  );
  for (let i = 0; i < allProfiles.length; i += 500) {
    const chunk = allProfiles.slice(i, i + 500);
    await trx.deleteFrom('identity_identifiers').where('profile_id', 'in', chunk).execute();
    await trx.deleteFrom('identity_profiles').where('id', 'in', chunk).execute();
  }
  for (let i = 0; i < seqList.length; i += 500) {
    await trx
      .deleteFrom('identity_profile_events')
      .where('seq', 'in', seqList.slice(i, i + 500))
      .execute();
  }
  const ctx = {
    ...(await loadResolverContext(trx, clock, opts)),
    rebuild: { originOf, loggedMerges },
  };
  for (let i = 0; i < seqList.length; i += 500) {
    const events = await trx
      .selectFrom('events')
      .select(['seq', 'source_id', 'timestamp', 'payload'])
      .where('seq', 'in', seqList.slice(i, i + 500))
      .orderBy('seq')
      .execute();
    for (const e of events)
      await resolveEvent(trx, ctx, {
        seq: e.seq,
        sourceId: e.source_id,
        timestamp: e.timestamp,
        payload: JSON.parse(e.payload),
      });
  }
  const after =
    seqList.length === 0
      ? []
      : await trx
          .selectFrom('identity_profile_events')
          .select('profile_id')
          .distinct()
          .where('seq', 'in', seqList.slice(0, 500))
          .execute();
  return after.map((a) => a.profile_id);
}

/** Identifiers flagged as shared (seen on too many distinct people), most conflicts first. */
export async function listSharedIdentifiers(db: Kysely<DB>) {
  const rows = await db
    .selectFrom('identity_shared_identifiers')
    .selectAll()
    .where('flagged_at', 'is not', null)
    .orderBy('conflicts', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    type: r.type,
    value: r.value,
    conflicts: r.conflicts,
    flaggedAt: r.flagged_at ?? '',
  }));
}

/**
 * Waits until the identity consumer committed at least `seq`: a profile is only known once
 * the identity graph placed the event, so audiences read its committed offset and trail it.
 */
export async function waitForIdentity(
  db: Kysely<DB>,
  seq: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pause = 2;
  for (;;) {
    const row = await db
      .selectFrom('log_offsets')
      .select('position')
      .where('consumer', '=', identityConsumerName)
      .executeTakeFirst();
    if ((row?.position ?? 0) >= seq) return;
    if (Date.now() > deadline)
      throw new Error(`identity has not placed log position ${seq} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(50, pause * 2);
  }
}
