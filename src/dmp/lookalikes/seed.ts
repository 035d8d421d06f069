import type { Kysely } from 'kysely';
import { AppError, notFound } from '../../kernel/errors.js';
import type { DB } from '../../storage/schema.js';
import { dmpListSizes, isDmpListName, seedListMembers } from '../lists/list.service.js';
import { memberPage } from '../qualify/qualification.repository.js';
import { parseSegmentExpression, referencedTraits } from '../segments/expression.js';
import { findSegment } from '../segments/segment.repository.js';

/** A lookalike's seed: a DMP segment's members, or a seed list the CDP sent. */
export type Seed = { segmentId: string } | { list: string };

export interface SeedMembers {
  ids: string[];
  /** Traits the seed is defined by (a segment's rule); never features of its model. */
  excludedTraits: string[];
}

function tooSmall(k: number): AppError {
  return new AppError('insufficient_data', `The seed has fewer than ${k} members`, [
    { field: 'seed', message: `at least ${k} members needed (the minimum segment size)` },
  ]);
}

/** The seed's member IDs as they are now; 404 for an unknown segment or list. */
export async function seedMembers(db: Kysely<DB>, seed: Seed, k: number): Promise<SeedMembers> {
  if ('segmentId' in seed) {
    const segment = await findSegment(db, seed.segmentId);
    if (!segment) throw notFound(`segment ${seed.segmentId}`);
    const ids: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await memberPage(db, segment.id, after, 5_000);
      ids.push(...page);
      if (page.length < 5_000) break;
      after = page.at(-1);
    }
    if (ids.length < k) throw tooSmall(k);
    const excludedTraits = [...referencedTraits(parseSegmentExpression(segment.expression))];
    return { ids, excludedTraits: excludedTraits.sort() };
  }
  if (!isDmpListName(seed.list)) {
    throw new AppError('validation_failed', 'Not a list name', [
      { field: 'seed.list', message: 'lower-case letters, digits, "_" and "-"' },
    ]);
  }
  const list = (await dmpListSizes(db, k)).find((l) => l.name === seed.list);
  if (!list) throw notFound(`seed list ${seed.list}`);
  if (list.kind !== 'seed') {
    throw new AppError('validation_failed', `List ${seed.list} is not a seed list`, [
      { field: 'seed.list', message: 'must name a list of kind "seed"' },
    ]);
  }
  const ids = await seedListMembers(db, seed.list, k);
  if (!ids) throw tooSmall(k);
  return { ids, excludedTraits: [] };
}
