import { iso } from '../../kernel/clock.js';
import { AppError, notFound } from '../../kernel/errors.js';
import { type Page, toPage } from '../../kernel/pagination.js';
import type { DmpDeps } from '../collect/collect.service.js';
import { assertNoPiiText } from '../collect/firewall.js';
import type { DmpSegmentRow } from '../dmp.tables.js';
import { newRecordId } from '../ids/dmp-id.js';
import { idsWithTraits, requalifyMany } from '../qualify/qualify.service.js';
import { assertTaxonomyIds } from '../taxonomy/taxonomy.service.js';
import { findTrait } from '../traits/trait.repository.js';
import { ExpressionError, parseSegmentExpression, referencedTraits } from './expression.js';
import * as repo from './segment.repository.js';

/** A segment as the API shows it. */
export interface Segment {
  id: string;
  name: string;
  description: string;
  expression: string;
  taxonomyIds: number[];
  createdAt: string;
  updatedAt: string;
}

export interface SegmentInput {
  name: string;
  description?: string | undefined;
  expression: string;
  taxonomyIds?: number[] | undefined;
}

export function toSegment(row: DmpSegmentRow): Segment {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    expression: row.expression,
    taxonomyIds: JSON.parse(row.taxonomy_ids) as number[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Parses the rule and checks that every trait it names exists. */
async function checkExpression(deps: Pick<DmpDeps, 'db'>, expression: string): Promise<string[]> {
  let traits: Set<string>;
  try {
    traits = referencedTraits(parseSegmentExpression(expression));
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    throw new AppError('validation_failed', `The segment rule is invalid: ${error.message}`, [
      { field: 'expression', message: error.message },
    ]);
  }
  const missing: string[] = [];
  for (const id of traits) if (!(await findTrait(deps.db, id))) missing.push(id);
  if (missing.length > 0) {
    throw new AppError('validation_failed', `Unknown trait(s): ${missing.join(', ')}`, [
      { field: 'expression', message: 'every trait must exist' },
    ]);
  }
  return [...traits];
}

/**
 * Qualifies IDs that already hold realizations of the rule's traits, so a new or changed
 * segment reflects history at once instead of waiting for each ID's next signal.
 */
async function backfill(deps: DmpDeps, traitIds: string[]): Promise<void> {
  deps.dmp.catalog.invalidate();
  const catalog = await deps.dmp.catalog.get();
  const now = deps.clock.now();
  let after: string | undefined;
  for (;;) {
    const page = await idsWithTraits(deps.db, traitIds, after, 500);
    if (page.length === 0) return;
    await requalifyMany(deps.db, catalog, deps.dmp.hotStore, page, now);
    after = page.at(-1);
  }
}

export async function createSegment(deps: DmpDeps, input: SegmentInput): Promise<Segment> {
  assertNoPiiText(input.name, 'name');
  assertNoPiiText(input.description ?? '', 'description');
  const traits = await checkExpression(deps, input.expression);
  const taxonomyIds = [...new Set(input.taxonomyIds ?? [])];
  await assertTaxonomyIds(deps.db, taxonomyIds);
  const now = deps.clock.now();
  const row: DmpSegmentRow = {
    id: newRecordId('seg', now.getTime()),
    name: input.name.trim(),
    description: input.description?.trim() ?? '',
    expression: input.expression.trim(),
    taxonomy_ids: JSON.stringify(taxonomyIds),
    created_at: iso(now),
    updated_at: iso(now),
  };
  await repo.insertSegment(deps.db, row);
  await backfill(deps, traits);
  return toSegment(row);
}

export async function getSegment(deps: Pick<DmpDeps, 'db'>, id: string): Promise<Segment> {
  const row = await repo.findSegment(deps.db, id);
  if (!row) throw notFound(`segment ${id}`);
  return toSegment(row);
}

export async function listSegments(
  deps: Pick<DmpDeps, 'db'>,
  opts: { after?: string; limit: number },
): Promise<Page<Segment>> {
  const rows = await repo.listSegments(deps.db, opts);
  return toPage(rows, opts.limit, toSegment, (row) => ({ id: row.id }));
}

export async function updateSegment(
  deps: DmpDeps,
  id: string,
  changes: Partial<SegmentInput>,
): Promise<Segment> {
  const existing = await repo.findSegment(deps.db, id);
  if (!existing) throw notFound(`segment ${id}`);
  if (changes.name !== undefined) assertNoPiiText(changes.name, 'name');
  if (changes.description !== undefined) assertNoPiiText(changes.description, 'description');
  const expression = changes.expression?.trim() ?? existing.expression;
  const traits = await checkExpression(deps, expression);
  const taxonomyIds =
    changes.taxonomyIds === undefined
      ? (JSON.parse(existing.taxonomy_ids) as number[])
      : [...new Set(changes.taxonomyIds)];
  await assertTaxonomyIds(deps.db, taxonomyIds);
  const update = {
    name: changes.name?.trim() ?? existing.name,
    description: changes.description?.trim() ?? existing.description,
    expression,
    taxonomy_ids: JSON.stringify(taxonomyIds),
    updated_at: iso(deps.clock.now()),
  };
  await repo.updateSegment(deps.db, id, update);
  if (expression !== existing.expression) {
    // Members that no longer match are dropped by requalification; others join by backfill.
    await repo.deleteMembershipsOf(deps.db, id);
    await deps.dmp.hotStore.clear();
  }
  await backfill(deps, traits);
  return toSegment({ ...existing, ...update });
}

export async function deleteSegment(deps: DmpDeps, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.findSegment(trx, id))) throw notFound(`segment ${id}`);
    await repo.deleteSegment(trx, id);
  });
  deps.dmp.catalog.invalidate();
  // Lookups ignore segments missing from the catalog; clearing also frees the stale entries.
  await deps.dmp.hotStore.clear();
}
