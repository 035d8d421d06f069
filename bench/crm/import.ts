/**
 * CRM CSV import throughput, beside a raw SQLite insert of the same rows in the same run.
 *
 *   npx tsx bench/crm/import.ts [rows]        (default 200,000 contacts)
 *
 * Ours: `triad crm import`'s path (csv-parse stream, batch upsert on email through the CRM's
 * validation, unique checks, search indexing and counters, checkpoints) into a fresh SQLite
 * file. Baseline: one prepared better-sqlite3 INSERT per row of the same rows' JSON into a
 * plain table, in one transaction, in a second fresh file: the physical floor of writing the
 * rows at all.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCrmImport, runCrmImport } from '../../src/crm/transfer/import.service.js';
import { systemClock } from '../../src/kernel/clock.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { openStore } from '../../src/storage/store.js';

const n = Number(process.argv[2] ?? 200_000);
const dir = mkdtempSync(join(tmpdir(), 'triad-crm-import-bench-'));
const csv = join(dir, 'contacts.csv');
const stages = ['subscriber', 'lead', 'marketingqualifiedlead', 'customer'];

function row(i: number): string[] {
  return [
    `person${i}@example${i % 97}.com`,
    `First${i % 5000}`,
    `Last${i % 7919}`,
    `Company ${i % 20000}`,
    `Title ${i % 300}`,
    stages[i % stages.length] ?? 'lead',
  ];
}

async function writeCsv(): Promise<void> {
  const out = createWriteStream(csv);
  out.write('Email,First name,Last name,Company,Job title,Stage\n');
  for (let i = 0; i < n; i++) {
    if (!out.write(`${row(i).join(',')}\n`)) {
      await new Promise<void>((r) => out.once('drain', () => r()));
    }
  }
  await new Promise<void>((resolve) => out.end(resolve));
}

async function ours(): Promise<number> {
  const store = openStore({ engine: 'sqlite', file: join(dir, 'ours.db') });
  await migrateToLatest(store.db);
  const deps = { db: store.db, clock: systemClock };
  const started = performance.now();
  const created = await createCrmImport(deps, {
    file: csv,
    errorFile: () => join(dir, 'errors.jsonl'),
    mapping: {
      objectType: 'contacts',
      columns: {
        Email: 'email',
        'First name': 'firstname',
        'Last name': 'lastname',
        Company: 'company',
        'Job title': 'jobtitle',
        Stage: 'lifecyclestage',
      },
    },
    actor: { id: 'bench', role: 'admin' },
  });
  const report = await runCrmImport(deps, created.id);
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  if (report.rowsCreated !== n) throw new Error(`imported ${report.rowsCreated} of ${n} rows`);
  return n / seconds;
}

async function baseline(): Promise<number> {
  const store = openStore({ engine: 'sqlite', file: join(dir, 'raw.db') });
  const raw = store.sqlite;
  if (!raw) throw new Error('the benchmark runs on SQLite');
  raw.exec('create table raw_contacts (id integer primary key, properties text not null)');
  const insert = raw.prepare('insert into raw_contacts (properties) values (?)');
  const names = ['email', 'firstname', 'lastname', 'company', 'jobtitle', 'lifecyclestage'];
  const started = performance.now();
  raw.transaction(() => {
    for (let i = 0; i < n; i++) {
      const cells = row(i);
      insert.run(JSON.stringify(Object.fromEntries(names.map((k, c) => [k, cells[c]]))));
    }
  })();
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return n / seconds;
}

try {
  await writeCsv();
  const base = await baseline();
  const mine = await ours();
  const rows = [
    ['metric', 'ours', 'baseline', 'ratio'],
    [
      `import rows/s (${n.toLocaleString('en-US')} contacts)`,
      Math.round(mine).toLocaleString('en-US'),
      Math.round(base).toLocaleString('en-US'),
      (mine / base).toFixed(3),
    ],
  ];
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  '));
  console.log(`target: 20,000 rows/s — ${mine >= 20_000 ? 'met' : 'not met'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
