import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';

/** Live records of a type, optionally only those of some owners (reports aggregate in memory). */
export function recordRows(db: Kysely<DB>, type: string, ownerIds: string[] | undefined) {
  let query = db
    .selectFrom('crm_objects')
    .select(['id', 'properties', 'owner_id', 'created_at'])
    .where('object_type', '=', type)
    .where('archived', '=', 0);
  if (ownerIds !== undefined) query = query.where('owner_id', 'in', ownerIds);
  return query.orderBy('id').execute();
}

/** Stage changes of one property for every record of a type, in order per record. */
export function stageHistoryRows(db: Kysely<DB>, type: string, property: string) {
  return db
    .selectFrom('crm_stage_history')
    .select(['object_id', 'to_value', 'changed_at'])
    .where('object_type', '=', type)
    .where('property', '=', property)
    .orderBy('object_id')
    .orderBy('id')
    .execute();
}

export function teamMemberRows(db: Kysely<DB>) {
  return db
    .selectFrom('crm_team_members')
    .innerJoin('crm_teams', 'crm_teams.id', 'crm_team_members.team_id')
    .select([
      'crm_team_members.team_id',
      'crm_team_members.user_id',
      'crm_team_members.is_primary',
      'crm_teams.name',
    ])
    .orderBy('crm_team_members.team_id')
    .execute();
}

export function userLabels(db: Kysely<DB>) {
  return db.selectFrom('users').select(['id', 'email', 'name']).execute();
}
