import type { Selectable } from 'kysely';

export interface ApiTokenTable {
  id: string;
  name: string;
  role: string;
  /** `standard` tokens are made by people; the one `bootstrap` token comes from start-up. */
  kind: string;
  token_hash: string;
  /** The secret's last four characters, so people can tell their tokens apart. */
  token_hint: string;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export type ApiTokenRow = Selectable<ApiTokenTable>;
