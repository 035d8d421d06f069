import type { Principal } from '../../access/roles.js';
import type { Deps } from '../../kernel/deps.js';
import { loadPipelines } from '../pipelines/pipeline.service.js';
import type { TargetStatus } from '../sla/sla.js';
import { listSlaPolicies, matchPolicy, slaOf } from '../sla/sla.service.js';
import { mean, median, periodOf, type Report, ratio, round } from './report.js';
import * as repo from './report.repository.js';
import { dateOf, type Item, itemsFor, type ReportQuery, rowsOf } from './report.service.js';

/**
 * Time in each stage: every finished stay of a deal in a stage (entered, then left), from the
 * stage history. The stay in a deal's current stage is still running and is not counted.
 */
export async function timeInStage(
  deps: Pick<Deps, 'db'>,
  principal: Principal,
  q: ReportQuery,
): Promise<Report> {
  const { items, lookup: look } = await itemsFor(deps, principal, 'deals', q);
  const dateProperty = q.dateProperty ?? 'closedate';
  const period = periodOf(q.from, q.to);
  const deals = new Map(
    items.filter((i) => period.contains(dateOf(i, dateProperty))).map((i) => [i.id, i]),
  );
  const stays: (Item & { hours: number; at: number | undefined })[] = [];
  let previous: { id: number; stage: string | null; at: number } | undefined;
  for (const h of await repo.stageHistoryRows(deps.db, 'deals', 'dealstage')) {
    const id = Number(h.object_id);
    const at = Date.parse(h.changed_at);
    const deal = deals.get(id);
    if (previous && previous.id === id && deal && previous.stage !== null) {
      stays.push({
        ...deal,
        stage: previous.stage,
        hours: (at - previous.at) / 3_600_000,
        at: dateOf(deal, dateProperty),
      });
    }
    previous = { id, stage: h.to_value, at };
  }
  const by = q.groupBy ?? 'stage';
  const stats = (list: typeof stays) => {
    const hours = list.map((s) => s.hours);
    return {
      count: list.length,
      averageHours: round(mean(hours)),
      medianHours: round(median(hours)),
    };
  };
  const perStage = (list: typeof stays) =>
    rowsOf(look, 'stage', list, (s) => s.at, stats).map((r) => ({
      stage: r.key,
      label: r.label,
      count: r.count,
      averageHours: r.averageHours,
      medianHours: r.medianHours,
    }));
  const measure = (list: typeof stays) =>
    by === 'stage' ? stats(list) : { stages: perStage(list) };
  return {
    groupBy: by,
    rows: rowsOf(look, by, stays, (s) => s.at, measure),
    totals: { count: stays.length, stages: perStage(stays) },
  };
}

/**
 * Ticket SLA attainment: per target, how many tickets met it, breached it, or are still
 * running; attainment is met / (met + breached). Periods read `createdate` by default.
 */
export async function slaAttainment(
  deps: Pick<Deps, 'db' | 'clock'>,
  principal: Principal,
  q: ReportQuery,
): Promise<Report> {
  const { items, lookup: look } = await itemsFor(deps, principal, 'tickets', q);
  const dateProperty = q.dateProperty ?? 'createdate';
  const period = periodOf(q.from, q.to);
  const policies = await listSlaPolicies(deps);
  const pipelines = await loadPipelines(deps.db, 'tickets');
  const now = deps.clock.now().getTime();
  const rated: (Item & { first: TargetStatus | null; resolution: TargetStatus | null })[] = [];
  for (const item of items) {
    if (!period.contains(dateOf(item, dateProperty))) continue;
    const policy = matchPolicy(policies, item);
    if (!policy) continue;
    const sla = await slaOf(
      deps.db,
      { id: item.id, createdAt: new Date(item.createdAt).toISOString() },
      policy,
      pipelines,
      now,
    );
    rated.push({ ...item, first: sla.firstResponse, resolution: sla.resolution });
  }
  const tally = (list: (TargetStatus | null)[]) => {
    const states = list.flatMap((s) => (s ? [s.state] : []));
    const met = states.filter((s) => s === 'met').length;
    const breached = states.filter((s) => s === 'breached').length;
    return {
      met,
      breached,
      running: states.length - met - breached,
      attainment: ratio(met, met + breached),
    };
  };
  const measure = (list: typeof rated) => ({
    tickets: list.length,
    firstResponse: tally(list.map((r) => r.first)),
    resolution: tally(list.map((r) => r.resolution)),
  });
  const by = q.groupBy ?? 'pipeline';
  return {
    groupBy: by,
    rows: rowsOf(look, by, rated, (r) => dateOf(r, dateProperty), measure),
    totals: measure(rated),
  };
}
