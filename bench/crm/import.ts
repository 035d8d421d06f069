/**
 * CRM CSV import throughput, beside a raw SQLite insert of the same rows in the same run.
 *
 *   npx tsx bench/crm/import.ts [rows] [scale]    (default 200,000 contacts into an empty store)
 *   CRM_BENCH_DB=/tmp/crm.db npx tsx bench/crm/import.ts 200000 1
 *
 * `scale` fills the store first with the search benchmark's data set (scale 1 = 1M contacts,
 * 100k companies, 200k deals); with CRM_BENCH_DB that data set is generated once into the
 * file named and copied for each run (the import itself never touches the kept file).
 *
 * Ours: `triad crm import`'s path (csv-parse stream, upsert on email through the CRM's bulk
 * writer: validation, unique checks, search indexing, counters, change feed, checkpoints).
 * Baseline: one prepared better-sqlite3 INSERT per row of the same rows' JSON into a plain
 * table, in one transaction, in a fresh file: the physical floor of writing the rows at all.
 * CPU time is printed too: on a machine busy with other work it shows what wall time hides.
 */
import { copyFileSync, createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCrmImport, runCrmImport } from '../../src/crm/transfer/import.service.js';
import { systemClock } from '../../src/kernel/clock.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { openStore } from '../../src/storage/store.js';
import { generate } from './dataset.js';

const n = Number(process.argv[2] ?? 200_000);
const scale = Number(process.argv[3] ?? 0);
const sizes = {
  contacts: Math.round(1_000_000 * scale),
  companies: Math.round(100_000 * scale),
  deals: Math.round(200_000 * scale),
};
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

/** Generates the data set into a migrated SQLite file (as bench/crm/search.ts does). */
async function populate(file: string): Promise<void> {
  const store = openStore({ engine: 'sqlite', file });
  await migrateToLatest(store.db);
  const raw = store.sqlite;
  if (!raw) throw new Error('the benchmark runs on SQLite');
  const started = Date.now();
  raw.pragma('synchronous = OFF');
  raw.pragma('cache_size = -1000000');
  console.error(`generating ${JSON.stringify(sizes)} into ${file}`);
  generate(raw, sizes, (line) => console.error(line));
  raw.exec('analyze');
  console.error(`generated in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  await store.close();
}

interface Timing {
  rowsPerSecond: number;
  cpuMsPer1000: number;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

async function ours(): Promise<Timing> {
  const file = join(dir, 'ours.db');
  if (scale > 0) {
    const kept = process.env.CRM_BENCH_DB;
    if (kept) {
      if (!existsSync(kept)) await populate(kept);
      copyFileSync(kept, file);
    } else await populate(file);
  }
  const store = openStore({ engine: 'sqlite', file });
  await migrateToLatest(store.db);
  const deps = { db: store.db, clock: systemClock };
  const started = performance.now();
  const cpu = process.cpuUsage();
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
  const cpuMsPer1000 = (cpuMs(cpu) / n) * 1000;
  await store.close();
  if (report.rowsCreated !== n) throw new Error(`imported ${report.rowsCreated} of ${n} rows`);
  return { rowsPerSecond: n / seconds, cpuMsPer1000 };
}

async function baseline(): Promise<Timing> {
  const store = openStore({ engine: 'sqlite', file: join(dir, 'raw.db') });
  const raw = store.sqlite;
  if (!raw) throw new Error('the benchmark runs on SQLite');
  raw.exec('create table raw_contacts (id integer primary key, properties text not null)');
  const insert = raw.prepare('insert into raw_contacts (properties) values (?)');
  const names = ['email', 'firstname', 'lastname', 'company', 'jobtitle', 'lifecyclestage'];
  const started = performance.now();
  const cpu = process.cpuUsage();
  raw.transaction(() => {
    for (let i = 0; i < n; i++) {
      const cells = row(i);
      insert.run(JSON.stringify(Object.fromEntries(names.map((k, c) => [k, cells[c]]))));
    }
  })();
  const seconds = (performance.now() - started) / 1000;
  const cpuMsPer1000 = (cpuMs(cpu) / n) * 1000;
  await store.close();
  return { rowsPerSecond: n / seconds, cpuMsPer1000 };
}

try {
  await writeCsv();
  const base = await baseline();
  const mine = await ours();
  const store = scale > 0 ? `, store of ${sizes.contacts.toLocaleString('en-US')} contacts` : '';
  const rows = [
    ['metric', 'ours', 'baseline', 'ratio'],
    [
      `import rows/s (${n.toLocaleString('en-US')} contacts${store})`,
      Math.round(mine.rowsPerSecond).toLocaleString('en-US'),
      Math.round(base.rowsPerSecond).toLocaleString('en-US'),
      (mine.rowsPerSecond / base.rowsPerSecond).toFixed(3),
    ],
    [
      'CPU ms per 1,000 rows',
      mine.cpuMsPer1000.toFixed(0),
      base.cpuMsPer1000.toFixed(0),
      (mine.cpuMsPer1000 / base.cpuMsPer1000).toFixed(1),
    ],
  ];
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  '));
  console.log(`target: 20,000 rows/s — ${mine.rowsPerSecond >= 20_000 ? 'met' : 'not met'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
