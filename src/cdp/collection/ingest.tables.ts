/** Kysely table types of the tracking plans, imports and other collection tables (see the matching migration). */
export type IngestTables = Record<never, never>;
