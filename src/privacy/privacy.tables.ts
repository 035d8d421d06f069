import type { AuditLogTable } from './audit/audit.table.js';
import type { ConsentHistoryTable, ConsentTable } from './consent/profile-consent.table.js';
import type { PrivacyRequestTables } from './requests/request.table.js';
import type { RetentionTable } from './retention/retention.table.js';

/** Kysely table types of the privacy tables (see migration 0012_privacy). */
export interface PrivacyTables extends PrivacyRequestTables {
  privacy_consents: ConsentTable;
  privacy_consent_history: ConsentHistoryTable;
  audit_log: AuditLogTable;
  privacy_retention: RetentionTable;
}
