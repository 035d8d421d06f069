import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCrmImport,
  getCrmImport,
  resumeImports,
  runCrmImport,
} from '../../src/crm/transfer/import.service.js';
import { crmErrorFileOf } from '../../src/crm/transfer/upload.js';
import { systemClock } from '../../src/kernel/clock.js';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';
import { crmClient } from './helpers.js';

let t: TestApp;
let call: ReturnType<typeof crmClient>;
const dir = mkdtempSync(join(tmpdir(), 'crm-transfer-'));

beforeAll(async () => {
  t = await createTestApp();
  call = crmClient(t);
  await call('POST', '/crm/v3/objects/companies', {
    properties: { name: 'Acme', domain: 'acme.com' },
  });
});
afterAll(() => t.close());

async function upload(csv: string, mapping: unknown, role: 'admin' | 'sales' = 'admin') {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/crm/imports?mapping=${encodeURIComponent(JSON.stringify(mapping))}`,
    headers: { ...bearer(await t.tokenFor(role)), 'content-type': 'text/csv' },
    payload: csv,
  });
}
async function waitDone(id: string) {
  for (let i = 0; i < 100; i++) {
    const r = await call('GET', `/api/v1/crm/imports/${id}`, undefined, 'sales');
    if (['done', 'failed', 'interrupted'].includes(r.json().status)) return r.json();
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('import did not finish');
}
const contactsMapping = {
  objectType: 'contacts',
  columns: { Email: 'email', First: 'firstname', Stage: 'lifecyclestage' },
  associations: [{ column: 'Company', toObjectType: 'companies', idProperty: 'domain' }],
};

describe('CSV import', () => {
  it.each([
    [{ ...contactsMapping, objectType: 'widgets' }, 'objectType'],
    [{ ...contactsMapping, columns: { Email: 'email', X: 'shoe_size' } }, 'columns.X'],
    [{ ...contactsMapping, idProperty: 'firstname' }, 'idProperty'],
    [
      { ...contactsMapping, associations: [{ column: 'Company', toObjectType: 'planets' }] },
      'associations[0].toObjectType',
    ],
    [{ objectType: 'contacts' }, 'columns'],
  ])('rejects a bad mapping %j naming %s', async (mapping, field) => {
    const r = await upload('Email\na@example.com\n', mapping);
    expect(r.statusCode).toBe(400);
    expect(problemOf(r).errors?.map((e) => e.field)).toContain(field);
  });

  it('rejects mapping text that is not JSON', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/crm/imports?mapping=%7Bnope',
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: 'a\n1\n',
    });
    expect(r.statusCode).toBe(400);
    expect(problemOf(r).errors?.[0]?.field).toBe('mapping');
  });

  it('upserts on the unique property, associates by key, and reports bad rows', async () => {
    const csv = [
      'Email,First,Stage,Company',
      'ann@example.com,Ann,lead,acme.com',
      'bob@example.com,Bob,not-a-stage,',
      'ANN@example.com,Annie,,',
      ',Nobody,lead,',
      'cat@example.com,"Cat, the ""great""",customer,unknown.org',
    ].join('\n');
    const r = await upload(csv, contactsMapping, 'sales');
    expect(r.statusCode).toBe(202);
    const done = await waitDone(r.json().id);
    expect(done).toMatchObject({
      status: 'done',
      rowsDone: 5,
      rowsCreated: 2,
      rowsUpdated: 1,
      rowsFailed: 2,
    });
    const ann = await call(
      'GET',
      '/crm/v3/objects/contacts/ann@example.com?idProperty=email&associations=companies&properties=firstname,lifecyclestage',
    );
    expect(ann.json().properties).toMatchObject({ firstname: 'Annie', lifecyclestage: 'lead' });
    expect(ann.json().associations.companies.results).toHaveLength(1);
    const cat = await call(
      'GET',
      '/crm/v3/objects/contacts/cat@example.com?idProperty=email&properties=firstname',
    );
    expect(cat.json().properties.firstname).toBe('Cat, the "great"');
    const errors = await call('GET', `/api/v1/crm/imports/${done.id}/errors`, undefined, 'sales');
    const lines = errors.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.row, l.fields])).toEqual([
      [2, ['lifecyclestage']],
      [4, ['email']],
      [5, ['Company']],
    ]);
    expect(lines[0].reason).toContain('lifecyclestage');
    // The same bytes and mapping again are the same import.
    const again = await upload(csv, contactsMapping, 'sales');
    expect(again.json().id).toBe(done.id);
  });

  it('fails an import whose file lacks a mapped column', async () => {
    const r = await upload('Mail,First\nx@example.com,X\n', {
      objectType: 'contacts',
      columns: { Email: 'email' },
    });
    const done = await waitDone(r.json().id);
    expect(done.status).toBe('failed');
    expect(done.error).toContain('Email');
  });

  it('resumes after an interruption without duplicates', async () => {
    const file = join(dir, 'many.csv');
    const rows = Array.from({ length: 25 }, (_, i) => `r${i}@example.com,R${i}`);
    writeFileSync(file, ['email,firstname', ...rows].join('\n'));
    const deps = { db: t.testStore.store.db, clock: systemClock };
    const created = await createCrmImport(deps, {
      file,
      errorFile: crmErrorFileOf,
      mapping: { objectType: 'contacts', columns: { email: 'email', firstname: 'firstname' } },
      actor: { id: 'test', role: 'admin' },
    });
    const stop = new AbortController();
    const first = await runCrmImport(deps, created.id, {
      chunkRows: 10,
      signal: stop.signal,
      onProgress: () => stop.abort(),
    });
    expect(first).toMatchObject({ status: 'interrupted', rowsDone: 10, rowsCreated: 10 });
    // Pretend the checkpoint was lost for the last chunk: the rerun redoes it as updates.
    await t.testStore.store.db
      .updateTable('crm_imports')
      .set({ rows_done: 5 })
      .where('id', '=', Number(created.id))
      .execute();
    const second = await runCrmImport(deps, created.id, { chunkRows: 10 });
    expect(second).toMatchObject({ status: 'done', rowsDone: 25, rowsCreated: 25, rowsUpdated: 5 });
    const search = await call('POST', '/crm/v3/objects/contacts/search', {
      filterGroups: [
        { filters: [{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: 'example.com' }] },
      ],
      query: 'R1',
      limit: 100,
    });
    expect(search.statusCode).toBe(200);
    const all = await call('POST', '/api/v1/crm/exports', {
      objectType: 'contacts',
      filterGroups: [
        {
          filters: [
            { propertyName: 'firstname', operator: 'IN', values: rows.map((_, i) => `R${i}`) },
          ],
        },
      ],
      properties: ['email'],
    });
    expect(all.body.trim().split('\r\n')).toHaveLength(26);
  });
});

describe('the import resume job', () => {
  it('runs queued imports once, whoever else looks', async () => {
    const file = join(dir, 'queued.csv');
    writeFileSync(file, 'domain,name\nqueued.example,Q\n');
    const deps = { db: t.testStore.store.db, clock: systemClock };
    const created = await createCrmImport(deps, {
      file,
      errorFile: crmErrorFileOf,
      mapping: { objectType: 'companies', columns: { domain: 'domain', name: 'name' } },
      actor: { id: 'test', role: 'admin' },
    });
    expect(created.status).toBe('queued');
    expect(await resumeImports(deps)).toBe(1);
    expect(await getCrmImport(deps, created.id)).toMatchObject({ status: 'done', rowsCreated: 1 });
    expect(await resumeImports(deps)).toBe(0);
  });
});

describe('CSV export', () => {
  it('streams a filtered list with a header and escaped fields', async () => {
    const r = await call(
      'POST',
      '/api/v1/crm/exports',
      {
        objectType: 'contacts',
        filterGroups: [
          {
            filters: [
              { propertyName: 'lifecyclestage', operator: 'IN', values: ['lead', 'customer'] },
            ],
          },
        ],
        properties: ['email', 'firstname', 'lifecyclestage'],
        sorts: ['email'],
      },
      'sales',
    );
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/csv');
    const lines = r.body.trim().split('\r\n');
    expect(lines[0]?.startsWith('hs_object_id,email,firstname,lifecyclestage,')).toBe(true);
    // Row 3 matched ann case-insensitively and wrote its spelling of the address.
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual([
      'ANN@example.com',
      'cat@example.com',
    ]);
    expect(lines[2]).toContain('"Cat, the ""great"""');
  });

  it('answers a bad filter with a 400 naming it', async () => {
    const r = await call('POST', '/api/v1/crm/exports', {
      objectType: 'contacts',
      filterGroups: [{ filters: [{ propertyName: 'shoe_size', operator: 'EQ', value: 1 }] }],
    });
    expect(r.statusCode).toBe(400);
    expect(JSON.stringify(r.json())).toContain('shoe_size');
    const forbidden = await call('POST', '/api/v1/crm/exports', { objectType: 'tickets' }, 'sales');
    expect(forbidden.statusCode).toBe(403);
  });
});
