import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';

/**
 * `triad import` as a real process: the bounded-memory and crash-resume promises only mean
 * something for a process that owns its heap and can be killed.
 */
const root = resolve(fileURLToPath(import.meta.url), '../../..');
let dataDir: string;
let writeKey: string;
const map =
  'userId=customer_id,traits.email=mail,event=order,properties.total:number=amount,timestamp=when,properties.sku=sku,properties.note=note';

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'triad-import-cli-'));
  const out: string[] = [];
  const code = await runCli(['source', 'create', 'warehouse'], {
    out: (l) => out.push(l),
    err: () => {},
    env: { TRIAD_DATA_DIR: dataDir },
    isTty: false,
  });
  expect(code).toBe(0);
  writeKey = out[0] as string;
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Writes a CSV of `rows` orders, streaming (the test must not hold the file either). */
async function writeCsv(file: string, rows: number, bad: (i: number) => boolean) {
  const out = createWriteStream(file);
  out.write('customer_id,mail,order,amount,when,sku,note\n');
  for (let i = 1; i <= rows; i++) {
    const amount = bad(i) ? 'unknown' : (i * 1.5).toFixed(2);
    const line = `c-${i},user${i}@example.com,Order Completed,${amount},2024-03-0${1 + (i % 9)}T10:00:00Z,SKU-${i % 800},"a note, with a comma ${i}"\n`;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}

function startImport(file: string, nodeOptions = ''): ChildProcess & { output: Promise<string> } {
  const child = spawn(
    process.execPath,
    [
      join(root, 'bin/triad.js'),
      'import',
      file,
      '--source',
      writeKey,
      '--type',
      'track',
      '--map',
      map,
    ],
    {
      env: { PATH: process.env.PATH ?? '', TRIAD_DATA_DIR: dataDir, NODE_OPTIONS: nodeOptions },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let text = '';
  child.stdout?.on('data', (c: Buffer) => {
    text += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    text += c.toString();
  });
  const output = new Promise<string>((ok) => child.on('exit', () => ok(text)));
  return Object.assign(child, { output });
}

function query<T>(sql: string, ...params: unknown[]): T {
  const db = new SQLite(join(dataDir, 'triad.db'), { readonly: true });
  try {
    return db.prepare(sql).get(...params) as T;
  } finally {
    db.close();
  }
}

const peakOf = (output: string) => Number(/peak memory (\d+) MB/.exec(output)?.[1] ?? Number.NaN);

describe('triad import (process)', () => {
  it('streams 200,000 rows with bounded memory', async () => {
    const small = join(dataDir, 'small.csv');
    const big = join(dataDir, 'big.csv');
    await writeCsv(small, 2_000, () => false);
    await writeCsv(big, 200_000, () => false);
    // A heap far smaller than the file's rows as objects: loading it whole would crash.
    const options = '--max-old-space-size=96';
    const smallRun = await startImport(small, options).output;
    const started = performance.now();
    const bigRun = await startImport(big, options).output;
    const seconds = (performance.now() - started) / 1000;
    expect(bigRun).toContain('completed: 200000 rows imported');
    const { n } = query<{ n: number }>(
      "select count(*) as n from events where message_id like 'imp_%'",
    );
    expect(n).toBe(202_000);
    // 100x the rows may not cost more than a fixed allowance on top of the small run.
    expect(peakOf(bigRun) - peakOf(smallRun)).toBeLessThan(96);
    expect(peakOf(bigRun)).toBeLessThan(320);
    console.info(
      `import: 200000 rows in ${seconds.toFixed(1)} s (${Math.round(200_000 / seconds)} rows/s incl. start-up), peak RSS ${peakOf(bigRun)} MB (2,000 rows: ${peakOf(smallRun)} MB)`,
    );
  }, 180_000);

  it('resumes after being killed mid-file, storing each row exactly once', async () => {
    const file = join(dataDir, 'resume.csv');
    const rows = 60_000;
    const bad = (i: number) => i % 5_000 === 0;
    await writeCsv(file, rows, bad);
    const first = startImport(file);
    // Kill it hard once a few checkpoints are committed, with no chance to clean up.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const row = query<{ line: number } | undefined>(
        "select checkpoint_line as line from imports where file_name = ? and status = 'running'",
        file,
      );
      if ((row?.line ?? 0) > 10_000) break;
      if (Date.now() > deadline) throw new Error('the import made no progress');
      await new Promise((r) => setTimeout(r, 20));
    }
    first.kill('SIGKILL');
    await first.output;
    const { id } = query<{ id: string }>('select id from imports where file_name = ?', file);
    const before = query<{ n: number }>(
      'select count(*) as n from events where message_id like ?',
      `${id}-%`,
    );
    // Really interrupted mid-file: some rows stored, not all.
    expect(before.n).toBeGreaterThan(0);
    expect(before.n).toBeLessThan(rows - rows / 5_000);
    const status = query<{ status: string; line: number }>(
      'select status, checkpoint_line as line from imports where file_name = ?',
      file,
    );
    expect(status.status).toBe('running');
    expect(status.line).toBeLessThan(rows);

    const second = await startImport(file).output;
    expect(second).toContain('completed:');
    const report = query<{ id: string; imported: number; rejected: number; duplicates: number }>(
      'select id, rows_imported as imported, rows_rejected as rejected, rows_duplicate as duplicates from imports where file_name = ?',
      file,
    );
    const stored = query<{ n: number; distinct_ids: number }>(
      'select count(*) as n, count(distinct message_id) as distinct_ids from events where message_id like ?',
      `${report.id}-%`,
    );
    const valid = rows - rows / 5_000;
    expect(stored.n).toBe(valid);
    expect(stored.distinct_ids).toBe(valid);
    // Rows the killed run stored after its last checkpoint count as imported, once.
    expect(report.imported).toBe(valid);
    expect(report.duplicates).toBe(0);
    expect(report.rejected).toBe(rows / 5_000);
    const errorLines = readFileSync(`${file}.errors.jsonl`, 'utf8').trim().split('\n');
    expect(errorLines.map((l) => JSON.parse(l).line)).toEqual(
      Array.from({ length: rows / 5_000 }, (_, k) => (k + 1) * 5_000 + 1),
    );
  }, 180_000);
});
