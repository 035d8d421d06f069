/**
 * Audience preview latency on a synthetic store: PROFILES profiles with EVENTS events in all
 * (defaults 100,000 and 10,000,000; smaller runs: `PROFILES=100000 EVENTS=1000000`). Rows are
 * written straight into the tables the identity graph maintains, so the figure measures the
 * preview itself. Baseline: one full scan counting the named event's rows (the physical
 * floor of an exact answer computed from events).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConditionText } from '../../src/cdp/audiences/definition.text.js';
import { previewAudience } from '../../src/cdp/audiences/index.js';
import { systemClock } from '../../src/kernel/clock.js';
import { newId } from '../../src/kernel/ids.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { openStore } from '../../src/storage/store.js';

const profiles = Number(process.env.PROFILES ?? 100_000);
const events = Number(process.env.EVENTS ?? 10_000_000);
const dir = mkdtempSync(join(tmpdir(), 'triad-bench-'));
const store = openStore({ engine: 'sqlite', file: join(dir, 'triad.db') });
const sqlite = store.sqlite;
if (!sqlite) throw new Error('needs SQLite');
await migrateToLatest(store.db);

const names = ['Page Viewed', 'Product Viewed', 'Added to Cart', 'Order Completed'];
const now = Date.now();
const ids: string[] = [];
const t0 = performance.now();
sqlite.transaction(() => {
  const p = sqlite.prepare(
    `insert into identity_profiles (id, merged_into, created_at, updated_at, first_seen, last_seen, traits, trait_times) values (?, null, ?, ?, ?, ?, ?, '{}')`,
  );
  for (let i = 0; i < profiles; i++) {
    const id = newId('profile');
    ids.push(id);
    const at = new Date(now).toISOString();
    p.run(id, at, at, at, at, JSON.stringify({ plan: i % 3 === 0 ? 'pro' : 'free' }));
  }
})();
const e = sqlite.prepare(
  `insert into events (source_id, message_id, type, event, user_id, anonymous_id, timestamp, received_at, payload) values ('src', ?, 'track', ?, ?, null, ?, ?, ?)`,
);
const pe = sqlite.prepare(
  `insert into identity_profile_events (seq, profile_id, origin_profile_id, timestamp) values (?, ?, ?, ?)`,
);
const chunk = 200_000;
for (let done = 0; done < events; done += chunk) {
  sqlite.transaction(() => {
    for (let i = done; i < Math.min(events, done + chunk); i++) {
      const profile = ids[i % profiles] as string;
      const name = names[(i * 7919) % names.length] as string;
      const ts = new Date(now - ((i * 104729) % (60 * 86_400_000))).toISOString();
      const payload = JSON.stringify({
        type: 'track',
        event: name,
        properties: { total: i % 200 },
      });
      const r = e.run(`m${i}`, name, profile, ts, ts, payload);
      pe.run(r.lastInsertRowid, profile, profile, ts);
    }
  })();
}
console.log(
  `# loaded ${profiles} profiles, ${events} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const condition = parseConditionText(
  'trait plan = "pro" and performed "Order Completed" where total > 100 at least 2 times within 30 days',
);
const deps = { db: store.db, clock: systemClock };
const runs: number[] = [];
let last = { estimate: 0, sampled: 0 };
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  last = await previewAudience(deps, condition);
  runs.push(performance.now() - started);
}
runs.sort((a, b) => a - b);
const started = performance.now();
sqlite.prepare(`select count(*) from events where event = 'Order Completed'`).get();
const baseline = performance.now() - started;
const median = runs[2] ?? 0;
console.log('metric  ours  baseline  ratio');
console.log(
  `preview_ms(median of 5; sample ${last.sampled}, estimate ${last.estimate})  ${median.toFixed(0)}  ${baseline.toFixed(0)}  ${(median / baseline).toFixed(3)}`,
);
await store.close();
rmSync(dir, { recursive: true, force: true });
