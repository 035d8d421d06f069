import type { Kysely } from 'kysely';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { badRequest, notFound } from '../../kernel/errors.js';
import { decodeCursor, type Page, toPage } from '../../kernel/pagination.js';
import type { DB } from '../../storage/schema.js';
import { assertNoPiiText } from '../collect/firewall.js';
import { CUSTOM_ID_START, loadIabTaxonomy, TaxonomyIndex, type TaxonomyNode } from './taxonomy.js';
import * as repo from './taxonomy.repository.js';

/** The IAB taxonomy plus this installation's custom nodes. */
export async function loadTaxonomy(db: Kysely<DB>): Promise<TaxonomyIndex> {
  const custom = await repo.allCustomNodes(db);
  return new TaxonomyIndex([
    ...loadIabTaxonomy(),
    ...custom.map((row) => {
      const node: TaxonomyNode = {
        id: Number(row.id),
        parentId: row.parent_id === null ? null : Number(row.parent_id),
        name: row.name,
        path: [row.name],
        source: 'custom',
      };
      return node;
    }),
  ]).withCustomPaths();
}

export interface BrowseQuery {
  q?: string | undefined;
  parentId?: number | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Search (`q`), children of a node (`parentId`), or every node; keyset-paged by ID. */
export async function browseTaxonomy(
  deps: Pick<Deps, 'db'>,
  query: BrowseQuery,
): Promise<Page<TaxonomyNode>> {
  const index = await loadTaxonomy(deps.db);
  let nodes: TaxonomyNode[];
  if (query.q !== undefined && query.q.trim() !== '') nodes = index.search(query.q);
  else if (query.parentId !== undefined) nodes = index.childrenOf(query.parentId);
  else nodes = index.all();
  nodes = [...nodes].sort((a, b) => a.id - b.id);
  if (query.cursor !== undefined) {
    const after = Number(decodeCursor(query.cursor, ['id'] as const).id);
    nodes = nodes.filter((node) => node.id > after);
  }
  return toPage(
    nodes.slice(0, query.limit + 1),
    query.limit,
    (node) => node,
    (node) => ({ id: String(node.id) }),
  );
}

export async function getTaxonomyNode(
  deps: Pick<Deps, 'db'>,
  id: number,
): Promise<TaxonomyNode & { children: TaxonomyNode[] }> {
  const index = await loadTaxonomy(deps.db);
  const node = index.byId.get(id);
  if (!node) throw notFound(`taxonomy node ${id}`);
  return { ...node, children: index.childrenOf(id) };
}

/** Adds a custom node (ID from 1,000,000 up) under an existing node or at the root. */
export async function createCustomNode(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { name: string; parentId?: number | undefined },
): Promise<TaxonomyNode> {
  const name = input.name.trim();
  assertNoPiiText(name, 'name');
  return deps.db.transaction().execute(async (trx) => {
    const index = await loadTaxonomy(trx);
    const parentId = input.parentId ?? null;
    if (parentId !== null && !index.byId.has(parentId)) {
      throw badRequest(`The parent taxonomy node ${parentId} does not exist`, [
        { field: 'parentId', message: 'unknown node' },
      ]);
    }
    const id = Math.max(CUSTOM_ID_START - 1, (await repo.maxCustomId(trx)) ?? 0) + 1;
    await repo.insertCustomNode(trx, {
      id,
      parent_id: parentId,
      name,
      created_at: iso(deps.clock.now()),
    });
    const parentPath = parentId === null ? [] : (index.byId.get(parentId)?.path ?? []);
    return { id, parentId, name, path: [...parentPath, name], source: 'custom' as const };
  });
}

/** Refuses taxonomy IDs that name no node. */
export async function assertTaxonomyIds(db: Kysely<DB>, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  const index = await loadTaxonomy(db);
  const unknown = ids.filter((id) => !index.byId.has(id));
  if (unknown.length > 0) {
    throw badRequest(`Unknown taxonomy IDs: ${unknown.join(', ')}`, [
      { field: 'taxonomyIds', message: 'every ID must name an IAB or custom taxonomy node' },
    ]);
  }
}
