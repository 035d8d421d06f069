import type { Generated, Selectable } from 'kysely';

export interface TeamTable {
  id: Generated<number>;
  name: string;
  created_at: string;
  updated_at: string;
}

/** A user's membership of a team; `is_primary` marks the team HubSpot calls primary. */
export interface TeamMemberTable {
  team_id: number;
  user_id: string;
  is_primary: number;
}

/** Owner-based visibility of one role: `own`, `team` or `all` (no row means `all`). */
export interface VisibilityTable {
  role: string;
  scope: string;
  updated_at: string;
}

export type TeamRow = Selectable<TeamTable>;
