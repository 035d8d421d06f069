import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';

/**
 * Suppressed DMP IDs, held in process so the activation hot path pays a Set lookup, not a
 * query. Every list write in this process invalidates it at once; writes by other processes
 * are seen within `recheckMs`, through a cheap version read of the suppression lists.
 */
const recheckMs = 1_000;

interface Cached {
  ids: Set<string>;
  version: string;
  checkedAt: number;
  generation: number;
}

const caches = new WeakMap<object, Cached>();
const loading = new WeakMap<object, Promise<Set<string>>>();
let generation = 0;

/** Called by every list write: the next lookup in this process reloads. */
export function suppressionChanged(): void {
  generation++;
}

async function versionOf(db: Kysely<DB>): Promise<string> {
  const row = await db
    .selectFrom('dmp_lists')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.sum<number | string | null>('version').as('v'),
      eb.fn.max('updated_at').as('u'),
    ])
    .where('kind', '=', 'suppression')
    .executeTakeFirst();
  return `${row?.n ?? 0}:${row?.v ?? 0}:${row?.u ?? ''}`;
}

async function load(db: Kysely<DB>): Promise<Set<string>> {
  const startedAt = generation;
  const version = await versionOf(db);
  const rows = await db
    .selectFrom('dmp_list_members')
    .innerJoin('dmp_lists', 'dmp_lists.name', 'dmp_list_members.list_name')
    .select('dmp_list_members.dmp_id')
    .where('dmp_lists.kind', '=', 'suppression')
    .execute();
  const ids = new Set(rows.map((r) => r.dmp_id));
  caches.set(db, { ids, version, checkedAt: performance.now(), generation: startedAt });
  return ids;
}

/** The suppressed IDs as of at most `recheckMs` ago (as of now for this process's writes). */
export async function suppressedIds(db: Kysely<DB>): Promise<Set<string>> {
  const cached = caches.get(db);
  if (cached && cached.generation === generation) {
    if (performance.now() - cached.checkedAt < recheckMs) return cached.ids;
    if ((await versionOf(db)) === cached.version) {
      cached.checkedAt = performance.now();
      return cached.ids;
    }
  }
  // One reload at a time per store; concurrent lookups wait for it.
  const pending = loading.get(db);
  if (pending) return pending;
  const next = load(db).finally(() => loading.delete(db));
  loading.set(db, next);
  return next;
}
