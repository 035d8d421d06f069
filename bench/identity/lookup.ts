/**
 * Profile lookups by identifier on a store of 1,000,000 profiles, and how fast a merge becomes
 * visible after the event that causes it is acknowledged.
 *
 *   npx tsx bench/identity/lookup.ts [--profiles 1000000] [--merges 300]
 *
 * Lookups go through the same service the API uses (`getProfile`); the baseline is the raw
 * better-sqlite3 indexed read of the same identifier row, measured in the same run.
 */
import { parseArgs } from 'node:util';
import { getProfile } from '../../src/cdp/profiles/profile.service.js';
import { createTestApp } from '../../test/helpers/app.js';

const args = parseArgs({
  options: {
    profiles: { type: 'string', default: '1000000' },
    merges: { type: 'string', default: '300' },
  },
}).values;
const profileCount = Number(args.profiles);
const mergeCount = Number(args.merges);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

const t = await createTestApp({ identity: true });
const sqlite = t.testStore.store.sqlite;
if (!sqlite) throw new Error('the benchmark runs on the embedded engine');
try {
  // Fill the graph directly: 1M profiles with a user_id, an e-mail and an anonymous ID each.
  const fillStarted = performance.now();
  const now = new Date().toISOString();
  const insertProfile = sqlite.prepare(
    `insert into identity_profiles (id, merged_into, created_at, updated_at, first_seen, last_seen, traits, trait_times) values (?, null, ?, ?, ?, ?, ?, '{}')`,
  );
  const insertId = sqlite.prepare(
    'insert into identity_identifiers (type, value, profile_id, first_seen, last_seen, first_seq) values (?, ?, ?, ?, ?, 0)',
  );
  const fill = sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = `prof_bench${i.toString().padStart(16, '0')}`;
      insertProfile.run(
        id,
        now,
        now,
        now,
        now,
        JSON.stringify({ plan: i % 3 === 0 ? 'pro' : 'free' }),
      );
      insertId.run('user_id', `user-${i}`, id, now, now);
      insertId.run('email', `person${i}@example.com`, id, now, now);
      insertId.run('anonymous_id', `anon-${i}`, id, now, now);
    }
  });
  for (let i = 0; i < profileCount; i += 50_000) fill(i, Math.min(profileCount, i + 50_000));
  const fillSeconds = (performance.now() - fillStarted) / 1000;

  const samples = 20_000;
  const keys = Array.from({ length: samples }, (_, i) => {
    const n = (i * 7919) % profileCount;
    return i % 2 === 0 ? `email:person${n}@example.com` : `user_id:user-${n}`;
  });
  const ours: number[] = [];
  for (const key of keys) {
    const t0 = performance.now();
    await getProfile({ db: t.testStore.store.db }, key);
    ours.push(performance.now() - t0);
  }
  const raw = sqlite.prepare(
    'select profile_id from identity_identifiers where type = ? and value = ?',
  );
  const baseline: number[] = [];
  for (const key of keys) {
    const at = key.indexOf(':');
    const t0 = performance.now();
    raw.get(key.slice(0, at), key.slice(at + 1));
    baseline.push(performance.now() - t0);
  }
  ours.sort((a, b) => a - b);
  baseline.sort((a, b) => a - b);

  // Merge visibility: an anonymous visitor identifies; time from the 200 to the lookup that
  // shows the anonymous ID on the known profile.
  const source = (
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
      payload: { name: 'bench' },
    })
  ).json() as { writeKey: string };
  const auth = {
    authorization: `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}`,
    'content-type': 'application/json',
  };
  const visible: number[] = [];
  for (let i = 0; i < mergeCount; i++) {
    await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: auth,
      payload: { anonymousId: `visitor-${i}`, event: 'Viewed' },
    });
    await t.drain();
    const acked = await t.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: auth,
      payload: { anonymousId: `visitor-${i}`, userId: `user-${i}` },
    });
    const t0 = performance.now();
    if (acked.statusCode !== 200) throw new Error(`identify answered ${acked.statusCode}`);
    for (;;) {
      const profile = await getProfile({ db: t.testStore.store.db }, `anonymous_id:visitor-${i}`);
      if (profile.identifiers.some((id) => id.type === 'user_id')) break;
      await new Promise((r) => setImmediate(r));
    }
    visible.push(performance.now() - t0);
  }
  visible.sort((a, b) => a - b);

  const row = (metric: string, ours: string, base: string, ratio: string) =>
    console.log(`${metric.padEnd(46)}${ours.padStart(14)}${base.padStart(14)}${ratio.padStart(9)}`);
  console.log(
    `\nidentity: ${profileCount.toLocaleString('en')} profiles (3 identifiers each) filled in ${fillSeconds.toFixed(1)} s; SQLite\n`,
  );
  row('metric', 'ours', 'baseline', 'ratio');
  row(
    'lookup by identifier p50 (ms)',
    percentile(ours, 50).toFixed(3),
    percentile(baseline, 50).toFixed(3),
    (percentile(ours, 50) / percentile(baseline, 50)).toFixed(1),
  );
  row(
    'lookup by identifier p99 (ms)',
    percentile(ours, 99).toFixed(3),
    percentile(baseline, 99).toFixed(3),
    (percentile(ours, 99) / percentile(baseline, 99)).toFixed(1),
  );
  row(
    `merge visible after ack p50 / p99 (ms, n=${mergeCount})`,
    `${percentile(visible, 50).toFixed(1)} / ${percentile(visible, 99).toFixed(1)}`,
    '',
    '',
  );
} finally {
  await t.close();
}
