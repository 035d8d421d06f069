import type { ApiTokenTable } from '../access/tokens/token.table.js';
import type { SessionTable, UserTable } from '../access/users/user.table.js';
import type { AudienceTables } from '../cdp/audiences/audience.tables.js';
import type { IngestTables } from '../cdp/collection/ingest.tables.js';
import type { EventTable, LogOffsetTable, RejectedEventTable } from '../cdp/events/event.table.js';
import type { IdentityTables } from '../cdp/identity/identity.tables.js';
import type { InsightTables } from '../cdp/insights/insight.tables.js';
import type { PredictionTables } from '../cdp/predictions/prediction.tables.js';
import type { SourceTable } from '../cdp/sources/source.table.js';
import type { CrmAutomationTables } from '../crm/automation.tables.js';
import type { CrmTables } from '../crm/crm.tables.js';
import type { CrmSalesTables } from '../crm/sales.tables.js';
import type { DmpTables } from '../dmp/dmp.tables.js';
import type { DmpExportTables } from '../dmp/exports/export.tables.js';
import type { DmpLookalikeTables } from '../dmp/lookalikes/lookalike.tables.js';
import type { DmpMediaTables } from '../dmp/media/media.tables.js';
import type { PrivacyTables } from '../privacy/privacy.tables.js';
import type { CrmSyncTables } from '../stack/crm-sync/crm-sync.tables.js';
import type { DmpSyncTables } from '../stack/dmp-sync/dmp-sync.tables.js';

/**
 * Every table Triad stores, as Kysely sees it. Each feature owns its table types beside its
 * repository; this file only gathers them (type-only imports, so no runtime coupling).
 */
export interface DB
  extends IngestTables,
    IdentityTables,
    AudienceTables,
    CrmTables,
    CrmSalesTables,
    CrmAutomationTables,
    DmpTables,
    DmpExportTables,
    DmpLookalikeTables,
    DmpMediaTables,
    PredictionTables,
    InsightTables,
    PrivacyTables,
    CrmSyncTables,
    DmpSyncTables {
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  sources: SourceTable;
  events: EventTable;
  rejected_events: RejectedEventTable;
  log_offsets: LogOffsetTable;
}
