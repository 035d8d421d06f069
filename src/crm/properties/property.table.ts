import type { Selectable } from 'kysely';

/** Custom property definitions; the standard ones are declared in code. */
export interface CrmPropertyTable {
  object_type: string;
  name: string;
  label: string;
  type: string;
  field_type: string;
  group_name: string;
  description: string;
  /** JSON array of `{label, value, displayOrder, hidden, description}`. */
  options: string;
  display_order: number;
  has_unique_value: number;
  hidden: number;
  form_field: number;
  created_at: string;
  updated_at: string;
  archived: number;
  archived_at: string | null;
}

export type CrmPropertyRow = Selectable<CrmPropertyTable>;
