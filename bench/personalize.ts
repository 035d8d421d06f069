/**
 * `POST /api/v1/personalize` latency over real HTTP (keep-alive, one request at a time) on a
 * store of 100,000 profiles, beside two baselines measured in the same run: the existing
 * profile read by identifier over the same HTTP server (`GET /api/v1/profiles/{key}`), and the
 * raw indexed better-sqlite3 read of the identifier row (the storage floor).
 *
 *   npx tsx bench/personalize.ts [--profiles 100000] [--requests 5000]
 */
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createTestApp } from '../test/helpers/app.js';

const args = parseArgs({
  options: {
    profiles: { type: 'string', default: '100000' },
    requests: { type: 'string', default: '5000' },
  },
}).values;
const profileCount = Number(args.profiles);
const requests = Number(args.requests);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

const t = await createTestApp();
const sqlite = t.testStore.store.sqlite;
if (!sqlite) throw new Error('the benchmark runs on the embedded engine');
try {
  const fillStarted = performance.now();
  const now = new Date().toISOString();
  const insertProfile = sqlite.prepare(
    `insert into identity_profiles (id, merged_into, created_at, updated_at, first_seen, last_seen, traits, trait_times) values (?, null, ?, ?, ?, ?, ?, '{}')`,
  );
  const insertId = sqlite.prepare(
    'insert into identity_identifiers (type, value, profile_id, first_seen, last_seen, first_seq) values (?, ?, ?, ?, ?, 0)',
  );
  const insertConsent = sqlite.prepare(
    `insert into privacy_consents (subject_type, subject_value, purpose, channel, granted, source, recorded_at, evidence) values ('email', ?, 'personalization', '*', ?, 'api', ?, null)`,
  );
  const insertMember = sqlite.prepare(
    'insert into audience_members (audience_id, profile_id, entered_at) values (?, ?, ?)',
  );
  for (const [id, key] of [
    ['aud_vip', 'vip'],
    ['aud_churn', 'churn_risk'],
  ]) {
    sqlite
      .prepare(
        `insert into audience_definitions (id, key, name, description, definition, mode, status, progress_done, progress_total, size, last_batch_at, created_at, updated_at) values (?, ?, ?, '', '{}', 'realtime', 'ready', 0, 0, 0, null, ?, ?)`,
      )
      .run(id, key, key, now, now);
  }
  const fill = sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = `prof_bench${i.toString().padStart(16, '0')}`;
      const traits = {
        plan: ['free', 'pro', 'team'][i % 3],
        country: ['FR', 'DE', 'US', 'GB'][i % 4],
        orders: i % 17,
        predicted_purchase_30d: (i % 100) / 100,
        predicted_churn_30d: ((i * 7) % 100) / 100,
      };
      insertProfile.run(id, now, now, now, now, JSON.stringify(traits));
      insertId.run('user_id', `user-${i}`, id, now, now);
      insertId.run('email', `person${i}@example.com`, id, now, now);
      insertId.run('anonymous_id', `anon-${i}`, id, now, now);
      // 90% consented, 5% refused, 5% never asked.
      if (i % 20 !== 0) insertConsent.run(`person${i}@example.com`, i % 20 === 1 ? 0 : 1, now);
      if (i % 5 === 0) insertMember.run('aud_vip', id, now);
      if (i % 7 === 0) insertMember.run('aud_churn', id, now);
    }
  });
  for (let i = 0; i < profileCount; i += 50_000) fill(i, Math.min(profileCount, i + 50_000));
  const fillSeconds = (performance.now() - fillStarted) / 1000;

  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (t.app.server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const call = (method: 'GET' | 'POST', path: string, body?: string): Promise<number> =>
    new Promise((ok, fail) => {
      const req = request(
        {
          agent,
          host: '127.0.0.1',
          port,
          path,
          method,
          headers: {
            authorization: `Bearer ${t.adminToken}`,
            ...(body
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
              : {}),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => ok(res.statusCode ?? 0));
        },
      );
      req.on('error', fail);
      req.end(body);
    });

  const contents = [
    {
      id: 'vip-offer',
      conditions: {
        all: [{ audience: 'vip' }, { trait: 'plan', op: 'in', value: ['pro', 'team'] }],
      },
      title: 'VIP',
    },
    {
      id: 'likely-buyer',
      conditions: { prediction: 'purchase_30d', op: 'gte', value: 0.7 },
      title: 'Buy',
    },
    {
      id: 'save-them',
      conditions: {
        any: [{ audience: 'churn_risk' }, { prediction: 'churn_30d', op: 'gt', value: 0.9 }],
      },
      title: 'Stay',
    },
    { id: 'fr', conditions: { trait: 'country', op: 'eq', value: 'FR' }, title: 'Bonjour' },
    { id: 'default', title: 'Hello' },
  ];
  const keyOf = (i: number) => {
    const n = (i * 7919) % profileCount;
    return i % 2 === 0 ? `email:person${n}@example.com` : `user_id:user-${n}`;
  };
  const bodyOf = (i: number) =>
    JSON.stringify({
      identifier: keyOf(i),
      contents,
      strategy: 'first_match',
      fallback: 'default',
      facts: ['plan', 'country'],
    });

  const measure = async (label: string, fn: (i: number) => Promise<number>) => {
    for (let i = 0; i < 300; i++) await fn(i + requests);
    const times: number[] = [];
    for (let i = 0; i < requests; i++) {
      const t0 = performance.now();
      const status = await fn(i);
      times.push(performance.now() - t0);
      if (status !== 200) throw new Error(`${label} answered ${status}`);
    }
    return times.sort((a, b) => a - b);
  };
  const ours = await measure('personalize', (i) => call('POST', '/api/v1/personalize', bodyOf(i)));
  const profileRead = await measure('profile read', (i) =>
    call('GET', `/api/v1/profiles/${encodeURIComponent(keyOf(i))}`),
  );
  const raw = sqlite.prepare(
    'select profile_id from identity_identifiers where type = ? and value = ?',
  );
  const rawTimes: number[] = [];
  for (let i = 0; i < requests; i++) {
    const key = keyOf(i);
    const at = key.indexOf(':');
    const t0 = performance.now();
    raw.get(key.slice(0, at), key.slice(at + 1));
    rawTimes.push(performance.now() - t0);
  }
  rawTimes.sort((a, b) => a - b);

  const row = (metric: string, a: string, b: string, c: string, d: string) =>
    console.log(
      `${metric.padEnd(22)}${a.padStart(12)}${b.padStart(22)}${c.padStart(20)}${d.padStart(8)}`,
    );
  console.log(
    `\npersonalize: ${profileCount.toLocaleString('en')} profiles (3 identifiers, 5 traits, consents, 2 audiences) filled in ${fillSeconds.toFixed(1)} s; SQLite; ${requests} sequential HTTP requests over keep-alive, 5 contents, first_match\n`,
  );
  row('metric (ms)', 'ours', 'GET /profiles/{key}', 'raw SQLite read', 'ratio');
  for (const p of [50, 99]) {
    row(
      `p${p}`,
      percentile(ours, p).toFixed(3),
      percentile(profileRead, p).toFixed(3),
      percentile(rawTimes, p).toFixed(4),
      (percentile(ours, p) / percentile(profileRead, p)).toFixed(2),
    );
  }
  row(
    'max',
    (ours.at(-1) ?? 0).toFixed(3),
    (profileRead.at(-1) ?? 0).toFixed(3),
    (rawTimes.at(-1) ?? 0).toFixed(4),
    '',
  );
  console.log(
    `\n(ratio: ours / the profile read over the same HTTP server; 1-min load average at the end: ${loadavg()[0]?.toFixed(1)} on this machine)`,
  );
} finally {
  await t.close();
}
