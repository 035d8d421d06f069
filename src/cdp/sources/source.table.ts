import type { Selectable } from 'kysely';

export interface SourceTable {
  id: string;
  name: string;
  write_key: string;
  /** JSON object: per-source collection settings (allowed origins, tracking plan, ...). */
  settings: string;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
}

export type SourceRow = Selectable<SourceTable>;
