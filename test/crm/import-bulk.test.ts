import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { associateRecords } from '../../src/crm/associations/association.service.js';
import { batchCreate, batchUpsert } from '../../src/crm/objects/batch.service.js';
import type { Actor } from '../../src/crm/objects/object.js';
import { createRecord, resolveId } from '../../src/crm/objects/object.service.js';
import type { ObjectType } from '../../src/crm/objects/object-types.js';
import type { ImportMapping } from '../../src/crm/transfer/import.mapping.js';
import { createCrmImport, runCrmImport } from '../../src/crm/transfer/import.service.js';
import { manualClock } from '../../src/kernel/clock.js';
import { AppError } from '../../src/kernel/errors.js';
import type { Store } from '../../src/storage/store.js';
import { enginesUnderTest } from '../helpers/stores.js';

/**
 * The bulk import path against the record-by-record write path: the same CSV imported in
 * chunks, and the same rows written one at a time through the batch service, leave the same
 * records, index rows, counters, stage history, change feed and associations.
 */
const dir = mkdtempSync(join(tmpdir(), 'crm-import-bulk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const actor: Actor = { id: 'u_sales', role: 'sales' };

const contactsCsv = [
  'Email,First,Last,Stage,Owner,Phone,Company',
  'ann@example.com,Ann,Smith,lead,u_sales,+1 555 0100,acme.com',
  'bob@example.com,Bob,,not-a-stage,,,',
  'ANN@example.com,Annie,,customer,,,beta.io',
  ',Nobody,,lead,,,',
  'cat@example.com,"Cat, the ""great""",Jones,customer,u_gone,,',
  'dan@example.com,Dan,Brown,subscriber,,12,nowhere.org',
  'ann@example.com,Ann again,,lead,,,',
  'old@example.com,Olga,Old,opportunity,u_sales,,acme.com',
  'eve@example.com,Eve,,marketingqualifiedlead,,,',
  'eve@example.com,,Evans,,,,beta.io',
  'fay@example.com,Fay,,lead,u_sales,+44 20 7946 0000,',
  'OLD@example.com,Olga,,customer,,,',
].join('\n');

const contactsMapping: ImportMapping = {
  objectType: 'contacts',
  columns: {
    Email: 'email',
    First: 'firstname',
    Last: 'lastname',
    Stage: 'lifecyclestage',
    Owner: 'hubspot_owner_id',
    Phone: 'phone',
  },
  associations: [{ column: 'Company', toObjectType: 'companies', idProperty: 'domain' }],
};

const dealsCsv = [
  'Name,Amount,Pipeline,Stage,Company',
  'Big deal,1000,default,qualifiedtobuy,acme.com',
  'Bad stage,10,default,nope,',
  'Won deal,abc,default,closedwon,',
  'Plain deal,55.5,,,beta.io',
  'Won deal 2,700,default,closedwon,',
].join('\n');

const dealsMapping: ImportMapping = {
  objectType: 'deals',
  columns: { Name: 'dealname', Amount: 'amount', Pipeline: 'pipeline', Stage: 'dealstage' },
  associations: [{ column: 'Company', toObjectType: 'companies', idProperty: 'domain' }],
};

async function seed(store: Store, clock: ReturnType<typeof manualClock>): Promise<void> {
  const now = clock.now().toISOString();
  for (const [id, disabled] of [
    ['u_sales', null],
    ['u_gone', now],
  ] as const) {
    await store.db
      .insertInto('users')
      .values({
        id,
        email: `${id}@triad.test`,
        name: id,
        role: 'sales',
        password_hash: 'x',
        created_at: now,
        updated_at: now,
        disabled_at: disabled,
      })
      .execute();
  }
  const deps = { db: store.db, clock };
  await createRecord(
    deps,
    'companies',
    { properties: { name: 'Acme', domain: 'acme.com' } },
    actor,
  );
  await createRecord(deps, 'companies', { properties: { name: 'Beta', domain: 'beta.io' } }, actor);
  // An existing contact the import updates (and whose stage may not move back).
  await createRecord(
    deps,
    'contacts',
    { properties: { email: 'old@example.com', firstname: 'O', lifecyclestage: 'customer' } },
    actor,
  );
}

function parseCsv(text: string): Record<string, string>[] {
  // The fixtures quote only one cell; a tiny splitter keeps the reference path independent.
  const [header = '', ...lines] = text.split('\n');
  const names = header.split(',');
  return lines.map((line) => {
    const cells: string[] = [];
    const re = /("(?:[^"]|"")*"|[^,]*)(,|$)/g;
    for (const m of line.matchAll(re)) {
      const cell = m[1] ?? '';
      cells.push(cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell);
      if (m[2] === '') break;
    }
    return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']));
  });
}

/** The rows written one at a time, through the batch service (one input per call). */
async function oneByOne(
  store: Store,
  clock: ReturnType<typeof manualClock>,
  csv: string,
  mapping: ImportMapping,
  idProperty: string | undefined,
): Promise<{ row: number; reason: string }[]> {
  const deps = { db: store.db, clock };
  const type = mapping.objectType as ObjectType;
  const failures: { row: number; reason: string }[] = [];
  for (const [i, cells] of parseCsv(csv).entries()) {
    const properties: Record<string, string> = {};
    for (const [header, property] of Object.entries(mapping.columns)) {
      const value = cells[header]?.trim() ?? '';
      if (value !== '') properties[property] = value;
    }
    const key = idProperty ? (properties[idProperty] ?? '') : '';
    if (idProperty && key === '') {
      failures.push({ row: i + 1, reason: `${idProperty} is empty` });
      continue;
    }
    const outcome = idProperty
      ? await batchUpsert(deps, type, [{ id: key, idProperty, properties }], actor)
      : await batchCreate(deps, type, [{ properties }], actor);
    const error = outcome.errors[0]?.error;
    if (error) {
      const detail = error.details.map((d) => `${d.field ? `${d.field}: ` : ''}${d.message}`);
      failures.push({ row: i + 1, reason: [error.message, ...detail].join('; ') });
      continue;
    }
    const result = outcome.results[0] as { record: { id: number } } | { id: number };
    const id = 'record' in result ? result.record.id : result.id;
    for (const a of mapping.associations ?? []) {
      const toType = a.toObjectType as ObjectType;
      const target = cells[a.column]?.trim() ?? '';
      if (target === '') continue;
      const to = await resolveId(store.db, toType, target, a.idProperty);
      if (to === undefined) {
        failures.push({
          row: i + 1,
          reason: `association: no ${toType} record with ${a.idProperty ?? 'id'} ${target}`,
        });
        continue;
      }
      try {
        await associateRecords(
          deps,
          { type, id: String(id) },
          { type: toType, id: String(to) },
          [],
        );
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        failures.push({ row: i + 1, reason: `association: ${e.message}` });
      }
    }
  }
  return failures;
}

async function bulk(
  store: Store,
  clock: ReturnType<typeof manualClock>,
  name: string,
  csv: string,
  mapping: ImportMapping,
): Promise<{ row: number; reason: string }[]> {
  const file = join(dir, `${name}.csv`);
  const errors = join(dir, `${name}.errors.jsonl`);
  writeFileSync(file, csv);
  const deps = { db: store.db, clock };
  const created = await createCrmImport(deps, {
    file,
    errorFile: () => errors,
    mapping,
    actor,
  });
  // Small chunks: rows of one record fall both inside one chunk and across chunks.
  const done = await runCrmImport(deps, created.id, { chunkRows: 4 });
  expect(done.status).toBe('done');
  return readFileSync(errors, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { row: number; reason: string })
    .map((l) => ({ row: l.row, reason: l.reason }));
}

/** Everything a record write leaves behind, in a comparable form. */
async function snapshot(store: Store) {
  const q = async (text: string) =>
    (await sql.raw(text).execute(store.db)).rows.map((r) =>
      JSON.parse(
        JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? Number(v) : v)),
        (k, v) => (k === 'object_id' || k === 'id' || k === 'n' ? Number(v) : v),
      ),
    );
  const objects = (
    await q(
      'select id, object_type, properties, owner_id, created_at, updated_at, archived from crm_objects order by id',
    )
  ).map((r) => ({ ...r, properties: JSON.parse(r.properties) }));
  return {
    objects,
    values: await q(
      'select object_type, property, object_id, v_text, v_num from crm_values order by object_type, property, object_id',
    ),
    tokens: await q(
      'select object_type, property, token, object_id from crm_tokens order by object_type, property, token, object_id',
    ),
    unique: await q(
      'select object_type, property, value, object_id from crm_unique_values order by object_type, property, value',
    ),
    counts: await q(
      'select object_type, property, value, n from crm_value_counts where n <> 0 order by object_type, property, value',
    ),
    history: await q(
      'select object_type, object_id, property, from_value, to_value, changed_at, changed_by from crm_stage_history order by id',
    ),
    changes: (
      await q(
        'select object_type, object_id, kind, changes, actor, at from crm_changes order by id',
      )
    ).map((r) => ({ ...r, changes: JSON.parse(r.changes) })),
    associations: await q(
      'select from_type, from_id, to_type, to_id, category, type_id from crm_associations order by from_id, to_id, category, type_id',
    ),
  };
}

describe.each(enginesUnderTest())('bulk CSV import on $name', (engine) => {
  it('stores what the record-by-record path stores, with the same errors', async () => {
    const a = await engine.open();
    const b = await engine.open();
    try {
      const clockA = manualClock('2026-03-01T10:00:00.000Z');
      const clockB = manualClock('2026-03-01T10:00:00.000Z');
      await seed(a.store, clockA);
      await seed(b.store, clockB);
      const bulkErrors = [
        ...(await bulk(a.store, clockA, 'contacts', contactsCsv, contactsMapping)),
        ...(await bulk(a.store, clockA, 'deals', dealsCsv, dealsMapping)),
      ];
      const singleErrors = [
        ...(await oneByOne(b.store, clockB, contactsCsv, contactsMapping, 'email')),
        ...(await oneByOne(b.store, clockB, dealsCsv, dealsMapping, undefined)),
      ];
      expect(bulkErrors).toEqual(singleErrors);
      // The fixtures do hit each rule: bad option, empty key, inactive owner, bad phone,
      // backward lifecycle moves (in the file, and against a stored record), bad stage, bad
      // number.
      expect(bulkErrors.map((e) => e.row)).toEqual([2, 4, 5, 6, 7, 8, 2, 3]);
      expect(bulkErrors.map((e) => e.reason).join('\n')).toContain('only moves forward');
      const [left, right] = [await snapshot(a.store), await snapshot(b.store)];
      expect(left.objects).toEqual(right.objects);
      expect(left.values).toEqual(right.values);
      expect(left.tokens).toEqual(right.tokens);
      expect(left.unique).toEqual(right.unique);
      expect(left.counts).toEqual(right.counts);
      expect(left.history).toEqual(right.history);
      expect(left.changes).toEqual(right.changes);
      expect(left.associations).toEqual(right.associations);
      // And the data is what a reader expects, not just the same mistake twice.
      const kinds = left.changes.map((c) => c.kind);
      expect(kinds.filter((k) => k === 'created')).toHaveLength(3 + 3 + 3);
      expect(kinds).toContain('updated');
      expect(
        left.history.some((h) => h.property === 'dealstage' && h.to_value === 'closedwon'),
      ).toBe(true);
      const ann = left.objects.find((o) => o.properties.email === 'ANN@example.com');
      expect(ann?.properties).toMatchObject({
        firstname: 'Annie',
        lastname: 'Smith',
        lifecyclestage: 'customer',
      });
      expect(left.associations.length).toBeGreaterThan(4);
    } finally {
      await a.destroy();
      await b.destroy();
    }
    // Two migrated PostgreSQL schemas take a while on their own.
  }, 120_000);
});
