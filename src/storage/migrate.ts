import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { isPostgres } from './dialect.js';
import { migrations } from './migrations/index.js';
import type { DB } from './schema.js';

export interface MigrationOutcome {
  applied: string[];
}

/**
 * Brings the schema up to date. Safe to call from several processes at once: Kysely takes a
 * lock row before it applies anything, and each migration runs in its own transaction.
 */
export async function migrateToLatest(db: Kysely<DB>): Promise<MigrationOutcome> {
  const migrator = await createMigrator(db);
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      failed ? `migration ${failed} failed: ${reason}` : `migration failed: ${reason}`,
    );
  }
  return {
    applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
  };
}

export async function pendingMigrations(db: Kysely<DB>): Promise<string[]> {
  const all = await (await createMigrator(db)).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

async function createMigrator(db: Kysely<DB>): Promise<Migrator> {
  const provider: MigrationProvider = {
    getMigrations: async () => migrations as Record<string, Migration>,
  };
  return new Migrator({
    db,
    provider,
    migrationTableName: 'triad_migration',
    migrationLockTableName: 'triad_migration_lock',
    // On PostgreSQL the bookkeeping tables are named in the session's own schema: otherwise the
    // migrator's "does the lock table exist" check also sees other schemas' tables (several
    // Triads, or parallel test runs, in one database) and skips creating its own.
    ...(isPostgres(db as Kysely<unknown>) ? { migrationTableSchema: await currentSchema(db) } : {}),
  });
}

async function currentSchema(db: Kysely<DB>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('PostgreSQL reports no current schema (check search_path)');
  return schema;
}
