/**
 * CRM list and search latency at scale, beside the raw SQLite index scan each query rests on.
 *
 *   npx tsx bench/crm/search.ts [scale]          (scale 1 = 1M contacts, 100k companies, 200k deals)
 *   CRM_BENCH_DB=/tmp/crm.db npx tsx bench/crm/search.ts   (keeps and reuses the data set)
 *
 * Prints `metric  ours  baseline  ratio`: p95 milliseconds through the CRM services (validation,
 * planning, SQL, record mapping) against a prepared better-sqlite3 statement doing the
 * equivalent primary-key lookup or index range scan, measured in the same run.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  listRecords,
  type ObjectType,
  type SearchRequest,
  searchRecords,
} from '../../src/crm/index.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { openStore } from '../../src/storage/store.js';
import { generate, lifecycle } from './dataset.js';

const scale = Number(process.argv[2] ?? 1);
const sizes = {
  contacts: Math.round(1_000_000 * scale),
  companies: Math.round(100_000 * scale),
  deals: Math.round(200_000 * scale),
};
const runs = 200;
const keep = process.env.CRM_BENCH_DB;
const dir = keep ? undefined : mkdtempSync(join(tmpdir(), 'triad-crm-bench-'));
const file = keep ?? join(dir ?? '.', 'crm.db');
const fresh = !existsSync(file);

const store = openStore({ engine: 'sqlite', file });
const raw = store.sqlite;
if (!raw) throw new Error('the benchmark runs on SQLite');
await migrateToLatest(store.db);
if (fresh) {
  const started = Date.now();
  raw.pragma('synchronous = OFF');
  raw.pragma('cache_size = -1000000');
  console.error(`generating ${JSON.stringify(sizes)} into ${file}`);
  generate(raw, sizes, (line) => console.error(line));
  raw.exec('analyze');
  raw.pragma('synchronous = FULL');
  console.error(`generated in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
raw.pragma('cache_size = -262144');
const deps = { db: store.db };

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length * 0.95)] ?? Number.NaN;
}

/** p95 of both sides, run alternately so neither gets a cache the other warmed for it. */
async function timeBoth(
  ours: (i: number) => Promise<unknown> | unknown,
  baseline: (i: number) => Promise<unknown> | unknown,
): Promise<[number, number]> {
  for (let i = 0; i < 10; i++) {
    await ours(i);
    await baseline(i);
  }
  const a: number[] = [];
  const b: number[] = [];
  const clock = async (
    run: (i: number) => Promise<unknown> | unknown,
    i: number,
    into: number[],
  ) => {
    const start = process.hrtime.bigint();
    await run(i);
    into.push(Number(process.hrtime.bigint() - start) / 1e6);
  };
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      await clock(ours, i, a);
      await clock(baseline, i, b);
    } else {
      await clock(baseline, i, b);
      await clock(ours, i, a);
    }
  }
  return [p95(a), p95(b)];
}

const contactIds = { first: sizes.companies + 1, count: sizes.contacts };
const fetchRows = raw.prepare(
  'select * from crm_objects where id in (select value from json_each(?))',
);
const rowsOf = (ids: unknown[]) =>
  fetchRows
    .all(JSON.stringify(ids))
    .map((r) => JSON.parse((r as { properties: string }).properties));
const idsOf = (rows: unknown[]) => rows.map((r) => (r as { object_id: number }).object_id);

const emailOf = (i: number) => {
  const k = (i * 7919) % sizes.contacts;
  return `person${k}@mail${k % 1000}.example`;
};
const search = (type: ObjectType, body: SearchRequest) => searchRecords(deps, type, body);

interface Metric {
  name: string;
  ours: (i: number) => Promise<unknown>;
  baseline: (i: number) => unknown;
}

const listPage = raw.prepare(
  "select * from crm_objects indexed by crm_objects_list where object_type = 'contacts' and archived = 0 and id > ? order by id limit 100",
);
const byValue = raw.prepare(
  'select object_id from crm_values indexed by crm_values_text where object_type = ? and property = ? and v_text = ? and object_id > ? order by object_id limit 100',
);
const byRange = raw.prepare(
  "select object_id from crm_values indexed by crm_values_num where object_type = 'deals' and property = 'amount' and v_num >= ? and v_num <= ? order by v_num desc, object_id desc limit 100",
);
const byPrefix = raw.prepare(
  "select distinct object_id from crm_tokens where object_type = 'contacts' and property in ('firstname', 'lastname', 'email', 'phone', 'company') and token >= ? and token < ? limit 100",
);
const byTime = raw.prepare(
  "select object_id from crm_values indexed by crm_values_num where object_type = 'contacts' and property = 'createdate' and v_num is not null order by v_num desc, object_id desc limit 100",
);
const lastnames = raw
  .prepare(
    "select v_text from crm_values where object_type = 'contacts' and property = 'lastname' limit 200",
  )
  .all()
  .map((r) => String((r as { v_text: string }).v_text));

const metrics: Metric[] = [
  {
    name: 'list contacts, first page (100)',
    ours: () => listRecords(deps, 'contacts', { after: undefined, limit: 100, archived: false }),
    baseline: () =>
      listPage.all(0).map((r) => JSON.parse((r as { properties: string }).properties)),
  },
  {
    name: 'list contacts, deep page (100)',
    ours: (i) =>
      listRecords(deps, 'contacts', {
        after: contactIds.first + ((i * 7919) % contactIds.count),
        limit: 100,
        archived: false,
      }),
    baseline: (i) => listPage.all(contactIds.first + ((i * 7919) % contactIds.count)),
  },
  {
    name: 'search contacts email EQ',
    ours: (i) =>
      search('contacts', {
        filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: emailOf(i) }] }],
      }),
    baseline: (i) => rowsOf(idsOf(byValue.all('contacts', 'email', emailOf(i), 0))),
  },
  {
    name: 'search contacts lifecyclestage EQ, page 1 (+total)',
    ours: (i) =>
      search('contacts', {
        filterGroups: [
          {
            filters: [
              {
                propertyName: 'lifecyclestage',
                operator: 'EQ',
                value: lifecycle[i % lifecycle.length],
              },
            ],
          },
        ],
        limit: 100,
      }),
    baseline: (i) =>
      rowsOf(idsOf(byValue.all('contacts', 'lifecyclestage', lifecycle[i % lifecycle.length], 0))),
  },
  {
    name: 'search contacts lifecyclestage IN x2, page 1',
    ours: (i) =>
      search('contacts', {
        filterGroups: [
          {
            filters: [
              {
                propertyName: 'lifecyclestage',
                operator: 'IN',
                values: [lifecycle[i % 6] ?? 'lead', lifecycle[(i + 1) % 6] ?? 'lead'],
              },
            ],
          },
        ],
        limit: 100,
        after: undefined,
      }),
    baseline: (i) => rowsOf(idsOf(byValue.all('contacts', 'lifecyclestage', lifecycle[i % 6], 0))),
  },
  {
    name: 'search contacts lastname EQ (selective)',
    ours: (i) =>
      search('contacts', {
        filterGroups: [
          {
            filters: [
              { propertyName: 'lastname', operator: 'EQ', value: lastnames[i % lastnames.length] },
            ],
          },
        ],
        limit: 100,
      }),
    baseline: (i) =>
      rowsOf(idsOf(byValue.all('contacts', 'lastname', lastnames[i % lastnames.length], 0))),
  },
  {
    name: 'search deals amount BETWEEN, sort amount desc',
    ours: (i) =>
      search('deals', {
        filterGroups: [
          {
            filters: [
              {
                propertyName: 'amount',
                operator: 'BETWEEN',
                value: String(i * 100),
                highValue: String(i * 100 + 20_000),
              },
            ],
          },
        ],
        sorts: [{ propertyName: 'amount', direction: 'DESCENDING' }],
        limit: 100,
      }),
    baseline: (i) => rowsOf(idsOf(byRange.all(i * 100, i * 100 + 20_000))),
  },
  {
    name: 'search contacts query (word prefix)',
    ours: (i) =>
      search('contacts', {
        query: (lastnames[i % lastnames.length] ?? 'ka').slice(0, 5),
        limit: 100,
      }),
    baseline: (i) => {
      const w = (lastnames[i % lastnames.length] ?? 'ka').slice(0, 5);
      return rowsOf(idsOf(byPrefix.all(w, `${w}\u{10ffff}`)));
    },
  },
  {
    name: 'search contacts sort createdate desc, no filter',
    ours: () =>
      search('contacts', {
        sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }],
        limit: 100,
      }),
    baseline: () => rowsOf(idsOf(byTime.all())),
  },
];

const rows: [string, string, string, string][] = [['metric', 'ours', 'baseline', 'ratio']];
for (const m of metrics) {
  const [ours, baseline] = await timeBoth(m.ours, m.baseline);
  rows.push([
    `${m.name} p95 ms`,
    ours.toFixed(2),
    baseline.toFixed(2),
    (ours / baseline).toFixed(1),
  ]);
}
const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]?.length ?? 0)));
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  '));

await store.close();
if (dir) rmSync(dir, { recursive: true, force: true });
