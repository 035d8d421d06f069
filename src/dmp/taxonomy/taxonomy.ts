import { readFileSync } from 'node:fs';

/**
 * The IAB Tech Lab Audience Taxonomy 1.1, shipped with Triad as the TSV IAB publishes
 * (public IAB material). In OpenRTB 2.6 its IDs travel in `user.data[].segment[].id` with
 * `ext.segtax = 4`. Custom nodes extend it from ID `CUSTOM_ID_START` up, so they never collide
 * with IAB IDs.
 */

export interface TaxonomyNode {
  id: number;
  parentId: number | null;
  /** The node's own name (its deepest tier). */
  name: string;
  /** Tier names from the root down to this node. */
  path: string[];
  source: 'iab' | 'custom';
}

/** The `ext.segtax` value of IAB Audience Taxonomy 1.1 in OpenRTB. */
export const SEGTAX_AUDIENCE_1_1 = 4;
export const CUSTOM_ID_START = 1_000_000;

const taxonomyFile = new URL('./audience-taxonomy-1.1.tsv', import.meta.url);

/** Parses the IAB TSV: a leading empty column, ID, parent ID, condensed name, tiers 1-6, notes. */
export function parseTaxonomyTsv(text: string): TaxonomyNode[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const nodes: TaxonomyNode[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split('\t').map((cell) => cell.trim());
    const id = Number(cells[1]);
    if (!Number.isInteger(id) || id <= 0) throw new Error(`bad taxonomy row: ${line}`);
    const parentText = cells[2] ?? '';
    const path = cells.slice(4, 10).filter((tier) => tier !== '');
    const name = path.at(-1);
    if (name === undefined) throw new Error(`taxonomy row ${id} has no tier names`);
    nodes.push({
      id,
      parentId: parentText === '' ? null : Number(parentText),
      name,
      path,
      source: 'iab',
    });
  }
  return nodes;
}

let iabNodes: TaxonomyNode[] | undefined;

/** The shipped IAB nodes, read once per process. */
export function loadIabTaxonomy(): TaxonomyNode[] {
  iabNodes ??= parseTaxonomyTsv(readFileSync(taxonomyFile, 'utf8'));
  return iabNodes;
}

/** IAB and custom nodes together, with lookups by ID, by parent and by text. */
export class TaxonomyIndex {
  readonly byId = new Map<number, TaxonomyNode>();
  private readonly children = new Map<number | null, TaxonomyNode[]>();

  constructor(nodes: readonly TaxonomyNode[]) {
    for (const node of nodes) {
      this.byId.set(node.id, node);
      const siblings = this.children.get(node.parentId) ?? [];
      siblings.push(node);
      this.children.set(node.parentId, siblings);
    }
  }

  /** Gives custom nodes their full path (parent's path + own name). */
  withCustomPaths(): this {
    const pathOf = (node: TaxonomyNode, depth: number): string[] => {
      if (node.source === 'iab' || node.parentId === null || depth > 50) return node.path;
      const parent = this.byId.get(node.parentId);
      return parent ? [...pathOf(parent, depth + 1), node.name] : [node.name];
    };
    for (const node of this.byId.values()) {
      if (node.source === 'custom') node.path = pathOf(node, 0);
    }
    return this;
  }

  childrenOf(parentId: number | null): TaxonomyNode[] {
    return this.children.get(parentId) ?? [];
  }

  /** Nodes whose path contains every word of the query (case-insensitive), in ID order. */
  search(query: string): TaxonomyNode[] {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return [...this.byId.values()]
      .filter((node) => {
        const text = node.path.join(' ').toLowerCase();
        return words.every((word) => text.includes(word));
      })
      .sort((a, b) => a.id - b.id);
  }

  all(): TaxonomyNode[] {
    return [...this.byId.values()].sort((a, b) => a.id - b.id);
  }
}
