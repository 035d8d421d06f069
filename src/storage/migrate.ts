import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
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
  const migrator = createMigrator(db);
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
  const all = await createMigrator(db).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

function createMigrator(db: Kysely<DB>): Migrator {
  const provider: MigrationProvider = {
    getMigrations: async () => migrations as Record<string, Migration>,
  };
  return new Migrator({
    db,
    provider,
    migrationTableName: 'triad_migration',
    migrationLockTableName: 'triad_migration_lock',
  });
}
