import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { DB } from '../../src/storage/schema.js';
import { bearer, type TestApp } from '../helpers/app.js';

export const json = { 'content-type': 'application/json' };
export const basicFor = (writeKey: string) => ({
  authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
});

/** A source and its write key. */
export async function newSource(t: TestApp, name = 'web'): Promise<string> {
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/sources',
    headers: { ...bearer(t.adminToken), ...json },
    payload: { name },
  });
  expect(created.statusCode).toBe(201);
  return created.json().writeKey;
}

export async function sendBatch(t: TestApp, writeKey: string, batch: unknown[]) {
  return t.app.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: { ...json, ...basicFor(writeKey) },
    payload: { batch },
  });
}

/** Files a privacy request and waits until it leaves pending/running. */
export async function fileRequest(
  t: TestApp,
  type: string,
  identity: { type: string; value: string },
): Promise<{
  id: string;
  status: string;
  receipts: { store: string; status: string; found: number; affected: number; detail: unknown }[];
}> {
  const filed = await t.app.inject({
    method: 'POST',
    url: '/api/v1/privacy/requests',
    headers: { ...bearer(t.adminToken), ...json },
    payload: { type, identity },
  });
  expect(filed.statusCode, filed.body).toBe(202);
  const id = filed.json().id as string;
  for (let i = 0; i < 200; i++) {
    const got = await t.app.inject({
      method: 'GET',
      url: `/api/v1/privacy/requests/${id}`,
      headers: bearer(t.adminToken),
    });
    const body = got.json();
    if (body.status === 'completed' || body.status === 'failed') return body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`privacy request ${id} did not finish`);
}

/**
 * Every text value of every table, scanned for the needles (case-insensitive). Tables and
 * columns come from the engine's catalog, so a table added later is scanned too.
 */
export async function scanAllTables(
  db: Kysely<DB>,
  pg: boolean,
  needles: string[],
): Promise<string[]> {
  const lower = needles.map((n) => n.toLowerCase());
  const columns = new Map<string, string[]>();
  if (pg) {
    const rows = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema()
        and data_type in ('text', 'character varying', 'json', 'jsonb')`.execute(db);
    for (const r of rows.rows)
      columns.set(r.table_name, [...(columns.get(r.table_name) ?? []), r.column_name]);
  } else {
    const tables = await sql<{ name: string }>`
      select name from sqlite_master where type = 'table'`.execute(db);
    for (const table of tables.rows) {
      const info = await sql<{ name: string; type: string }>`
        select name, type from pragma_table_info(${table.name})`.execute(db);
      // SQLite stores any value in any column: scan all of them, whatever their declared type.
      columns.set(
        table.name,
        info.rows.map((c) => c.name),
      );
    }
  }
  expect(columns.size).toBeGreaterThan(40);
  const hits: string[] = [];
  for (const [table, cols] of columns) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    for (const row of rows.rows) {
      for (const col of cols) {
        const value = row[col];
        if (value === null || value === undefined) continue;
        const text = (typeof value === 'string' ? value : JSON.stringify(value)).toLowerCase();
        for (const needle of lower) {
          if (text.includes(needle)) hits.push(`${table}.${col} holds ${needle}`);
        }
      }
    }
  }
  return hits;
}
