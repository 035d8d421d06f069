/**
 * Streaming audience evaluation under an open-loop load. PROFILES profiles (default 100,000),
 * ten computed traits and AUDIENCES real-time audiences (default 50) created through the
 * services; then a generator appends track events through the real event log at RATE events/s
 * (default 20,000) in 100-event appends for DURATION seconds (default 20), while the audience consumer
 * runs under `startConsumer` exactly as `triad start` runs it.
 *
 * The identity graph is stood in for: a small consumer places each event on the profile named
 * by its userId (`identity_profile_events`) and commits the identity offset the audience
 * consumer trails. `bench/identity/` measures the identity graph itself.
 *
 * Latency is measured from each event's scheduled send time (open loop, so a late generator
 * counts against us) to the commit of the audience batch that folded it; "membership" latency
 * is the same for the events that caused an entry or exit (`audience_membership_log.seq`).
 * Baseline, in the same run: the consumer's floor without evaluation, i.e. reading the same
 * events back in 100-record batches and looking up their profiles (`profilesOfSeqs`).
 *
 * Smaller runs: `PROFILES=10000 RATE=5000 DURATION=10 npx tsx bench/audiences/streaming.ts`.
 */
import { profilesOfSeqs } from '../../src/cdp/audiences/audience.repository.js';
import { audienceConsumer } from '../../src/cdp/audiences/index.js';
import { identityConsumerName } from '../../src/cdp/identity/graph/identity.service.js';
import { systemClock } from '../../src/kernel/clock.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { type LogConsumer, startConsumer } from '../../src/log/consumer.js';
import type { LoggedRecord, LogRecord } from '../../src/log/event-log.js';
import { openTableLog, writeOffset } from '../../src/log/table-log.js';
import {
  audienceTexts,
  defineAudiences,
  eventNames,
  insertProfiles,
  loadAverage,
  openBenchStore,
  percentile,
  traitDefinitions,
} from '../lib/audience-fixtures.js';

const profileCount = Number(process.env.PROFILES ?? 100_000);
const audienceCount = Number(process.env.AUDIENCES ?? 50);
const rate = Number(process.env.RATE ?? 20_000);
const seconds = Number(process.env.DURATION ?? 20);
const appendSize = 100;

console.log(`# load average before: ${loadAverage()}`);
const bench = await openBenchStore();
const db = bench.store.db;
const deps = { db, clock: systemClock };

// Definitions first, on an empty store, so their backfills are instant; profiles follow.
// Trait states therefore start empty and are built by the streamed events themselves.
await defineAudiences(deps, traitDefinitions(), audienceTexts(audienceCount));
const profiles = insertProfiles(bench, profileCount, Date.now());
console.log(
  `# ${profileCount} profiles, ${traitDefinitions().length} computed traits, ${audienceCount} real-time audiences`,
);

const log = openTableLog(bench.store, systemClock);

/** Stands in for the identity graph: userId is the profile id. */
const placeEvents: LogConsumer = {
  name: identityConsumerName,
  async process(records) {
    const last = records.at(-1);
    if (!last) return;
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('identity_profile_events')
        .values(
          records.map((r) => ({
            seq: r.seq,
            profile_id: r.userId as string,
            origin_profile_id: r.userId as string,
            timestamp: r.timestamp,
          })),
        )
        .onConflict((oc) => oc.column('seq').doNothing())
        .execute();
      await writeOffset(trx, systemClock, identityConsumerName, last.seq);
    });
  },
  async replay() {},
};

const audiences = audienceConsumer(deps);
const commits: { last: number; at: number }[] = [];
const timedAudiences: LogConsumer = {
  name: audiences.name,
  async process(records: LoggedRecord[]) {
    await audiences.process(records);
    commits.push({ last: (records.at(-1) as LoggedRecord).seq, at: performance.now() });
  },
  replay: (records) => audiences.replay(records),
};

const startSeq =
  (bench.sqlite.prepare('select max(seq) as m from events').get() as { m: number | null }).m ?? 0;
const total = Math.round(rate * seconds);
const identity = await startConsumer(log, placeEvents, silentLogger);
const running = await startConsumer(log, timedAudiences, silentLogger);

function record(i: number, at: number): LogRecord {
  const name = eventNames[Math.floor(Math.random() * eventNames.length)] as string;
  const profile = profiles[Math.floor(Math.random() * profiles.length)] as string;
  const ts = new Date(at).toISOString();
  return {
    sourceId: 'src',
    messageId: `s${i}`,
    type: 'track',
    event: name,
    userId: profile,
    anonymousId: null,
    timestamp: ts,
    receivedAt: ts,
    payload: JSON.stringify({
      type: 'track',
      event: name,
      userId: profile,
      messageId: `s${i}`,
      timestamp: ts,
      properties: {
        total: Math.floor(Math.random() * 200),
        category: ['shoes', 'shirts', 'hats', 'bags'][i % 4],
      },
    }),
  };
}

// Open loop: event i is due at t0 + i / rate whatever the consumers are doing.
const t0 = performance.now();
const scheduled = (i: number) => t0 + (i / rate) * 1000;
const appends: Promise<unknown>[] = [];
let sent = 0;
while (sent < total) {
  const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
  while (sent + appendSize <= due || (due === total && sent < total)) {
    const n = Math.min(appendSize, total - sent);
    const wall = Date.now();
    appends.push(log.append(Array.from({ length: n }, (_, k) => record(sent + k, wall))));
    sent += n;
  }
  await new Promise((r) => setTimeout(r, 2));
}
await Promise.all(appends);
const genEnd = performance.now();
const processedByGenEnd = commits.filter((c) => c.at <= genEnd).at(-1)?.last ?? startSeq;
await identity.drain();
await running.drain();
const drainEnd = performance.now();
console.log(`# load average after: ${loadAverage()}`);

// Latencies: each event -> the commit of the batch that folded it.
const commitAt = (seq: number): number => {
  let lo = 0;
  let hi = commits.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((commits[mid] as { last: number }).last >= seq) hi = mid;
    else lo = mid + 1;
  }
  return (commits[lo] as { at: number }).at;
};
const eventLatency: number[] = [];
for (let i = 0; i < total; i++) eventLatency.push(commitAt(startSeq + 1 + i) - scheduled(i));
eventLatency.sort((a, b) => a - b);
const changed = await db
  .selectFrom('audience_membership_log')
  .select(['seq'])
  .where('reason', '=', 'event')
  .where('seq', '>', startSeq)
  .execute();
const memberLatency = changed
  .map((r) => commitAt(r.seq as number) - scheduled((r.seq as number) - startSeq - 1))
  .sort((a, b) => a - b);

// Baseline: the same batches read back and placed, without evaluation.
const b0 = performance.now();
for (let after = startSeq; ; ) {
  const batch = await log.read(after, appendSize);
  if (batch.length === 0) break;
  await db.transaction().execute((trx) =>
    profilesOfSeqs(
      trx,
      batch.map((r) => r.seq),
    ),
  );
  after = (batch.at(-1) as LoggedRecord).seq;
}
const baselineRate = total / ((performance.now() - b0) / 1000);

const genSeconds = (genEnd - t0) / 1000;
const sustained = (processedByGenEnd - startSeq) / genSeconds;
const overall = total / ((drainEnd - t0) / 1000);
console.log(
  `# offered ${total} events at ${rate}/s over ${genSeconds.toFixed(1)} s; ${changed.length} membership changes by events; drained ${((drainEnd - genEnd) / 1000).toFixed(1)} s after the generator stopped`,
);
console.log('metric  ours  baseline  ratio');
console.log(
  `processed_events_per_s(during load)  ${sustained.toFixed(0)}  ${baselineRate.toFixed(0)}  ${(sustained / baselineRate).toFixed(3)}`,
);
console.log(
  `processed_events_per_s(until drained)  ${overall.toFixed(0)}  ${baselineRate.toFixed(0)}  ${(overall / baselineRate).toFixed(3)}`,
);
const ms = (x: number) => x.toFixed(0);
const floorMs = (appendSize / baselineRate) * 1000;
console.log(
  `event_to_commit_ms p50/p95  ${ms(percentile(eventLatency, 50))}/${ms(percentile(eventLatency, 95))}  ${floorMs.toFixed(1)}  -`,
);
console.log(
  `event_to_membership_ms p50/p95  ${ms(percentile(memberLatency, 50))}/${ms(percentile(memberLatency, 95))}  ${floorMs.toFixed(1)}  -`,
);
console.log(
  '# baseline latency: time to read and place one 100-event batch (the floor without evaluation)',
);

await identity.stop();
await running.stop();
await audiences.stop();
await log.close();
await bench.close();
