import type { Kysely } from 'kysely';
import type { Principal } from '../../access/roles.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError } from '../../kernel/errors.js';
import type { DB } from '../../storage/schema.js';
import { scopeOf } from '../owners/owner.service.js';
import { isClosedStage, isWonStage, type Pipeline } from '../pipelines/pipeline.js';
import { loadPipelines } from '../pipelines/pipeline.service.js';
import type { GroupBy, Report, ReportRow } from './report.js';
import { groupBy, mean, median, monthOf, periodOf, ratio, round } from './report.js';
import * as repo from './report.repository.js';

export interface ReportQuery {
  ownerId?: string | undefined;
  teamId?: string | undefined;
  pipeline?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  dateProperty?: 'closedate' | 'createdate' | undefined;
  groupBy?: GroupBy | undefined;
}

/** What every report needs: who is in which team, names, and the stages of each pipeline. */
export interface Lookup {
  teamOf: Map<string, { id: string; name: string }>;
  teamNames: Map<string, string>;
  userNames: Map<string, string>;
  pipelines: Pipeline[];
}

export interface Item {
  id: number;
  owner: string | null;
  pipeline: string | null;
  stage: string | null;
  createdAt: number;
  properties: Record<string, string>;
}

async function lookup(db: Kysely<DB>, type: 'deals' | 'tickets'): Promise<Lookup> {
  const members = await repo.teamMemberRows(db);
  const teamOf = new Map<string, { id: string; name: string }>();
  const teamNames = new Map<string, string>();
  // A user's primary team wins; otherwise the first team they joined.
  for (const m of [...members].sort((a, b) => b.is_primary - a.is_primary)) {
    teamNames.set(String(m.team_id), m.name);
    if (!teamOf.has(m.user_id)) teamOf.set(m.user_id, { id: String(m.team_id), name: m.name });
  }
  const userNames = new Map((await repo.userLabels(db)).map((u) => [u.id, u.name ?? u.email]));
  return { teamOf, teamNames, userNames, pipelines: await loadPipelines(db, type) };
}

/**
 * The records a report covers: the caller's owner-based visibility, then the owner, team and
 * pipeline filters. Unknown owners, teams or pipelines are input errors, not empty reports.
 */
export async function itemsFor(
  deps: Pick<Deps, 'db'>,
  principal: Principal,
  type: 'deals' | 'tickets',
  q: ReportQuery,
): Promise<{ items: Item[]; lookup: Lookup }> {
  const look = await lookup(deps.db, type);
  let owners: string[] | undefined;
  const scope = await scopeOf(deps.db, principal);
  if (scope.kind === 'owners') owners = scope.ownerIds;
  if (q.ownerId !== undefined) {
    if (!look.userNames.has(q.ownerId)) throw badFilter('ownerId', `${q.ownerId} is not an owner`);
    owners = (owners ?? [q.ownerId]).filter((o) => o === q.ownerId);
  }
  if (q.teamId !== undefined) {
    if (!look.teamNames.has(q.teamId)) throw badFilter('teamId', `${q.teamId} is not a team`);
    const inTeam = [...look.teamOf.entries()]
      .filter(([, team]) => team.id === q.teamId)
      .map(([user]) => user);
    const all = await repo.teamMemberRows(deps.db);
    const members = new Set([
      ...inTeam,
      ...all.filter((m) => String(m.team_id) === q.teamId).map((m) => m.user_id),
    ]);
    owners = (owners ?? [...members]).filter((o) => members.has(o));
  }
  if (q.pipeline !== undefined && !look.pipelines.some((p) => p.id === q.pipeline)) {
    throw badFilter('pipeline', `${q.pipeline} is not a ${type} pipeline`);
  }
  const props = type === 'deals' ? ['pipeline', 'dealstage'] : ['hs_pipeline', 'hs_pipeline_stage'];
  const rows =
    owners !== undefined && owners.length === 0 ? [] : await repo.recordRows(deps.db, type, owners);
  const items = rows
    .map((r) => {
      const properties = JSON.parse(r.properties) as Record<string, string>;
      return {
        id: Number(r.id),
        owner: r.owner_id,
        pipeline: properties[props[0] ?? ''] ?? null,
        stage: properties[props[1] ?? ''] ?? null,
        createdAt: Date.parse(r.created_at),
        properties,
      };
    })
    .filter((i) => q.pipeline === undefined || i.pipeline === q.pipeline);
  return { items, lookup: look };
}

const badFilter = (field: string, message: string) =>
  new AppError('bad_request', message, [{ field, message }]);

export function stageOf(look: Lookup, pipeline: string | null, stage: string | null) {
  return look.pipelines.find((p) => p.id === pipeline)?.stages.find((s) => s.id === stage);
}

/** The date an item's period and month are read from. */
export function dateOf(item: Item, dateProperty: 'closedate' | 'createdate'): number | undefined {
  if (dateProperty === 'createdate') return item.createdAt;
  const raw = item.properties.closedate;
  return raw === undefined ? undefined : Date.parse(raw);
}

/** A group key and its label for an item (`month` uses `at`). */
export function keyOf(
  look: Lookup,
  by: GroupBy,
  item: Item,
  at: number | undefined,
): { key: string | null; label: string | null } {
  switch (by) {
    case 'owner':
      return {
        key: item.owner,
        label: item.owner ? (look.userNames.get(item.owner) ?? null) : null,
      };
    case 'team': {
      const team = item.owner ? look.teamOf.get(item.owner) : undefined;
      return { key: team?.id ?? null, label: team?.name ?? null };
    }
    case 'pipeline':
      return {
        key: item.pipeline,
        label: look.pipelines.find((p) => p.id === item.pipeline)?.label ?? null,
      };
    case 'stage':
      return { key: item.stage, label: stageOf(look, item.pipeline, item.stage)?.label ?? null };
    case 'month':
      return { key: at === undefined ? null : monthOf(at), label: null };
  }
}

/** Rows of a report: one per group with the metrics `measure` computes over its items. */
export function rowsOf<T extends Item>(
  look: Lookup,
  by: GroupBy,
  items: T[],
  at: (item: T) => number | undefined,
  measure: (items: T[]) => Record<string, unknown>,
): ReportRow[] {
  const labels = new Map<string | null, string | null>();
  const groups = groupBy(items, (item) => {
    const k = keyOf(look, by, item, at(item));
    labels.set(k.key, k.label);
    return k.key;
  });
  const rows = [...groups.entries()].map(([key, list]) => ({
    key,
    label: labels.get(key) ?? null,
    ...measure(list),
  }));
  if (by === 'stage') {
    // Stages read best in pipeline order.
    const order = new Map(
      look.pipelines.flatMap((p) => p.stages.map((s, i) => [s.id, p.displayOrder * 1000 + i])),
    );
    rows.sort((a, b) => (order.get(a.key ?? '') ?? 1e9) - (order.get(b.key ?? '') ?? 1e9));
  }
  return rows;
}

// Deal reports

interface Deal extends Item {
  amount: number;
  probability: number;
  closed: boolean;
  won: boolean;
}

async function deals(
  deps: Pick<Deps, 'db'>,
  principal: Principal,
  q: ReportQuery,
): Promise<{ deals: Deal[]; look: Lookup; at: (d: Deal) => number | undefined }> {
  const { items, lookup: look } = await itemsFor(deps, principal, 'deals', q);
  const dateProperty = q.dateProperty ?? 'closedate';
  const period = periodOf(q.from, q.to);
  const out = items
    .filter((i) => period.contains(dateOf(i, dateProperty)))
    .map((i) => {
      const stage = stageOf(look, i.pipeline, i.stage);
      const amount = Number(i.properties.amount ?? 0);
      return {
        ...i,
        amount: Number.isFinite(amount) ? amount : 0,
        probability: Number(stage?.metadata.probability ?? 0) || 0,
        closed: stage ? isClosedStage(stage) : false,
        won: stage ? isWonStage(stage) : false,
      };
    });
  return { deals: out, look, at: (d) => dateOf(d, dateProperty) };
}

function report(
  look: Lookup,
  by: GroupBy,
  items: Deal[],
  at: (d: Deal) => number | undefined,
  measure: (items: Deal[]) => Record<string, unknown>,
): Report {
  return { groupBy: by, rows: rowsOf(look, by, items, at, measure), totals: measure(items) };
}

const sum = (deals: Deal[], f: (d: Deal) => number) =>
  round(deals.reduce((s, d) => s + f(d), 0)) ?? 0;

/** Open deals (not in a closed stage): how many and their total amount. */
export async function pipelineValue(deps: Pick<Deps, 'db'>, p: Principal, q: ReportQuery) {
  const { deals: all, look, at } = await deals(deps, p, q);
  const open = all.filter((d) => !d.closed);
  return report(look, q.groupBy ?? 'stage', open, at, (ds) => ({
    count: ds.length,
    amount: sum(ds, (d) => d.amount),
  }));
}

/** Every deal's amount times the probability of its stage (won = 1, lost = 0). */
export async function weightedForecast(deps: Pick<Deps, 'db'>, p: Principal, q: ReportQuery) {
  const { deals: all, look, at } = await deals(deps, p, q);
  return report(look, q.groupBy ?? 'month', all, at, (ds) => ({
    count: ds.length,
    amount: sum(ds, (d) => d.amount),
    weightedAmount: sum(ds, (d) => d.amount * d.probability),
  }));
}

/** Closed deals: the share won, by count and by amount. */
export async function winRate(deps: Pick<Deps, 'db'>, p: Principal, q: ReportQuery) {
  const { deals: all, look, at } = await deals(deps, p, q);
  const closed = all.filter((d) => d.closed);
  return report(look, q.groupBy ?? 'owner', closed, at, (ds) => {
    const won = ds.filter((d) => d.won);
    const closedAmount = sum(ds, (d) => d.amount);
    const wonAmount = sum(won, (d) => d.amount);
    return {
      closed: ds.length,
      won: won.length,
      lost: ds.length - won.length,
      winRateByCount: ratio(won.length, ds.length),
      closedAmount,
      wonAmount,
      winRateByValue: ratio(wonAmount, closedAmount),
    };
  });
}

/** When each deal last entered its current stage, from the stage history. */
async function enteredCurrentStage(db: Kysely<DB>): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const h of await repo.stageHistoryRows(db, 'deals', 'dealstage')) {
    out.set(Number(h.object_id), Date.parse(h.changed_at));
  }
  return out;
}

/** Won deals: days from creation to closed won (the stage history's time, else `closedate`). */
export async function salesCycle(deps: Pick<Deps, 'db'>, p: Principal, q: ReportQuery) {
  const { deals: all, look, at } = await deals(deps, p, q);
  const entered = await enteredCurrentStage(deps.db);
  const won = all
    .filter((d) => d.won)
    .map((d) => {
      const wonAt = entered.get(d.id) ?? dateOf(d, 'closedate') ?? d.createdAt;
      return { ...d, days: Math.max(0, wonAt - d.createdAt) / 86_400_000 };
    });
  return report(look, q.groupBy ?? 'owner', won, at, (ds) => {
    const days = (ds as typeof won).map((d) => d.days);
    return {
      count: ds.length,
      averageDays: round(mean(days)),
      medianDays: round(median(days)),
    };
  });
}
