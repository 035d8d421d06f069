/** Kysely table types of computed traits, audiences and destinations (see the migration). */
export type AudienceTables = Record<never, never>;
