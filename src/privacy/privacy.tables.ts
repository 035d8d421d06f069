import type { ConsentHistoryTable, ConsentTable } from './consent/profile-consent.table.js';

/** Kysely table types of the privacy tables (see migration 0012_privacy). */
export interface PrivacyTables {
  privacy_consents: ConsentTable;
  privacy_consent_history: ConsentHistoryTable;
}
