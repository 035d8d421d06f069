/**
 * Lookalike quality and training time on a generated population with a planted pattern.
 *
 *   npx tsx bench/dmp/lookalike.ts [--ids 200000] [--traits 200] [--planted 0.05] [--seed 2000]
 *
 * Every ID holds each trait at that trait's background rate (0.5% to 8%); a planted group
 * (`--planted` of the IDs) holds 5 "signal" traits at 5 times their rate. The seed is a random
 * subset of the planted group, sent as a CDP seed list; the rest of the planted group is hidden
 * among the non-seed IDs. Printed, beside a random ranking computed in the same run:
 * - precision and recall of held-out seed members at each reach (what the API reports);
 * - the planted share of the audience the model would activate at each reach (the truth the
 *   API cannot see: how many of the chosen non-seed IDs really are lookalikes);
 * - training time (population load, fit and evaluation), beside a raw scan of the same rows,
 *   and the time to activate (write the realizations of) a 5% audience.
 * Figures are single runs on a shared machine; timings move with its load.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDmpConfig } from '../../src/config.js';
import { activateLookalike, createLookalike } from '../../src/dmp/lookalikes/lookalike.service.js';
import type { StoredModel } from '../../src/dmp/lookalikes/lookalike.view.js';
import { evaluate, type ModelKind, topRows } from '../../src/dmp/lookalikes/model.js';
import { loadPopulation } from '../../src/dmp/lookalikes/population.js';
import { createDmpRuntime } from '../../src/dmp/runtime.js';
import { manualClock } from '../../src/kernel/clock.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { seededRandom } from '../../src/kernel/random.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { openStore } from '../../src/storage/store.js';

const { values } = parseArgs({
  options: {
    ids: { type: 'string', default: '200000' },
    traits: { type: 'string', default: '200' },
    planted: { type: 'string', default: '0.05' },
    seed: { type: 'string', default: '2000' },
  },
});
const N = Number(values.ids);
const TRAITS = Number(values.traits);
const PLANTED = Math.round(N * Number(values.planted));
const SEED = Math.min(Number(values.seed), PLANTED);
const SIGNAL_TRAITS = 5;
const REACH = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5];

const dir = mkdtempSync(join(tmpdir(), 'triad-bench-'));
const store = openStore({ engine: 'sqlite', file: join(dir, 'triad.db') });
await migrateToLatest(store.db);
const sqlite = store.sqlite;
if (!sqlite) throw new Error('expected the embedded store');

const clock = manualClock('2026-06-01T00:00:00Z');
const now = clock.now();
const at = now.toISOString();
const expires = new Date(now.getTime() + 120 * 86_400_000).toISOString();
const rng = seededRandom(42);

// DMP IDs are `td_` + 26 base32 characters; the seed list refuses anything else.
const ids = Array.from({ length: N }, (_, i) => `td_${i.toString(32).padStart(26, '0')}`);
const traitIds = Array.from({ length: TRAITS }, (_, j) => `trt_b${String(j).padStart(4, '0')}`);
const rates = traitIds.map(() => 0.005 + rng() * 0.075);
const insertTrait = sqlite.prepare('insert into dmp_traits values (?, ?, ?, ?, ?, ?, ?, ?)');
const insertId = sqlite.prepare('insert into dmp_ids values (?, ?, ?, 1)');
const insertHit = sqlite.prepare('insert into dmp_trait_hits values (?, ?, ?, ?, ?)');
const hitsJson = JSON.stringify([now.getTime()]);
// The planted group is every 1/share-th ID, so it is spread over the ID order.
const step = Math.floor(N / PLANTED);
const isPlanted = (i: number) => i % step === 0 && i / step < PLANTED;
let hitRows = 0;
const genStart = performance.now();
sqlite.transaction(() => {
  traitIds.forEach((id, j) => {
    insertTrait.run(id, `bench trait ${j}`, '', 'onboarded', null, 120, at, at);
  });
  for (let i = 0; i < N; i++) {
    insertId.run(ids[i], at, at);
    const planted = isPlanted(i);
    for (let j = 0; j < TRAITS; j++) {
      const rate = (rates[j] as number) * (planted && j < SIGNAL_TRAITS ? 5 : 1);
      if (rng() < rate) {
        insertHit.run(ids[i], traitIds[j], hitsJson, at, expires);
        hitRows++;
      }
    }
  }
})();
const plantedIds = ids.filter((_, i) => isPlanted(i));
const seedIds = new Set(
  plantedIds
    .map((id) => ({ id, key: rng() }))
    .sort((a, b) => a.key - b.key)
    .slice(0, SEED)
    .map((x) => x.id),
);
const insertList = sqlite.prepare(
  'insert into dmp_lists (name, kind, created_at, updated_at) values (?, ?, ?, ?)',
);
const insertMember = sqlite.prepare('insert into dmp_list_members values (?, ?, ?)');
sqlite.transaction(() => {
  insertList.run('bench-seed', 'seed', at, at);
  for (const id of seedIds) insertMember.run('bench-seed', id, at);
})();
const genMs = performance.now() - genStart;

const config = { ...defaultDmpConfig, minSegmentSize: 100 };
const dmp = await createDmpRuntime(
  { db: store.db, clock, log: silentLogger, config },
  { retentionIntervalMs: 0 },
);
const deps = { db: store.db, clock, dmp };

// Baseline for loading: the same rows read raw through better-sqlite3, no paging, no join.
let scanMs = Number.POSITIVE_INFINITY;
for (let r = 0; r < 3; r++) {
  const start = performance.now();
  let n = 0;
  for (const _ of sqlite
    .prepare(
      'select dmp_id, trait_id from dmp_trait_hits where expires_at > ? order by dmp_id, trait_id',
    )
    .iterate(at))
    n++;
  if (n !== hitRows) throw new Error('scan mismatch');
  scanMs = Math.min(scanMs, performance.now() - start);
}
const loadStart = performance.now();
const pop = await loadPopulation(store.db, at, new Set());
const loadMs = performance.now() - loadStart;

const fmt = (x: number, d = 3) => x.toFixed(d);
const ms = (x: number) => `${Math.round(x).toLocaleString('en-US')} ms`;
const rows: [string, string, string, string][] = [];
const row = (metric: string, ours: number, base: number, unit: (x: number) => string = fmt) =>
  rows.push([metric, unit(ours), unit(base), base === 0 ? '-' : (ours / base).toFixed(2)]);

const nonSeedRows: number[] = [];
pop.ids.forEach((id, r) => {
  if (!seedIds.has(id)) nonSeedRows.push(r);
});
const plantedSet = new Set(plantedIds);
const plantedNonSeeds = nonSeedRows.filter((r) => plantedSet.has(pop.ids[r] as string)).length;

// Random rankings in the same run, of the same pool sizes: the mean curve of 200 of them.
const heldSeeds = Math.max(1, Math.round(SEED * 0.25));
const heldNon = Math.max(1, Math.round(nonSeedRows.length * 0.25));
const random = seededRandom(7);
const DRAWS = 200;
const randomCurve = REACH.map((reach) => ({ reach, precision: 0, recall: 0 }));
for (let d = 0; d < DRAWS; d++) {
  const curve = evaluate(
    Array.from({ length: heldSeeds }, random),
    Array.from({ length: heldNon }, random),
    REACH,
    random,
  );
  curve.forEach((p, i) => {
    const mean = randomCurve[i] as (typeof randomCurve)[number];
    mean.precision += p.precision / DRAWS;
    mean.recall += p.recall / DRAWS;
  });
}
// A random audience's planted share is the planted share of the non-seed population.
const randomPlantedShare = plantedNonSeeds / nonSeedRows.length;

for (const kind of ['traitWeight', 'logistic'] as ModelKind[]) {
  const start = performance.now();
  const lal = await createLookalike(deps, {
    name: `bench ${kind}`,
    seed: { list: 'bench-seed' },
    model: kind,
    reachLevels: REACH,
  });
  const trainMs = performance.now() - start;
  const stored = await store.db
    .selectFrom('dmp_lookalikes')
    .select('weights')
    .where('id', '=', lal.id)
    .executeTakeFirstOrThrow();
  const model = JSON.parse(stored.weights) as StoredModel;
  const weightOf = new Map(model.traits.map((t) => [t.traitId, t.weight]));
  const weights = Float64Array.from(pop.traitIds, (t) => weightOf.get(t) ?? 0);
  const ranked = topRows(pop, nonSeedRows, model.bias, weights, nonSeedRows.length);
  lal.curve.forEach((point, i) => {
    const base = randomCurve[i];
    if (!base) return;
    const pct = `${point.reach * 100}%`;
    row(`${kind} precision@${pct}`, point.precision, base.precision);
    row(`${kind} recall@${pct}`, point.recall, base.recall);
    const size = Math.ceil(point.reach * nonSeedRows.length);
    const hits = ranked.slice(0, size).filter((r) => plantedSet.has(pop.ids[r] as string)).length;
    row(`${kind} planted share@${pct}`, hits / size, randomPlantedShare);
  });
  row(`${kind} train (load+fit+eval)`, trainMs, scanMs, ms);
  if (kind === 'traitWeight') {
    const activateStart = performance.now();
    const active = await activateLookalike(deps, lal.id, { reach: 0.05 });
    const activateMs = performance.now() - activateStart;
    row(`activate 5% (${active.activation?.audienceSize ?? 0} IDs)`, activateMs, scanMs, ms);
  }
}
row('population load', loadMs, scanMs, ms);

const widths = [34, 12, 12, 8];
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 10)).join('  ');
console.log(
  `${N.toLocaleString('en-US')} IDs, ${TRAITS} traits, ${hitRows.toLocaleString('en-US')} realizations, ` +
    `planted ${PLANTED.toLocaleString('en-US')} (${plantedNonSeeds.toLocaleString('en-US')} outside the seed), ` +
    `seed ${SEED.toLocaleString('en-US')}; generated in ${ms(genMs)}`,
);
console.log(
  `baseline: mean of ${DRAWS} random rankings (quality rows), raw SQLite scan of the same rows (time rows)`,
);
console.log(line(['metric', 'ours', 'baseline', 'ratio']));
for (const r of rows) console.log(line(r));
console.log(`(node ${process.version}, load average ${loadavg()[0]?.toFixed(1)})`);

await dmp.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
