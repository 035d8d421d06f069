import type { SourceRow } from './source.table.js';

/** Where events come from: a website, an app, a server, an import. Its write key is public. */
export interface Source {
  id: string;
  name: string;
  writeKey: string;
  enabled: boolean;
  /**
   * Rank of this source's traits on unified profiles: a higher value wins over a later value
   * from a lower-ranked source (the CRM over a web form). 0 by default.
   */
  traitPriority: number;
  createdAt: string;
  updatedAt: string;
}

export function toSource(row: SourceRow): Source {
  return {
    id: row.id,
    name: row.name,
    writeKey: row.write_key,
    enabled: row.disabled_at === null,
    traitPriority: traitPriorityOf(row.settings),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function traitPriorityOf(settings: string): number {
  const value = (JSON.parse(settings) as { traitPriority?: unknown }).traitPriority;
  return typeof value === 'number' ? value : 0;
}
