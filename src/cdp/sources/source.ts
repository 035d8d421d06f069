import type { SourceRow } from './source.table.js';

/** Where events come from: a website, an app, a server, an import. Its write key is public. */
export interface Source {
  id: string;
  name: string;
  writeKey: string;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export function toSource(row: SourceRow): Source {
  return {
    id: row.id,
    name: row.name,
    writeKey: row.write_key,
    enabled: row.disabled_at === null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
