/**
 * OpenRTB enrichment under load: p50/p99 server-side latency of the DMP's work per BidRequest
 * (JSON parse, structural check, consent, hot-store lookup, catalog mapping, copy, serialize) at
 * a fixed arrival rate over a population of DMP IDs, beside the raw lookup the hot store is
 * built on (a JS Map get, or a Redis GET) driven at the same rate in the same run. The cost of
 * the HTTP layer (Fastify, token auth) is printed separately, measured sequentially through
 * inject() next to a bare route, since one in-process inject loop cannot offer 20,000 req/s.
 *
 *   npx tsx bench/dmp/openrtb.ts [--ids 1000000] [--rate 20000] [--seconds 5] [--hot embedded|redis]
 *
 * `--hot redis` needs TEST_REDIS_URL (keys go under a random prefix, removed at the end).
 * Latency is measured from each request's start to its answer, with requests issued open-loop
 * (on schedule, whether or not earlier ones finished), so queueing shows up in the figures.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { createToken } from '../../src/access/tokens/token.service.js';
import { buildApp } from '../../src/app.js';
import { defaultCollectConfig, defaultDmpConfig, testServiceUrls } from '../../src/config.js';
import { createCrmRuntime } from '../../src/crm/runtime.js';
import type { JsonObject } from '../../src/dmp/activation/openrtb.js';
import { enrichBidRequest } from '../../src/dmp/index.js';
import { createDmpRuntime } from '../../src/dmp/runtime.js';
import { systemClock } from '../../src/kernel/clock.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { openTableLog } from '../../src/log/table-log.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { openStore } from '../../src/storage/store.js';

const { values } = parseArgs({
  options: {
    ids: { type: 'string', default: '1000000' },
    rate: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '5' },
    hot: { type: 'string', default: 'embedded' },
  },
});
const N = Number(values.ids);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const redisUrl = values.hot === 'redis' ? testServiceUrls().redis : undefined;
if (values.hot === 'redis' && !redisUrl) throw new Error('--hot redis needs TEST_REDIS_URL');
const SEGMENTS = 20;

const dir = mkdtempSync(join(tmpdir(), 'triad-bench-'));
const store = openStore({ engine: 'sqlite', file: join(dir, 'triad.db') });
await migrateToLatest(store.db);
const sqlite = store.sqlite;
if (!sqlite) throw new Error('expected the embedded store');

// Population: N activatable IDs, each in 1-3 of SEGMENTS segments mapped to IAB IDs.
const ids: string[] = Array.from({ length: N }, (_, i) => `td_${i.toString(32).padStart(26, '0')}`);
const now = new Date().toISOString();
const insertSegment = sqlite.prepare('insert into dmp_segments values (?, ?, ?, ?, ?, ?, ?)');
const insertTrait = sqlite.prepare('insert into dmp_traits values (?, ?, ?, ?, ?, ?, ?, ?)');
insertTrait.run('trt_bench', 'bench', '', 'onboarded', null, 120, now, now);
for (let s = 0; s < SEGMENTS; s++) {
  insertSegment.run(`seg_${s}`, `segment ${s}`, '', 'trt_bench', JSON.stringify([3 + s]), now, now);
}
const insertId = sqlite.prepare('insert into dmp_ids values (?, ?, ?, 1)');
const insertMember = sqlite.prepare('insert into dmp_memberships values (?, ?, ?)');
const segmentsOf = (i: number) => {
  const count = 1 + (i % 3);
  return Array.from({ length: count }, (_, k) => `seg_${(i * 7 + k * 3) % SEGMENTS}`);
};
sqlite.transaction(() => {
  for (let i = 0; i < N; i++) {
    insertId.run(ids[i], now, now);
    for (const seg of new Set(segmentsOf(i))) insertMember.run(ids[i], seg, now);
  }
})();

const deps = { db: store.db, clock: systemClock, log: silentLogger };
const prefix = `triad:bench:${randomBytes(4).toString('hex')}:`;
const dmp = await createDmpRuntime(
  { ...deps, config: { ...defaultDmpConfig, domain: 'dmp.bench', redisUrl } },
  {
    retentionIntervalMs: 0,
    redisKeyPrefix: prefix,
    hotCacheEntries: N + 1,
    hotCacheMaxAgeMs: 3_600_000,
  },
);
const crm = await createCrmRuntime({ ...deps, config: { smtpUrl: undefined } });
const eventLog = openTableLog(store, systemClock);
const app = await buildApp({
  ...deps,
  store,
  eventLog,
  dmp,
  crm,
  config: { bodyLimitBytes: 1024 * 1024, collect: defaultCollectConfig },
});
await app.ready();
const token = (await createToken(deps, { name: 'bench', role: 'advertiser' })).token;

// Cold lookups (a miss loads from SQL), timed on a sample; then every ID is written through, as
// qualification does after each signal, so the run measures the steady state.
const sample = Math.min(N, 10_000);
const warmStart = process.hrtime.bigint();
for (let i = 0; i < sample; i += 500) {
  await Promise.all(ids.slice(i, i + 500).map((id) => dmp.hotStore.get(id)));
}
const coldRate = sample / (Number(process.hrtime.bigint() - warmStart) / 1e9);
for (let i = 0; i < N; i++) await dmp.hotStore.put(ids[i] ?? '', [...new Set(segmentsOf(i))]);

const baselineMap = new Map<string, string>();
for (let i = 0; i < N; i++) baselineMap.set(ids[i] ?? '', segmentsOf(i).join(','));
const redis = redisUrl ? new Redis(redisUrl) : undefined;

const bodyFor = (id: string) =>
  JSON.stringify({
    id: 'auction',
    imp: [{ id: '1', banner: { w: 300, h: 250 }, bidfloor: 0.5 }],
    site: { domain: 'news.example', page: 'https://news.example/a' },
    device: { ua: 'Mozilla/5.0', geo: { country: 'FRA' } },
    user: { buyeruid: id },
    regs: { gdpr: 0 },
  });

/** Open-loop load: `rate` calls per second for `seconds`, returning sorted latencies (ms). */
async function drive(
  call: (id: string) => Promise<unknown>,
  seconds = SECONDS,
): Promise<Float64Array> {
  const total = RATE * seconds;
  // Preallocated, and no array of promises: the harness itself should not make garbage.
  const latencies = new Float64Array(total);
  let done = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * RATE));
    for (; sent < due; sent++) {
      const id = ids[Math.floor(Math.random() * N)] ?? '';
      const t0 = performance.now();
      const slot = sent;
      call(id).then(() => {
        latencies[slot] = performance.now() - t0;
        if (++done === total) finish();
      });
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  await finished;
  const elapsed = (performance.now() - start) / 1000;
  if (elapsed > seconds * 1.1) {
    console.warn(`  (fell behind: ${total} calls took ${elapsed.toFixed(1)} s)`);
  }
  return latencies.sort();
}

const pct = (sorted: Float64Array, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

const dmpDeps = { db: store.db, clock: systemClock, dmp };
let enriched = 0;
const enrich = async (id: string) => {
  const out = await enrichBidRequest(dmpDeps, JSON.parse(bodyFor(id)) as JsonObject);
  if (JSON.stringify(out).includes('segtax')) enriched++;
};
// One discarded second at the same rate first, so JIT compilation is not what is measured.
await drive(enrich, 1);
enriched = 0;
const ours = await drive(enrich);
const enrichedInRun = enriched;
if (enriched === 0)
  throw new Error('no request was enriched: the benchmark is not measuring lookups');

/** Best-of-3 sequential calls per second (capacity of one core, without open-loop queueing). */
async function sequentialRate(call: (id: string) => Promise<unknown>): Promise<number> {
  let best = 0;
  for (let round = 0; round < 3; round++) {
    const n = 50_000;
    const start = performance.now();
    for (let i = 0; i < n; i++) await call(ids[(i * 7919) % N] ?? '');
    best = Math.max(best, n / ((performance.now() - start) / 1000));
  }
  return best;
}
const seqOurs = await sequentialRate(enrich);

/** Mean ms per sequential inject() of one route. */
async function perRequest(
  inject: (id: string) => Promise<{ statusCode: number }>,
): Promise<number> {
  const n = 2_000;
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const res = await inject(ids[i % N] ?? '');
    if (res.statusCode !== 200) throw new Error(`route answered ${res.statusCode}`);
  }
  return (performance.now() - start) / n;
}
const auth = { authorization: `Bearer ${token}` };
const httpOurs = await perRequest((id) =>
  app.inject({
    method: 'POST',
    url: '/dmp/v1/openrtb',
    headers: { ...auth, 'content-type': 'application/json' },
    payload: bodyFor(id),
  }),
);
const httpBare = await perRequest(() =>
  app.inject({ method: 'GET', url: '/healthz', headers: auth }),
);
const rawGet = redis
  ? (id: string) => redis.get(`${prefix}${id}`)
  : async (id: string) => baselineMap.get(id);
await drive(rawGet, 1);
const baseline = await drive(rawGet);
const seqBaseline = await sequentialRate(rawGet);

const name = redis ? 'redis GET' : 'Map get';
console.log(
  `population ${N.toLocaleString()} IDs, ${RATE.toLocaleString()} lookups/s for ${SECONDS} s, hot store: ${dmp.hotStore.engine}, baseline: ${name}`,
);
console.log(
  `cold lookups (SQL load on a miss): ${coldRate.toFixed(0)}/s; enriched ${enrichedInRun} of ${ours.length}; load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} CPUs`,
);
console.log('metric            ours      baseline  ratio');
for (const [label, p] of [
  ['p50 ms', 0.5],
  ['p99 ms', 0.99],
  ['p99.9 ms', 0.999],
] as const) {
  const a = pct(ours, p);
  const b = pct(baseline, p);
  console.log(
    `${label.padEnd(16)}  ${a.toFixed(3).padStart(8)}  ${b.toFixed(3).padStart(8)}  ${(a / b).toFixed(1)}`,
  );
}

console.log(
  `sequential op/s  ${seqOurs.toFixed(0).padStart(8)}  ${seqBaseline.toFixed(0).padStart(8)}  ${(seqOurs / seqBaseline).toFixed(2)}`,
);
console.log(
  `http ms/req      ${httpOurs.toFixed(3).padStart(8)}  ${httpBare.toFixed(3).padStart(8)}  ${(httpOurs / httpBare).toFixed(1)}   (sequential inject; baseline: GET /healthz with the same token)`,
);

await dmp.hotStore.clear();
await redis?.quit();
await app.close();
await eventLog.close();
await dmp.close();
await crm.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
