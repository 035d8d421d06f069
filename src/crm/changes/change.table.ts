import type { Generated, Selectable } from 'kysely';

/** One row per record write, appended in the write's own transaction (see change.repository). */
export interface CrmChangeTable {
  id: Generated<number>;
  object_type: string;
  object_id: number;
  kind: string;
  /** JSON `{property: {old, new}}`; for `associated`, the other record under `associatedWith`. */
  changes: string;
  actor: string;
  at: string;
}

export type CrmChangeRow = Selectable<CrmChangeTable>;
