/** Kysely table types of the DMP tables (see the matching migration). */
export type DmpTables = Record<never, never>;
