import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { batchPoster, startTriad } from './lib/triad-process.js';

const args = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    role: { type: 'string', default: 'api' },
    workers: { type: 'string', default: '1' },
  },
}).values;
const seconds = Number(args.seconds);
// `api` measures collection alone; `all` adds the in-process log consumers (identity graph).
const role = args.role === 'all' ? 'all' : 'api';
const connections = Number(args.connections);
const workers = Number(args.workers);
const batchSize = 100;
const _root = resolve(fileURLToPath(import.meta.url), '../..');
const adminToken = 'bench-admin-token-0123456789';

const pages = ['/', '/pricing', '/docs/getting-started', '/blog/launch', '/checkout'];
const events = [
  'Product Viewed',
  'Product Added',
  'Checkout Started',
  'Order Completed',
  'Signed Up',
];
const agents = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
];

let counter = 0;
/** A realistic analytics event, shaped like what analytics.js and the server SDKs send. */
function realisticEvent(now: string) {
  const n = counter++;
  const user = n % 5000;
  const isTrack = n % 3 !== 0;
  const base = {
    messageId: `bench-${process.pid}-${n}`,
    anonymousId: `anon-${user}-5f0c8a`,
    userId: n % 4 === 0 ? `user-${user}` : undefined,
    originalTimestamp: now,
    context: {
      library: { name: 'analytics.js', version: 'npm:next-1.84.3' },
      page: {
        path: pages[n % pages.length],
        url: `https://shop.example${pages[n % pages.length]}?utm_source=newsletter&utm_campaign=spring`,
        referrer: 'https://www.google.com/',
      },
      userAgent: agents[n % agents.length],
      locale: 'en-US',
      ip: `203.0.113.${n % 250}`,
    },
  };
  return isTrack
    ? {
        ...base,
        type: 'track',
        event: events[n % events.length],
        properties: {
          sku: `SKU-${n % 800}`,
          price: (n % 200) + 0.99,
          currency: 'USD',
          quantity: 1 + (n % 3),
        },
      }
    : {
        ...base,
        type: 'page',
        name: 'Page',
        properties: { title: 'Shop', path: pages[n % pages.length] },
      };
}

// Bodies are built from templates refreshed every second, with a unique batch number spliced
// into every messageId: serializing 100 fresh events per request would make this process,
// which shares the machine's two cores with the server, the bottleneck being measured.
const templatesPerSecond = 50;
let templates: { second: number; bodies: string[] } = { second: -1, bodies: [] };
let batchNumber = 0;

function batchBody(): string {
  const second = Math.floor(Date.now() / 1000);
  if (templates.second !== second) {
    const now = new Date().toISOString();
    templates = {
      second,
      bodies: Array.from({ length: templatesPerSecond }, () =>
        JSON.stringify({
          batch: Array.from({ length: batchSize }, () => realisticEvent(now)),
          sentAt: now,
        }),
      ),
    };
  }
  const n = batchNumber++;
  const template = templates.bodies[n % templatesPerSecond] as string;
  return template.replaceAll(`bench-${process.pid}-`, `bench-${process.pid}-${n}-`);
}

const poster = batchPoster(connections);
const post = poster.post;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function closedLoop(url: URL, writeKey: string) {
  const latencies: number[] = [];
  let acked = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const body = batchBody();
        const t0 = performance.now();
        const status = await post(url, body, writeKey);
        latencies.push(performance.now() - t0);
        if (status !== 200) throw new Error(`status ${status}`);
        acked += batchSize;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rate: acked / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    acked,
  };
}

async function openLoop(url: URL, writeKey: string, eventsPerSecond: number) {
  const latencies: number[] = [];
  const interval = (1000 * batchSize) / eventsPerSecond;
  const total = Math.floor((seconds * 1000) / interval);
  const inflight: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const body = batchBody();
    const t0 = performance.now();
    inflight.push(
      post(url, body, writeKey).then((status) => {
        if (status !== 200) throw new Error(`status ${status}`);
        latencies.push(performance.now() - t0);
      }),
    );
  }
  await Promise.all(inflight);
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** The physical limit: the same rows straight into a fresh events table, same pragmas. */
function rawSqliteRate(dir: string, rowsPerTransaction: number): number {
  const db = new SQLite(join(dir, `raw-${rowsPerTransaction}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`create table events (seq integer primary key autoincrement, source_id text not null, message_id text not null, type text not null, event text, user_id text, anonymous_id text, timestamp text not null, received_at text not null, payload text not null);
    create unique index events_dedup on events (source_id, message_id); create index events_user_id on events (user_id); create index events_anonymous_id on events (anonymous_id);`);
  const insert = db.prepare(
    'insert into events (source_id, message_id, type, event, user_id, anonymous_id, timestamp, received_at, payload) values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing',
  );
  const now = new Date().toISOString();
  const rows = Array.from({ length: 20_000 }, () => realisticEvent(now));
  const commit = db.transaction((slice: ReturnType<typeof realisticEvent>[]) => {
    for (const e of slice)
      insert.run(
        'src_bench',
        e.messageId,
        e.type,
        'event' in e ? e.event : null,
        e.userId ?? null,
        e.anonymousId,
        now,
        now,
        JSON.stringify(e),
      );
  });
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += rowsPerTransaction)
    commit(rows.slice(i, i + rowsPerTransaction));
  const rate = rows.length / ((performance.now() - t0) / 1000);
  db.close();
  return rate;
}

const dataDir = mkdtempSync(join(tmpdir(), 'triad-bench-'));
const { child, url } = await startTriad(dataDir, adminToken, [
  '--role',
  role,
  '--workers',
  String(workers),
]);
try {
  const base = new URL(url);
  const created = await fetch(`${url}/api/v1/sources`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: '{"name":"bench"}',
  });
  const { writeKey } = (await created.json()) as { writeKey: string };
  for (let i = 0; i < 20; i++) await post(base, batchBody(), writeKey); // warm-up
  const full = await closedLoop(base, writeKey);
  const half = await openLoop(base, writeKey, full.rate / 2);
  const raw100 = rawSqliteRate(dataDir, 100);
  const raw1000 = rawSqliteRate(dataDir, 1000);
  const row = (metric: string, ours: number, baseline: number, unit: string) =>
    console.log(
      `${metric.padEnd(44)}${`${ours.toFixed(0)} ${unit}`.padStart(16)}${`${baseline.toFixed(0)} ${unit}`.padStart(18)}${(ours / baseline).toFixed(2).padStart(8)}`,
    );
  console.log(
    `\ningest (triad start --role ${role} --workers ${workers}): ${connections} connections, ${batchSize}-event batches, ${seconds} s per phase, synchronous=FULL, dedup on\n`,
  );
  console.log(
    `${'metric'.padEnd(44)}${'ours'.padStart(16)}${'baseline'.padStart(18)}${'ratio'.padStart(8)}`,
  );
  row('sustained events/s (HTTP) vs raw 100-row tx', full.rate, raw100, 'ev/s');
  row('sustained events/s (HTTP) vs raw 1000-row tx', full.rate, raw1000, 'ev/s');
  console.log(
    `${'ack latency p50 / p99 at full load'.padEnd(44)}${`${full.p50.toFixed(1)} / ${full.p99.toFixed(1)} ms`.padStart(16)}`,
  );
  console.log(
    `${`ack latency p50 / p99 at half rate (${(full.rate / 2).toFixed(0)} ev/s)`.padEnd(44)}${`${half.p50.toFixed(1)} / ${half.p99.toFixed(1)} ms`.padStart(16)}`,
  );
} finally {
  child.kill('SIGTERM');
  poster.close();
  await new Promise((r) => child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
