import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { batchPoster, startTriad } from './lib/triad-process.js';

const args = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    connections: { type: 'string', default: '16' },
    mode: { type: 'string', default: 'flag' },
  },
}).values;
const seconds = Number(args.seconds);
const connections = Number(args.connections);
const batchSize = 100;
const _root = resolve(fileURLToPath(import.meta.url), '../..');
const adminToken = 'bench-admin-token-0123456789';
const names = ['Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed'];

let counter = 0;
function event(now: string) {
  const n = counter++;
  const base = {
    messageId: `plan-bench-${process.pid}-${n}`,
    anonymousId: `anon-${n % 5000}`,
    originalTimestamp: now,
    context: {
      library: { name: 'analytics.js', version: 'npm:next-1.84.3' },
      page: { path: '/shop', url: 'https://shop.example/shop?utm_source=news' },
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36',
      locale: 'en-US',
    },
  };
  if (n % 3 === 0) return { ...base, type: 'page', name: 'Shop', properties: { path: '/shop' } };
  return {
    ...base,
    type: 'track',
    event: names[n % names.length],
    // One event in fifty breaks the plan (a price as text), so violations are recorded too.
    properties: {
      sku: `SKU-${n % 800}`,
      price: n % 50 === 0 ? 'free' : (n % 200) + 0.99,
      currency: 'USD',
      quantity: 1 + (n % 3),
    },
  };
}

const productSchema = {
  type: 'object',
  properties: {
    sku: { type: 'string' },
    price: { type: 'number', minimum: 0 },
    currency: { enum: ['USD', 'EUR'] },
    quantity: { type: 'integer', minimum: 1 },
  },
  required: ['sku', 'price'],
};
const plan = {
  mode: args.mode,
  track: Object.fromEntries(names.map((name) => [name, productSchema])),
  page: { type: 'object', properties: { path: { type: 'string' } } },
  common: { type: 'object', required: ['context'] },
};

const poster = batchPoster(connections);
const post = poster.post;

async function closedLoop(url: URL, writeKey: string, phaseSeconds: number) {
  let acked = 0;
  const deadline = performance.now() + phaseSeconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const now = new Date().toISOString();
        const body = JSON.stringify({
          batch: Array.from({ length: batchSize }, () => event(now)),
          sentAt: now,
        });
        const status = await post(url, body, writeKey);
        // Backpressure is an answer, not a failure: back off as the SDKs do.
        if (status === 429) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        if (status !== 200) throw new Error(`status ${status}`);
        acked += batchSize;
      }
    }),
  );
  return { acked, seconds: (performance.now() - started) / 1000 };
}

async function api(url: string, method: string, path: string, body: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, unknown>>;
}

const dataDir = mkdtempSync(join(tmpdir(), 'triad-bench-plan-'));
const { child, url } = await startTriad(dataDir, adminToken);
try {
  const base = new URL(url);
  const plain = await api(url, 'POST', '/api/v1/sources', { name: 'no plan' });
  const planned = await api(url, 'POST', '/api/v1/sources', { name: 'with plan' });
  await api(url, 'PUT', `/api/v1/sources/${planned.id}/tracking-plan`, plan);
  const keys = { off: String(plain.writeKey), on: String(planned.writeKey) };
  for (let i = 0; i < 10; i++) {
    await post(base, JSON.stringify({ batch: [event(new Date().toISOString())] }), keys.off);
    await post(base, JSON.stringify({ batch: [event(new Date().toISOString())] }), keys.on);
  }
  const totals = { off: { acked: 0, seconds: 0 }, on: { acked: 0, seconds: 0 } };
  const phase = seconds / 4;
  for (const which of ['off', 'on', 'on', 'off'] as const) {
    const r = await closedLoop(base, keys[which], phase);
    totals[which].acked += r.acked;
    totals[which].seconds += r.seconds;
  }
  const rate = (t: { acked: number; seconds: number }) => t.acked / t.seconds;
  const violations = await (
    await fetch(`${url}/api/v1/sources/${planned.id}/violations`, {
      headers: { authorization: `Bearer ${adminToken}` },
    })
  ).json();
  console.log(
    `\ntracking plan cost: ${connections} connections, ${batchSize}-event batches, ${seconds} s in alternating phases, mode ${args.mode}\n`,
  );
  console.log(
    `${'metric'.padEnd(44)}${'ours'.padStart(16)}${'baseline'.padStart(18)}${'ratio'.padStart(8)}`,
  );
  console.log(
    `${'events/s with a plan vs without'.padEnd(44)}${`${rate(totals.on).toFixed(0)} ev/s`.padStart(16)}${`${rate(totals.off).toFixed(0)} ev/s`.padStart(18)}${(rate(totals.on) / rate(totals.off)).toFixed(2).padStart(8)}`,
  );
  const counted = (violations as { counts: { count: number }[] }).counts.reduce(
    (s, c) => s + c.count,
    0,
  );
  console.log(`${'violations counted'.padEnd(44)}${String(counted).padStart(16)}`);
} finally {
  child.kill('SIGTERM');
  poster.close();
  await new Promise((r) => child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
