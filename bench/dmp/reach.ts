/**
 * Reach sketch versus the naive exact approach (a JS Set of IDs).
 *
 *   npx tsx --expose-gc bench/dmp/reach.ts [distinct-ids]
 *
 * Prints one row per metric: our figure, the Set baseline, and ours/baseline.
 * Without --expose-gc the memory row is noisier (no forced collection before measuring).
 */
import { HyperLogLog } from '../../src/dmp/reach/hyperloglog.js';

const N = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = 5;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/**
 * Cookie-like IDs, as a DMP would see them. They go through JSON.parse so they are flat strings,
 * like IDs parsed from request bodies (template literals would build costlier rope strings).
 */
function makeIds(n: number, salt: string): string[] {
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    ids[i] = `tr_${salt}${(i * 2654435761) >>> 0}-${i.toString(36)}-4a1f`;
  }
  return JSON.parse(JSON.stringify(ids)) as string[];
}

/** Best-of-ROUNDS throughput in operations per second. */
function throughput(run: () => void, ops: number): number {
  let best = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    run();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.max(best, ops / seconds);
  }
  return best;
}

const ids = makeIds(N, 'a');

// Adds per second.
const oursRate = throughput(() => {
  const sketch = new HyperLogLog();
  for (const id of ids) sketch.add(id);
}, N);
const setRate = throughput(() => {
  const set = new Set<string>();
  for (const id of ids) set.add(id);
}, N);

// Estimate error at N distinct IDs.
const sketch = new HyperLogLog();
for (const id of ids) sketch.add(id);
const oursError = Math.abs(sketch.estimate() / N - 1);
const exactSet = new Set(ids);
const setError = Math.abs(exactSet.size / N - 1);
exactSet.clear();

// Memory: heap growth while holding N fresh IDs in a Set (strings included, as they would be
// when IDs arrive from a stream) versus the sketch's register array.
gc();
const before = process.memoryUsage();
const held = new Set<string>();
for (const id of makeIds(N, 'b')) held.add(id);
gc();
const after = process.memoryUsage();
const setBytes = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
const sketchBytes = sketch.registers().byteLength;
const serializedBytes = sketch.serialize().length;
const idListBytes = Buffer.byteLength([...held].join('\n'));

const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const pct = (x: number) => `${(x * 100).toFixed(3)}%`;
const rows: [string, string, string, string][] = [
  ['adds/s', fmt(oursRate), fmt(setRate), (oursRate / setRate).toFixed(2)],
  [`estimate error @ ${fmt(N)}`, pct(oursError), pct(setError), '-'],
  ['memory bytes (heap)', fmt(sketchBytes), fmt(setBytes), (sketchBytes / setBytes).toFixed(5)],
  [
    'memory bytes (serialized)',
    fmt(serializedBytes),
    fmt(idListBytes),
    (serializedBytes / idListBytes).toFixed(5),
  ],
];
const widths = [28, 14, 14, 8];
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 10)).join('  ');
console.log(line(['metric', 'ours', 'baseline', 'ratio']));
for (const row of rows) console.log(line(row));
console.log(
  `(held ${held.size.toLocaleString('en-US')} IDs for the memory row; node ${process.version})`,
);
