import { type RawBuilder, sql } from 'kysely';
import type { Condition, Probe, RangeOp } from './search.js';

/**
 * SQL for the search planner. A probe runs two ways: as a driver (an index range scan that
 * yields candidate ids) or as a check on one candidate (an EXISTS that is a primary-key or
 * per-record index probe). All SQL here runs unchanged on SQLite and PostgreSQL, apart from
 * SQLite's INDEXED BY hints, which pin the index the plan was designed around.
 */
export interface SqlContext {
  type: string;
  sqlite: boolean;
}

/** Candidates from one index range: `select [distinct] idCol from ... where ...`. */
export interface Driver {
  from: RawBuilder<unknown>;
  where: RawBuilder<unknown>;
  id: RawBuilder<unknown>;
  distinct: boolean;
  /** Yields ids in ascending order by itself (an equality prefix of an index). */
  ordered: boolean;
}

export const hint = (ctx: SqlContext, index: string) =>
  ctx.sqlite ? sql.raw(` indexed by ${index}`) : sql``;

export function rangePredicate(col: RawBuilder<unknown>, op: RangeOp, values: (string | number)[]) {
  const [a, b] = values;
  switch (op) {
    case 'eq':
      return sql`${col} = ${a}`;
    case 'in':
      return sql`${col} in (${sql.join(values)})`;
    case 'lt':
      return sql`${col} < ${a}`;
    case 'lte':
      return sql`${col} <= ${a}`;
    case 'gt':
      return sql`${col} > ${a}`;
    case 'gte':
      return sql`${col} >= ${a}`;
    case 'between':
      return sql`${col} >= ${a} and ${col} <= ${b}`;
  }
}

/** The smallest string greater than every string starting with `prefix` (byte order). */
function successor(prefix: string): string {
  const last = prefix.codePointAt(prefix.length - 1) ?? 0;
  return prefix.slice(0, -1) + String.fromCodePoint(last + 1);
}

function tokenPredicate(alias: string, p: Extract<Probe, { kind: 'token' }>) {
  const col = sql.ref(`${alias}.token`);
  const props = sql`${sql.ref(`${alias}.property`)} in (${sql.join(p.properties)})`;
  if (!p.prefix) return sql`${props} and ${col} = ${p.token}`;
  // The range uses the index; the substr check keeps the answer exact whatever the collation.
  return sql`${props} and ${col} >= ${p.token} and ${col} < ${successor(p.token)} and substr(${col}, 1, ${sql.lit(p.token.length)}) = ${p.token}`;
}

/** Every live record of the type, in id order. */
export function objectsDriver(ctx: SqlContext): Driver {
  return {
    from: sql`crm_objects d${hint(ctx, 'crm_objects_list')}`,
    where: sql`d.object_type = ${ctx.type} and d.archived = 0`,
    id: sql`d.id`,
    distinct: false,
    ordered: true,
  };
}

/** The drivers of a positive probe; more than one (an IN split per value) are merged. */
export function driversOf(ctx: SqlContext, probe: Probe, ordered: boolean): Driver[] | undefined {
  switch (probe.kind) {
    case 'value': {
      if (ordered && probe.op === 'in') {
        return probe.values.flatMap(
          (v) => driversOf(ctx, { ...probe, op: 'eq', values: [v] }, true) ?? [],
        );
      }
      const index = probe.column === 'v_text' ? 'crm_values_text' : 'crm_values_num';
      return [
        {
          from: sql`crm_values d${hint(ctx, index)}`,
          where: sql`d.object_type = ${ctx.type} and d.property = ${probe.property} and ${rangePredicate(sql.ref(`d.${probe.column}`), probe.op, probe.values)}`,
          id: sql`d.object_id`,
          distinct: false,
          ordered: probe.op === 'eq',
        },
      ];
    }
    case 'has':
      return [
        {
          from: sql`crm_values d`,
          where: sql`d.object_type = ${ctx.type} and d.property = ${probe.property}`,
          id: sql`d.object_id`,
          distinct: false,
          ordered: true,
        },
      ];
    case 'token': {
      if (ordered && !probe.prefix && probe.properties.length > 1) {
        return probe.properties.flatMap(
          (p) => driversOf(ctx, { ...probe, properties: [p] }, true) ?? [],
        );
      }
      return [
        {
          from: sql`crm_tokens d`,
          where: sql`d.object_type = ${ctx.type} and ${tokenPredicate('d', probe)}`,
          id: sql`d.object_id`,
          distinct: probe.prefix || probe.properties.length > 1,
          ordered: !probe.prefix && probe.properties.length === 1,
        },
      ];
    }
    case 'id': {
      const base = objectsDriver(ctx);
      return [
        {
          ...base,
          where: sql`${base.where} and ${rangePredicate(sql`d.id`, probe.op, probe.values)}`,
        },
      ];
    }
    case 'like':
    case 'always':
      return undefined;
  }
}

function check(ctx: SqlContext, probe: Probe, candidate: RawBuilder<unknown>): RawBuilder<unknown> {
  switch (probe.kind) {
    case 'value':
      return sql`exists (select 1 from crm_values x where x.object_type = ${ctx.type} and x.property = ${probe.property} and x.object_id = ${candidate} and ${rangePredicate(sql.ref(`x.${probe.column}`), probe.op, probe.values)})`;
    case 'has':
      return sql`exists (select 1 from crm_values x where x.object_type = ${ctx.type} and x.property = ${probe.property} and x.object_id = ${candidate})`;
    case 'like':
      return sql`exists (select 1 from crm_values x where x.object_type = ${ctx.type} and x.property = ${probe.property} and x.object_id = ${candidate} and x.v_text like ${probe.pattern} escape '\\')`;
    case 'token':
      return sql`exists (select 1 from crm_tokens x${hint(ctx, 'crm_tokens_object')} where x.object_id = ${candidate} and x.object_type = ${ctx.type} and ${tokenPredicate('x', probe)})`;
    case 'id':
      return rangePredicate(candidate, probe.op, probe.values);
    case 'always':
      return sql`1 = 1`;
  }
}

/** All conditions as checks on one candidate id, ANDed (`1 = 1` when there are none). */
export function checks(
  ctx: SqlContext,
  conds: Condition[],
  candidate: RawBuilder<unknown>,
): RawBuilder<unknown> {
  if (conds.length === 0) return sql`1 = 1`;
  return sql.join(
    conds.map((c) => {
      const one = check(ctx, c.probe, candidate);
      return c.negated ? sql`not (${one})` : one;
    }),
    sql` and `,
  );
}
