import type { Role } from '../roles.js';
import type { ApiTokenRow } from './token.table.js';

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  hint: string;
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

export function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    hint: row.token_hint,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revoked: row.revoked_at !== null,
  };
}

/** Every API token starts with this, so secret scanners and people can recognise one. */
export const tokenPrefix = 'triad';
