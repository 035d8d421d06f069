/** Kysely table types of the CRM tables (see the matching migration). */
export type CrmTables = Record<never, never>;
