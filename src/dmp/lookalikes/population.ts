import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';
import { suppressedIds } from '../lists/suppression-cache.js';
import { liveHitPage } from './lookalike.repository.js';
import type { Population } from './model.js';

/** Lookalike IDs, which are also the IDs of the traits their activation realizes. */
export const LOOKALIKE_PREFIX = 'lal_';

const PAGE = 20_000;

/**
 * The population a lookalike models: every activatable, unsuppressed ID holding at least one
 * live trait realization, with its trait vector. Lookalike traits are never features (a model
 * must not learn from its own or another model's output); `excluded` traits are dropped from the
 * vectors but their holders stay in the population (the traits a seed segment is defined by
 * would otherwise make held-out seeds trivially recognizable and teach nothing about non-seeds).
 */
export async function loadPopulation(
  db: Kysely<DB>,
  now: string,
  excluded: ReadonlySet<string>,
): Promise<Population> {
  const suppressed = await suppressedIds(db);
  const traitIndex = new Map<string, number>();
  const traitIds: string[] = [];
  const ids: string[] = [];
  const features: Int32Array[] = [];
  let currentId: string | undefined;
  let current: number[] = [];
  let holdsAny = false;
  const flush = () => {
    if (currentId !== undefined && holdsAny && !suppressed.has(currentId)) {
      ids.push(currentId);
      features.push(Int32Array.from(current).sort());
    }
    current = [];
    holdsAny = false;
  };
  let after: [string, string] | undefined;
  for (;;) {
    const rows = await liveHitPage(db, now, after, PAGE);
    for (const row of rows) {
      if (row.dmp_id !== currentId) {
        flush();
        currentId = row.dmp_id;
      }
      if (row.trait_id.startsWith(LOOKALIKE_PREFIX)) continue;
      holdsAny = true;
      if (excluded.has(row.trait_id)) continue;
      let j = traitIndex.get(row.trait_id);
      if (j === undefined) {
        j = traitIds.length;
        traitIndex.set(row.trait_id, j);
        traitIds.push(row.trait_id);
      }
      current.push(j);
    }
    const last = rows.at(-1);
    if (rows.length < PAGE || !last) break;
    after = [last.dmp_id, last.trait_id];
  }
  flush();
  return { ids, features, traitIds };
}
