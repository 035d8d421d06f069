/**
 * Full recompute of one audience over EVENTS events (default 10,000,000) on PROFILES profiles
 * (default 100,000), rows written straight into the tables the identity graph maintains.
 *
 * - `engine_rebuild`: the existing path of a recompute or backfill, page by page as
 *   `backfill.ts` walks profiles (rebuild the audience's counters from each profile's history,
 *   then evaluate and record entries), timed on the first SUBSET profiles (default 2,000) and
 *   extrapolated linearly to every profile.
 * - `runAudienceBatch`: re-evaluation of the audience over every profile from stored states
 *   (no event scan), timed in full unless BATCH=0.
 * - `recomputeAudience`: the set-based path (one grouped query over the events, then entries
 *   and exits recorded) over every profile and every event.
 * - `set_based_sql`: that grouped query alone (it writes nothing), for scale.
 * Baseline, same run: one full table scan counting the named event's rows (`not indexed`).
 *
 * Smaller runs: `PROFILES=100000 EVENTS=1000000 npx tsx bench/audiences/recompute.ts`.
 */
import { sql } from 'kysely';
import {
  audienceConsumerName,
  lockAudienceState,
  profilePage,
} from '../../src/cdp/audiences/audience.repository.js';
import { updateProfiles } from '../../src/cdp/audiences/engine.js';
import {
  createAudience,
  recomputeAudience,
  runAudienceBatch,
} from '../../src/cdp/audiences/index.js';
import { loadModel } from '../../src/cdp/audiences/model.js';
import { systemClock } from '../../src/kernel/clock.js';
import { writeOffset } from '../../src/log/table-log.js';
import {
  insertHistory,
  insertProfiles,
  loadAverage,
  openBenchStore,
} from '../lib/audience-fixtures.js';

const profileCount = Number(process.env.PROFILES ?? 100_000);
const eventCount = Number(process.env.EVENTS ?? 10_000_000);
const subset = Math.min(profileCount, Number(process.env.SUBSET ?? 2_000));
const withBatch = process.env.BATCH !== '0';
const text = 'performed "Order Completed" at least 2 times within 30 days';

console.log(`# load average before: ${loadAverage()}`);
const bench = await openBenchStore();
const db = bench.store.db;
const deps = { db, clock: systemClock };

// Defined on the empty store so the service's own backfill is instant; the history follows.
const created = await createAudience(deps, { key: 'buyers', name: 'Buyers', text });
for (;;) {
  const row = await db
    .selectFrom('audience_definitions')
    .select('status')
    .where('id', '=', created.id)
    .executeTakeFirstOrThrow();
  if (row.status === 'ready') break;
  await new Promise((r) => setTimeout(r, 20));
}
const now = Date.now();
const t0 = performance.now();
const profiles = insertProfiles(bench, profileCount, now);
insertHistory(bench, profiles, eventCount, now);
const position =
  (bench.sqlite.prepare('select max(seq) as m from events').get() as { m: number | null }).m ?? 0;
// As if the streaming consumer had caught up: rebuilds read history up to its position.
await writeOffset(db, systemClock, audienceConsumerName, position);
console.log(
  `# loaded ${profileCount} profiles, ${eventCount} events in ${((performance.now() - t0) / 1000).toFixed(1)} s; audience: ${text}`,
);

// The existing path, page by page (200 profiles, one transaction each) on the subset.
const r0 = performance.now();
let after = '';
let done = 0;
let entered = 0;
while (done < subset) {
  const page = await profilePage(db, after, Math.min(200, subset - done));
  if (page.length === 0) break;
  entered += await db.transaction().execute(async (trx) => {
    const upto = await lockAudienceState(trx, systemClock);
    const model = await loadModel(trx);
    const audience = model.audiences.find((a) => a.id === created.id);
    const result = await updateProfiles(trx, model, {
      now: new Date(),
      events: new Map(),
      rebuild: new Set(page),
      rebuildTraits: audience?.hidden ?? [],
      uptoSeq: upto,
      evaluate: (a) => a.id === created.id,
      reason: 'recompute',
    });
    return result.changes.length;
  });
  done += page.length;
  after = page.at(-1) ?? after;
}
const rebuildMs = performance.now() - r0;
const rebuildFullMs = (rebuildMs / done) * profileCount;

// The set-based path over every profile and every event (it also corrects the subset's
// memberships, which the page-by-page run above already established the same way).
const f0 = performance.now();
const fast = await recomputeAudience(deps, created.id);
const fastMs = performance.now() - f0;
const size = (
  await db
    .selectFrom('audience_definitions')
    .select('size')
    .where('id', '=', created.id)
    .executeTakeFirstOrThrow()
).size;

let batchMs = Number.NaN;
if (withBatch) {
  const b0 = performance.now();
  await runAudienceBatch(deps, created.id);
  batchMs = performance.now() - b0;
}

const cutoff = new Date(now - 30 * 86_400_000).toISOString();
const s0 = performance.now();
const members = await sql<{ n: number }>`
  select count(*) as n from (
    select pe.profile_id from identity_profile_events pe
    join events e on e.seq = pe.seq
    where e.type = 'track' and e.event = 'Order Completed' and e.timestamp > ${cutoff}
      and e.seq <= ${position}
    group by pe.profile_id having count(*) >= 2
  ) m`.execute(db);
const setMs = performance.now() - s0;

// A full table scan: with the audience index, this count would read the index only.
const c0 = performance.now();
bench.sqlite
  .prepare(`select count(*) from events not indexed where event = 'Order Completed'`)
  .get();
const baselineMs = performance.now() - c0;
console.log(`# load average after: ${loadAverage()}`);
console.log(
  `# engine rebuild: ${done} profiles in ${rebuildMs.toFixed(0)} ms, ${entered} entries; set-based members: ${members.rows[0]?.n}`,
);
console.log('metric  ours  baseline  ratio');
const line = (name: string, ms: number) =>
  console.log(
    `${name}  ${ms.toFixed(0)}  ${baselineMs.toFixed(0)}  ${(ms / baselineMs).toFixed(2)}`,
  );
line(`engine_rebuild_ms(extrapolated from ${done} to ${profileCount} profiles)`, rebuildFullMs);
if (withBatch) line('runAudienceBatch_ms(every profile, from stored states)', batchMs);
line(`recomputeAudience_ms(path ${fast.path}, ${fast.changes} changes, size ${size})`, fastMs);
line('set_based_sql_ms(members only, writes nothing)', setMs);
await bench.close();
