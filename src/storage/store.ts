import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  sql,
} from 'kysely';
import pg from 'pg';
import type { StorageConfig } from '../config.js';
import type { DB } from './schema.js';

export type Engine = StorageConfig['engine'];

/** The system of record: one Kysely instance over SQLite or PostgreSQL, and how to close it. */
export interface Store {
  db: Kysely<DB>;
  engine: Engine;
  /**
   * The raw better-sqlite3 handle on the embedded engine, for the few hot paths (the event log)
   * where prepared statements beat building SQL per call. Undefined on PostgreSQL.
   */
  sqlite?: SQLite.Database;
  /** Throws when the database cannot answer a trivial query (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** PostgreSQL only: the schema to work in (tests give each suite its own). */
  searchPath?: string;
  /** PostgreSQL only: pool size. */
  poolSize?: number;
}

export function openStore(config: StorageConfig, opts: StoreOptions = {}): Store {
  return config.engine === 'sqlite' ? openSqlite(config.file) : openPostgres(config.url, opts);
}

function openSqlite(file: string): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file);
  // WAL lets readers run beside the writer; synchronous=FULL fsyncs each commit so an
  // acknowledged write survives a killed process and a power cut alike.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  // Erasure must not leave personal data readable in the file's free pages.
  database.pragma('secure_delete = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database }) });
  let closed = false;
  return {
    db,
    engine: 'sqlite',
    sqlite: database,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

/**
 * Transactions begin IMMEDIATE: they take the write lock up front, waiting for it under
 * `busy_timeout`. A deferred transaction that reads and then writes fails at once with
 * SQLITE_BUSY when another process (a second HTTP worker, `--role worker`) committed in
 * between, and the busy handler cannot help it.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

// pg returns int8 (counts, sums) as strings to protect huge values; Triad's int8 columns hold
// millisecond times and counters well inside 2^53, so numbers are the honest type.
const int8Oid = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === int8Oid && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

function openPostgres(url: string, opts: StoreOptions): Store {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    types: pgTypes,
    ...(opts.searchPath ? { options: `-c search_path=${opts.searchPath}` } : {}),
  });
  // An idle client that loses its server emits 'error' on the pool; without a listener that
  // would crash the process. The next query gets a fresh connection.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    db,
    engine: 'postgres',
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
