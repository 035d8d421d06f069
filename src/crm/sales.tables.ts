import type { TeamMemberTable, TeamTable, VisibilityTable } from './owners/owner.table.js';
import type { SlaEventTable, SlaPolicyTable } from './sla/sla.table.js';
import type { CrmImportTable } from './transfer/import.table.js';

/** Kysely table types of the CRM's sales and service tables (see migration 0008_crm_sales). */
export interface CrmSalesTables {
  crm_teams: TeamTable;
  crm_team_members: TeamMemberTable;
  crm_visibility: VisibilityTable;
  crm_sla_policies: SlaPolicyTable;
  crm_sla_events: SlaEventTable;
  crm_imports: CrmImportTable;
}
