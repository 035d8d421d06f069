import { type RawBuilder, sql } from 'kysely';
import { enabledDestinations } from '../destinations/destination.repository.js';
import { enqueueActivations } from './activation.js';
import { maxEntries, type TraitSpec } from './aggregates.js';
import * as repo from './audience.repository.js';
import { rebuildAudience } from './backfill.js';
import { loadFacts, type MembershipChange } from './engine.js';
import { type Compiled, evaluate, type ProfileFacts } from './evaluate.js';
import { type AudienceInfo, loadModel } from './model.js';
import type { AudienceDeps } from './streaming.js';

/**
 * Full recompute of one audience. When the condition is made only of event counts (no
 * property filters) and profile traits, combined with and/or/not, the counts are one grouped
 * query over the events up to the streaming position instead of a replay of every profile's
 * history; the same `evaluate` then decides membership, and entries and exits are recorded
 * and queued exactly as the engine records them. Other conditions take the page-by-page path.
 *
 * The shortcut writes memberships only: the counters streaming keeps stay as they are (a
 * `recomputeAll` rebuilds those). Event times are compared as text, which equals comparing
 * them as times because the log stores canonical ISO-8601 UTC times with milliseconds.
 */
export async function recomputeAudience(
  deps: AudienceDeps,
  audienceId: string,
): Promise<{ changes: number; path: 'set' | 'pages' }> {
  const now = deps.clock.now();
  const changes = await deps.db.transaction().execute(async (trx) => {
    const position = await repo.lockAudienceState(trx, deps.clock);
    const model = await loadModel(trx);
    const audience = model.audiences.find((a) => a.id === audienceId);
    if (!audience || !setBased(audience)) return undefined;
    const counts = await countsByProfile(trx, audience.hidden, position, now.getTime());
    const withTraits = usesTraits(audience.compiled);
    const live = await trx
      .selectFrom('identity_profiles')
      .select(withTraits ? ['id', 'traits'] : ['id'])
      .where('merged_into', 'is', null)
      .orderBy('id')
      .execute();
    const current = new Set(
      (
        await trx
          .selectFrom('audience_members')
          .select('profile_id')
          .where('audience_id', '=', audienceId)
          .execute()
      ).map((r) => r.profile_id),
    );
    const at = now.toISOString();
    const changed: repo.NewMembershipChange[] = [];
    for (const row of live) {
      const raw = (row as { traits?: string }).traits;
      const facts: ProfileFacts = {
        traits: raw === undefined ? {} : (JSON.parse(raw) as Record<string, unknown>),
        values: counts.get(row.id) ?? noValues,
        members: noMembers,
        accounts: [],
      };
      const inside = evaluate(audience.compiled, facts, model.defaults);
      if (inside === current.has(row.id)) continue;
      changed.push({
        audienceId,
        profileId: row.id,
        kind: inside ? 'entered' : 'exited',
        at,
        seq: null,
        reason: 'recompute',
      });
    }
    const logIds = await repo.recordChanges(trx, changed);
    const changes: MembershipChange[] = changed.map((c, i) => ({
      logId: logIds[i] as number,
      audienceId,
      audienceKey: audience.key,
      audienceName: audience.name,
      profileId: c.profileId,
      kind: c.kind,
      at,
      seq: null,
    }));
    const destinations = await enabledDestinations(trx);
    if (destinations.length > 0 && changes.length > 0) {
      const ids = changes.map((c) => c.profileId);
      const { facts } = await loadFacts(trx, model, ids, new Map());
      await enqueueActivations(trx, { destinations, facts, events: [], changes, now });
    }
    return changes.length;
  });
  if (changes !== undefined) return { changes, path: 'set' };
  return { changes: await rebuildAudience(deps, audienceId), path: 'pages' };
}

const noValues = new Map<string, unknown>();
const noMembers = new Set<string>();

/** Whether an audience's condition can be computed from grouped event counts. */
export function setBased(audience: AudienceInfo): boolean {
  if (audience.accounts) return false;
  const counters = new Set(
    audience.hidden
      .filter((h) => h.kind === 'aggregate' && h.aggregation === 'count' && h.where.length === 0)
      .map((h) => h.id),
  );
  const ok = (c: Compiled): boolean => {
    switch (c.t) {
      case 'and':
      case 'or':
        return c.cs.every(ok);
      case 'not':
        return ok(c.c);
      case 'trait':
        return true;
      case 'count':
        return counters.has(c.traitId);
      default:
        return false;
    }
  };
  return ok(audience.compiled);
}

function usesTraits(c: Compiled): boolean {
  if (c.t === 'trait') return true;
  if (c.t === 'and' || c.t === 'or') return c.cs.some(usesTraits);
  if (c.t === 'not') return usesTraits(c.c);
  return false;
}

/**
 * Per profile, the value each counter would hold: matching track events up to `position`,
 * inside the rolling window (after `now - window`) or the fixed range, a rolling window
 * holding at most `maxEntries` of them. Profiles without any match are absent.
 */
async function countsByProfile(
  db: repo.Db,
  specs: TraitSpec[],
  position: number,
  now: number,
): Promise<Map<string, Map<string, unknown>>> {
  const out = new Map<string, Map<string, unknown>>();
  const counters = specs.flatMap((s) => (s.kind === 'aggregate' && s.event ? [s] : []));
  if (counters.length === 0) return out;
  const iso = (ms: number) => new Date(ms).toISOString();
  const columns = counters.map((s, k) => {
    let when: RawBuilder<unknown> = sql`e.event = ${s.event}`;
    if (s.windowMs !== undefined) when = sql`${when} and e.timestamp > ${iso(now - s.windowMs)}`;
    if (s.range)
      when = sql`${when} and e.timestamp >= ${iso(s.range.from)} and e.timestamp < ${iso(s.range.to)}`;
    return sql`sum(case when ${when} then 1 else 0 end) as ${sql.raw(`c${k}`)}`;
  });
  const names = [...new Set(counters.map((s) => s.event as string))];
  // The widest time range any counter reads, so the scan of the `events_audience` index
  // (event, type, timestamp) covers only that range of each name.
  const lower = counters.map((s) =>
    s.windowMs !== undefined ? now - s.windowMs : s.range ? s.range.from : undefined,
  );
  const upper = counters.map((s) => (s.windowMs === undefined && s.range ? s.range.to : undefined));
  let range: RawBuilder<unknown> = sql``;
  if (lower.every((x) => x !== undefined))
    range = sql`${range} and e.timestamp >= ${iso(Math.min(...(lower as number[])))}`;
  if (upper.every((x) => x !== undefined))
    range = sql`${range} and e.timestamp < ${iso(Math.max(...(upper as number[])))}`;
  // SQLite prefers the unique seq index, which then reads each row for its profile; the
  // placement index answers the join alone (PostgreSQL's planner finds it unaided).
  const placement = repo.onPostgres(db) ? sql`` : sql`indexed by identity_profile_events_placement`;
  const rows = await sql<Record<string, string | number>>`
    select pe.profile_id, ${sql.join(columns)}
    from events e
    join identity_profile_events pe ${placement} on pe.seq = e.seq
    where e.event in (${sql.join(names)}) and e.type = 'track' ${range} and e.seq <= ${position}
    group by pe.profile_id`.execute(db);
  for (const row of rows.rows) {
    const values = new Map<string, unknown>();
    counters.forEach((s, k) => {
      const n = Number(row[`c${k}`] ?? 0);
      if (n > 0) values.set(s.id, s.windowMs === undefined ? n : Math.min(n, maxEntries));
    });
    if (values.size > 0) out.set(String(row.profile_id), values);
  }
  return out;
}
