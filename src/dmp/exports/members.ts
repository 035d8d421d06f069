import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type { DmpDestinationRow } from './export.tables.js';

/**
 * The set queries behind every export. "Exportable" members of a segment are its members whose
 * latest consent allows activation (`dmp_ids.activatable = 1`) and who are on no suppression
 * list, expressed as the destination's ID type. Deltas compare that set with what the
 * destination holds (`dmp_export_state`) inside the database, so no export ever loads a
 * segment into memory: batch runs copy rows with INSERT ... SELECT and pushes read pages.
 */

export interface ExportTarget {
  destination: Pick<DmpDestinationRow, 'id' | 'id_type' | 'partner_id'>;
  segmentId: string;
}

function idColumn(t: ExportTarget): RawBuilder<unknown> {
  switch (t.destination.id_type) {
    case 'ifa':
      return sql.ref('a.value');
    case 'partner_uid':
      return sql.ref('x.partner_uid');
    default:
      return sql.ref('m.dmp_id');
  }
}

function idJoin(t: ExportTarget): RawBuilder<unknown> {
  switch (t.destination.id_type) {
    case 'ifa':
      return sql`JOIN dmp_aliases a ON a.dmp_id = m.dmp_id AND a.kind = 'ifa'`;
    case 'partner_uid':
      return sql`JOIN dmp_matches x ON x.dmp_id = m.dmp_id AND x.partner_id = ${t.destination.partner_id ?? ''}`;
    default:
      return sql``;
  }
}

/** `SELECT id, dmp_id` of the exportable members; `extra` adds conditions (correlation). */
function members(t: ExportTarget, extra: RawBuilder<unknown> = sql``): RawBuilder<unknown> {
  return sql`SELECT ${idColumn(t)} AS id, m.dmp_id AS dmp_id
    FROM dmp_memberships m
    JOIN dmp_ids i ON i.id = m.dmp_id
    ${idJoin(t)}
    WHERE m.segment_id = ${t.segmentId}
      AND i.activatable = 1
      AND NOT EXISTS (
        SELECT 1 FROM dmp_list_members lm JOIN dmp_lists l ON l.name = lm.list_name
        WHERE lm.dmp_id = m.dmp_id AND l.kind = 'suppression')
      ${extra}`;
}

/** Rows of the target's state (what the destination holds) with this alias. */
function stateOf(t: ExportTarget, alias: string): RawBuilder<unknown> {
  return sql`${sql.ref(`${alias}.destination_id`)} = ${t.destination.id}
    AND ${sql.ref(`${alias}.segment_id`)} = ${t.segmentId}`;
}

const notDelivered = (t: ExportTarget) =>
  sql`NOT EXISTS (SELECT 1 FROM dmp_export_state s WHERE ${stateOf(t, 's')} AND s.id = c.id)`;
const notMember = (t: ExportTarget) =>
  sql`NOT EXISTS (${members(t, sql`AND ${idColumn(t)} = s.id`)})`;

/**
 * How many distinct DMP IDs the export would carry: the size the minimum segment size is
 * checked against (several advertising IDs of one device count once).
 */
export async function exportableCount(db: Kysely<DB>, t: ExportTarget): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`
    SELECT COUNT(DISTINCT c.dmp_id) AS n FROM (${members(t)}) c`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** The first `limit` exportable IDs the destination does not hold yet. */
export async function additionsPage(
  db: Kysely<DB>,
  t: ExportTarget,
  limit: number,
): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT c.id FROM (${members(t)}) c WHERE ${notDelivered(t)} ORDER BY c.id LIMIT ${limit}`.execute(
    db,
  );
  return rows.map((r) => r.id);
}

/** The first `limit` IDs the destination holds that are no longer exportable. */
export async function removalsPage(
  db: Kysely<DB>,
  t: ExportTarget,
  limit: number,
): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT s.id FROM dmp_export_state s WHERE ${stateOf(t, 's')} AND ${notMember(t)}
    ORDER BY s.id LIMIT ${limit}`.execute(db);
  return rows.map((r) => r.id);
}

/** The first `limit` IDs the destination holds (to take them all back). */
export async function heldPage(db: Kysely<DB>, t: ExportTarget, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('dmp_export_state')
    .select('id')
    .where('destination_id', '=', t.destination.id)
    .where('segment_id', '=', t.segmentId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function addToState(db: Kysely<DB>, t: ExportTarget, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .insertInto('dmp_export_state')
      .values(
        ids
          .slice(i, i + 500)
          .map((id) => ({ destination_id: t.destination.id, segment_id: t.segmentId, id })),
      )
      .onConflict((oc) => oc.columns(['destination_id', 'segment_id', 'id']).doNothing())
      .execute();
  }
}

export async function removeFromState(
  db: Kysely<DB>,
  t: ExportTarget,
  ids: string[],
): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .deleteFrom('dmp_export_state')
      .where('destination_id', '=', t.destination.id)
      .where('segment_id', '=', t.segmentId)
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
  }
}

/** What a batch run wrote for one mapping. */
export interface WrittenLines {
  added: number;
  removed: number;
}

/** Rows an INSERT wrote (both drivers report it for INSERT … SELECT). */
const written = (result: { numAffectedRows?: bigint }) => Number(result.numAffectedRows ?? 0);

/**
 * Writes one mapping's lines of a batch run and moves the state to match, in the caller's
 * transaction. `full`: every exportable ID as an addition, and the state becomes that set.
 * `delta`: additions and removals against the state. `retract`: every held ID as a removal.
 */
export async function writeRunLines(
  trx: Kysely<DB>,
  t: ExportTarget,
  run: { id: string; key: string; mode: 'full' | 'delta' | 'retract' },
): Promise<WrittenLines> {
  const head = sql`INSERT INTO dmp_export_items (run_id, segment_key, id, dmp_id, action)`;
  const tag = sql`CAST(${run.id} AS text), CAST(${run.key} AS text)`;
  const lines: WrittenLines = { added: 0, removed: 0 };
  if (run.mode !== 'retract') {
    const where = run.mode === 'delta' ? sql`WHERE ${notDelivered(t)}` : sql``;
    lines.added = written(
      await sql`${head} SELECT ${tag}, c.id, c.dmp_id, 'add'
        FROM (${members(t)}) c ${where} ORDER BY c.id`.execute(trx),
    );
  }
  if (run.mode !== 'full') {
    const where = run.mode === 'delta' ? sql`AND ${notMember(t)}` : sql``;
    lines.removed = written(
      await sql`${head} SELECT ${tag}, s.id, NULL, 'remove'
        FROM dmp_export_state s WHERE ${stateOf(t, 's')} ${where} ORDER BY s.id`.execute(trx),
    );
  }
  const removals = sql`SELECT id FROM dmp_export_items
    WHERE run_id = ${run.id} AND segment_key = ${run.key} AND action = 'remove'`;
  if (run.mode === 'full') {
    await sql`DELETE FROM dmp_export_state WHERE destination_id = ${t.destination.id}
      AND segment_id = ${t.segmentId}`.execute(trx);
  } else {
    await sql`DELETE FROM dmp_export_state WHERE destination_id = ${t.destination.id}
      AND segment_id = ${t.segmentId} AND id IN (${removals})`.execute(trx);
  }
  await sql`INSERT INTO dmp_export_state (destination_id, segment_id, id)
    SELECT CAST(${t.destination.id} AS text), CAST(${t.segmentId} AS text), id
    FROM dmp_export_items WHERE run_id = ${run.id} AND segment_key = ${run.key}
      AND action = 'add'`.execute(trx);
  return lines;
}
