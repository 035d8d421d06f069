import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { testServiceUrls } from '../../src/config.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { openStore, type Store } from '../../src/storage/store.js';

export interface TestStore {
  store: Store;
  /** Closes the store and removes everything the test created. */
  destroy(): Promise<void>;
}

export interface EngineUnderTest {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty, migrated database for one test. */
  open(opts?: { migrate?: boolean }): Promise<TestStore>;
}

const postgresUrl = testServiceUrls().postgres;

let template: Promise<string> | undefined;

/** A SQLite file with every migration applied, made once per test process and then copied. */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'triad-template-'));
    const file = join(dir, 'triad.db');
    const store = openStore({ engine: 'sqlite', file });
    await migrateToLatest(store.db);
    // Closing the last connection checkpoints the WAL into the main file, so a copy of the
    // file alone is the whole database.
    await store.close();
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return file;
  })();
  return template;
}

/** A fresh SQLite file in its own temporary folder (a real file, so WAL is real too). */
export async function openTestSqlite(
  opts: { migrate?: boolean } = {},
): Promise<TestStore & { file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'triad-test-'));
  const file = join(dir, 'triad.db');
  // Migrating a fresh file costs more than many tests themselves: copy a migrated template.
  if (opts.migrate !== false) copyFileSync(await migratedTemplate(), file);
  const store = openStore({ engine: 'sqlite', file });
  return {
    store,
    file,
    async destroy() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh schema in the test PostgreSQL database. Refuses any database whose name lacks
 * "test", so a mistyped URL can never point the suite's DROPs at real data.
 */
export async function openTestPostgres(
  url: string,
  opts: { migrate?: boolean } = {},
): Promise<TestStore> {
  const database = new URL(url).pathname.replace(/^\//, '');
  if (!database.includes('test')) {
    throw new Error(
      `refusing to run destructive tests against database "${database}" (name lacks "test")`,
    );
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const store = openStore({ engine: 'postgres', url }, { searchPath: schema, poolSize: 4 });
  if (opts.migrate !== false) await migrateToLatest(store.db);
  return {
    store,
    async destroy() {
      await store.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop schema if exists ${schema} cascade`);
      await cleanup.end();
    },
  };
}

let warned = false;

/** SQLite always; PostgreSQL when TEST_DATABASE_URL is set (and a loud note when it is not). */
export function enginesUnderTest(): EngineUnderTest[] {
  const engines: EngineUnderTest[] = [{ name: 'sqlite', open: (opts) => openTestSqlite(opts) }];
  if (postgresUrl) {
    engines.push({ name: 'postgres', open: (opts) => openTestPostgres(postgresUrl, opts) });
  } else if (!warned) {
    warned = true;
    console.warn(
      '\n*** TEST_DATABASE_URL is not set: PostgreSQL storage tests are SKIPPED (CI sets it) ***\n',
    );
  }
  return engines;
}
