import { type Kysely, PostgresAdapter, type RawBuilder, sql } from 'kysely';
import type { Deps } from '../../kernel/deps.js';
import { AppError } from '../../kernel/errors.js';
import type { DB } from '../../storage/schema.js';
import { type CrmRecord, toRecord } from '../objects/object.js';
import { findObjects, sumCounts } from '../objects/object.repository.js';
import type { ObjectType } from '../objects/object-types.js';
import type { VisibilityScope } from '../owners/owner.service.js';
import { loadSchema, type ObjectSchema } from '../properties/schema.js';
import {
  type Condition,
  type ParsedSearch,
  parseSearch,
  type SearchRequest,
  type SortKey,
} from './search.js';
import {
  checks,
  type Driver,
  driversOf,
  hint,
  objectsDriver,
  rangePredicate,
  type SqlContext,
} from './search.sql.js';

/**
 * Below this many matches a filter's candidates are all read and sorted in memory; above it
 * the plan walks an index in result order and checks each candidate, which finds a page fast
 * precisely because the filters are not selective. Reading ids alone is cheap (a covering index
 * scan), so the limit is higher when no sort value has to be fetched per candidate.
 */
export const materializeLimit = { byId: 20_000, byProperty: 5_000 };

const limitFor = (sort: SortKey) =>
  sort.column === 'id' ? materializeLimit.byId : materializeLimit.byProperty;

type Key = string | number | null;
interface Candidate {
  id: number;
  key: Key;
}
interface Cursor {
  key: Key;
  id: number;
  total: number;
}

export interface SearchPage {
  total: number;
  records: CrmRecord[];
  after: string | undefined;
  schema: ObjectSchema;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.key, c.id, c.total])).toString('base64url');
}

function decodeCursor(raw: string): Cursor {
  try {
    const [key, id, total] = JSON.parse(
      Buffer.from(raw, 'base64url').toString('utf8'),
    ) as unknown[];
    const keyOk = key === null || typeof key === 'string' || typeof key === 'number';
    if (keyOk && typeof id === 'number' && typeof total === 'number')
      return { key: key as Key, id, total };
  } catch {
    // fall through to the error below
  }
  throw new AppError('bad_request', 'after is not a cursor this API issued', [
    { field: 'after', message: 'invalid cursor' },
  ]);
}

/** Result order: by key then id, nulls (records without the sort property) last. */
function compare(a: Candidate, b: Candidate, sort: SortKey): number {
  const dir = sort.descending ? -1 : 1;
  if (sort.column !== 'id') {
    if (a.key === null && b.key !== null) return 1;
    if (b.key === null && a.key !== null) return -1;
    if (a.key !== null && b.key !== null && a.key !== b.key) return dir * (a.key < b.key ? -1 : 1);
  }
  return dir * (a.id - b.id);
}

async function rows<T>(db: Kysely<DB>, query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(db)).rows;
}

function select(d: Driver, extra: RawBuilder<unknown>, cols: RawBuilder<unknown>) {
  return sql`select ${d.distinct ? sql`distinct ` : sql``}${cols} from ${d.from} where ${d.where} and ${extra}`;
}

/** How many candidates a driver yields, counting no further than the materialize limit. */
async function cappedCount(db: Kysely<DB>, d: Driver, cap: number): Promise<number> {
  const inner = select(d, sql`1 = 1`, sql`${d.id}`);
  const [row] = await rows(
    db,
    sql<{ n: number }>`select count(*) as n from (${inner} limit ${cap}) c`,
  );
  return Number(row?.n ?? 0);
}

function sortKeyOf(ctx: SqlContext, sort: SortKey, candidate: RawBuilder<unknown>) {
  if (sort.column === 'id') return sql`null`;
  return sql`(select s.${sql.raw(sort.column)} from crm_values s where s.object_type = ${ctx.type} and s.property = ${sort.property} and s.object_id = ${candidate})`;
}

interface GroupResult {
  items: Candidate[];
  /** Every matching id, when the group was small enough to read whole. */
  all?: number[];
  /** The group's own count, when known. */
  count?: number;
}

async function materialize(
  db: Kysely<DB>,
  ctx: SqlContext,
  group: Condition[],
  d: Driver,
  q: ParsedSearch,
  cursor: Cursor | undefined,
  n: number,
): Promise<GroupResult> {
  const query = select(
    d,
    checks(ctx, group, d.id),
    sql`${d.id} as id, ${sortKeyOf(ctx, q.sort, d.id)} as k`,
  );
  const found = (await rows(db, sql<{ id: number; k: Key }>`${query}`)).map((r) => ({
    id: Number(r.id),
    key: r.k,
  }));
  found.sort((a, b) => compare(a, b, q.sort));
  const after =
    cursor === undefined
      ? found
      : found.filter((c) => compare(c, { id: cursor.id, key: cursor.key }, q.sort) > 0);
  return { items: after.slice(0, n), all: found.map((c) => c.id), count: found.length };
}

async function stream(
  db: Kysely<DB>,
  ctx: SqlContext,
  group: Condition[],
  drivers: Driver[],
  driverGroup: Condition[],
  q: ParsedSearch,
  cursor: Cursor | undefined,
  n: number,
): Promise<GroupResult> {
  const desc = q.sort.descending;
  const order = desc ? sql`desc` : sql`asc`;
  const cmp = desc ? sql`<` : sql`>`;
  const out: Candidate[] = [];
  if (q.sort.column === 'id') {
    for (const d of drivers) {
      const past = cursor === undefined ? sql`1 = 1` : sql`${d.id} ${cmp} ${cursor.id}`;
      const query = select(
        d,
        sql`${past} and ${checks(ctx, driverGroup, d.id)}`,
        sql`${d.id} as id`,
      );
      const found = await rows(
        db,
        sql<{ id: number }>`${query} order by ${d.id} ${order} limit ${n}`,
      );
      out.push(...found.map((r) => ({ id: Number(r.id), key: null })));
    }
    return { items: out };
  }
  // Phase 1: records holding the sort property, in its index order. Filters on the sort
  // property itself bound that index range instead of being checked row by row.
  const col = sql.raw(`d.${q.sort.column}`);
  const onSort = group.filter(
    (c) => !c.negated && c.probe.kind === 'value' && c.probe.property === q.sort.property,
  );
  const bounds = onSort.flatMap((c) =>
    c.probe.kind === 'value' ? [rangePredicate(col, c.probe.op, c.probe.values)] : [],
  );
  const others = group.filter((c) => !onSort.includes(c));
  if (cursor === undefined || cursor.key !== null) {
    const past =
      cursor === undefined
        ? sql`1 = 1`
        : sql`(${col}, d.object_id) ${cmp} (${cursor.key}, ${cursor.id})`;
    const index = q.sort.column === 'v_num' ? 'crm_values_num' : 'crm_values_text';
    const bounded = bounds.length === 0 ? sql`1 = 1` : sql.join(bounds, sql` and `);
    const found = await rows(
      db,
      sql<{
        id: number;
        k: Key;
      }>`select d.object_id as id, ${col} as k from crm_values d${hint(ctx, index)} where d.object_type = ${ctx.type} and d.property = ${q.sort.property} and ${col} is not null and ${bounded} and ${past} and ${checks(ctx, others, sql`d.object_id`)} order by ${col} ${order}, d.object_id ${order} limit ${n}`,
    );
    out.push(...found.map((r) => ({ id: Number(r.id), key: r.k })));
  }
  // A filter on the sort property excludes every record that lacks it.
  if (onSort.length > 0) return { items: out };
  // Phase 2: records without it, last, in id order.
  if (out.length < n) {
    const d = objectsDriver(ctx);
    const lacking: Condition = { negated: true, probe: { kind: 'has', property: q.sort.property } };
    const past = cursor?.key === null ? sql`d.id ${cmp} ${cursor.id}` : sql`1 = 1`;
    const query = select(
      d,
      sql`${past} and ${checks(ctx, [...group, lacking], d.id)}`,
      sql`d.id as id`,
    );
    const found = await rows(
      db,
      sql<{ id: number }>`${query} order by d.id ${order} limit ${n - out.length}`,
    );
    out.push(...found.map((r) => ({ id: Number(r.id), key: null })));
  }
  return { items: out };
}

/** Plans one AND group: read it whole when a filter is selective, else walk in result order. */
async function runGroup(
  db: Kysely<DB>,
  ctx: SqlContext,
  group: Condition[],
  q: ParsedSearch,
  cursor: Cursor | undefined,
  n: number,
): Promise<GroupResult & Counting> {
  // The condition a driver comes from holds for every candidate it yields: it is not checked
  // again, so a single-filter count is a pure index count.
  const without = (cond: Condition) => group.filter((c) => c !== cond);
  let best: { driver: Driver; count: number; cond: Condition } | undefined;
  let ordered: { drivers: Driver[]; count: number; cond: Condition } | undefined;
  for (const cond of group) {
    if (cond.negated) continue;
    const [driver, ...more] = driversOf(ctx, cond.probe, false) ?? [];
    if (!driver || more.length > 0) continue;
    const count = await cappedCount(db, driver, limitFor(q.sort));
    if (best === undefined || count < best.count) best = { driver, count, cond };
    const inOrder = driversOf(ctx, cond.probe, true);
    if (inOrder?.every((d) => d.ordered) && (ordered === undefined || count < ordered.count)) {
      ordered = { drivers: inOrder, count, cond };
    }
  }
  const counting: Counting = best
    ? { driver: best.driver, rest: without(best.cond) }
    : { driver: objectsDriver(ctx), rest: group };
  if (best && best.count < limitFor(q.sort)) {
    const rest = without(best.cond);
    return { ...(await materialize(db, ctx, rest, best.driver, q, cursor, n)), ...counting };
  }
  const result = ordered
    ? await stream(db, ctx, group, ordered.drivers, without(ordered.cond), q, cursor, n)
    : await stream(db, ctx, group, [objectsDriver(ctx)], group, q, cursor, n);
  return { ...result, ...counting };
}

/** How to count a group: its most selective driver and the conditions left to check. */
interface Counting {
  driver: Driver;
  rest: Condition[];
}

/**
 * The total read from the maintained counters, when the search is "every record" or one EQ /
 * IN on an enumeration or boolean: exactly the searches whose matches are too many to count
 * quickly. Undefined otherwise.
 */
async function countedTotal(
  db: Kysely<DB>,
  type: ObjectType,
  group: Condition[] | undefined,
): Promise<number | undefined> {
  if (group === undefined || group.length === 0) return sumCounts(db, type, '*', ['']);
  const [only, ...more] = group;
  if (!only || more.length > 0 || only.negated || only.probe.kind !== 'value') return undefined;
  const { probe } = only;
  if (!probe.counted || (probe.op !== 'eq' && probe.op !== 'in')) return undefined;
  return sumCounts(db, type, probe.property, [...new Set(probe.values.map(String))]);
}

async function countUnion(db: Kysely<DB>, ctx: SqlContext, groups: Counting[]) {
  const parts = groups.map(({ rest, driver }) =>
    select(driver, checks(ctx, rest, driver.id), sql`${driver.id} as id`),
  );
  const [row] = await rows(
    db,
    sql<{ n: number }>`select count(*) as n from (${sql.join(parts, sql` union `)}) u`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Owner-based visibility as one more AND condition in every group: an IN on the owner
 * property, which the planner runs like any other indexed filter (and counts correctly).
 */
function withinScope(q: ParsedSearch, scope: VisibilityScope): ParsedSearch {
  if (scope.kind === 'all') return q;
  const owned: Condition = {
    negated: false,
    probe: {
      kind: 'value',
      property: 'hubspot_owner_id',
      column: 'v_text',
      op: 'in',
      values: scope.ownerIds.map((id) => id.toLowerCase()),
    },
  };
  const groups = q.groups.length === 0 ? [[owned]] : q.groups.map((g) => [...g, owned]);
  return { ...q, groups };
}

/**
 * HubSpot's CRM search without its 10,000-result cap: keyset paging on (sort value, id), and
 * a plan per filter group chosen from capped index counts, so equality, IN and range filters
 * on any property never scan the table. `total` is counted on the first page and carried in
 * the cursor, so later pages cost only the page itself.
 */
export async function searchRecords(
  deps: Pick<Deps, 'db'>,
  type: ObjectType,
  body: SearchRequest,
  scope: VisibilityScope = { kind: 'all' },
): Promise<SearchPage> {
  const db = deps.db;
  const schema = await loadSchema(db, type);
  const q = withinScope(parseSearch(schema, body), scope);
  const cursor =
    body.after === undefined || body.after === '' ? undefined : decodeCursor(body.after);
  const ctx: SqlContext = { type, sqlite: !(db.getExecutor().adapter instanceof PostgresAdapter) };
  const n = q.limit + 1;
  const groups = q.groups.length === 0 ? [[]] : q.groups;
  const results = [];
  for (const group of groups) {
    results.push({ group, ...(await runGroup(db, ctx, group, q, cursor, n)) });
  }
  const seen = new Set<number>();
  const merged = results
    .flatMap((r) => r.items)
    .sort((a, b) => compare(a, b, q.sort))
    .filter((c) => !seen.has(c.id) && seen.add(c.id));
  const page = merged.slice(0, q.limit);
  let total = cursor?.total;
  if (total === undefined && q.groups.length <= 1)
    total = await countedTotal(db, type, q.groups[0]);
  if (total === undefined) {
    const [only] = results;
    if (results.length === 1 && only?.count !== undefined) total = only.count;
    else if (results.every((r) => r.all !== undefined))
      total = new Set(results.flatMap((r) => r.all ?? [])).size;
    else {
      total = await countUnion(db, ctx, results);
    }
  }
  const byId = new Map(
    (
      await findObjects(
        db,
        page.map((c) => c.id),
      )
    ).map((row) => [Number(row.id), toRecord(row)]),
  );
  const records = page.flatMap((c) => byId.get(c.id) ?? []);
  const last = page.at(-1);
  const after =
    merged.length > q.limit && last
      ? encodeCursor({ key: last.key, id: last.id, total })
      : undefined;
  return { total, records, after, schema };
}
