import type { Selectable } from 'kysely';

export interface UserTable {
  id: string;
  email: string;
  name: string | null;
  role: string;
  password_hash: string;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
}

export interface SessionTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export type UserRow = Selectable<UserTable>;
