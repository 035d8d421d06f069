import type { Generated, Selectable } from 'kysely';

/**
 * Every DMP table holds pseudonymous IDs and audience data only: no e-mail, phone, name, postal
 * address or IP ever reaches them (the collection firewall rejects or drops such values first).
 * Times are ISO-8601 UTC text, like the rest of Triad.
 */

/** One pseudonymous ID: a browser cookie ID, or the DMP ID minted for an app device. */
export interface DmpIdTable {
  id: string;
  created_at: string;
  last_seen_at: string;
  /** 1 when the latest signal's consent allowed activation; lookups return nothing otherwise. */
  activatable: number;
}

/** Other identifiers of a DMP ID: device advertising IDs (`ifa`) and SHA-256 hashed e-mails (`hem`). */
export interface DmpAliasTable {
  kind: string;
  value: string;
  dmp_id: string;
  created_at: string;
}

export interface DmpPartnerTable {
  id: string;
  name: string;
  /** JSON array of domains the partner's sync redirects may go to (subdomains included). */
  domains: string;
  created_at: string;
  updated_at: string;
}

/** Partner user ID -> DMP ID; `seq` orders the rows of one DMP ID for FIFO eviction. */
export interface DmpMatchTable {
  seq: Generated<number>;
  partner_id: string;
  partner_uid: string;
  dmp_id: string;
  created_at: string;
}

export interface DmpTraitTable {
  id: string;
  name: string;
  description: string;
  kind: 'rule' | 'onboarded';
  /** JSON `TraitRule` for rule traits; null for onboarded ones. */
  rule: string | null;
  ttl_days: number;
  created_at: string;
  updated_at: string;
}

export interface DmpSegmentTable {
  id: string;
  name: string;
  description: string;
  expression: string;
  /** JSON array of taxonomy node IDs the segment is sold as. */
  taxonomy_ids: string;
  created_at: string;
  updated_at: string;
}

/** The realizations of one trait by one ID: JSON array of epoch-ms times, newest last, capped. */
export interface DmpTraitHitTable {
  dmp_id: string;
  trait_id: string;
  hits: string;
  last_at: string;
  /** last_at + the trait's TTL: the qualification disappears after this. */
  expires_at: string;
}

export interface DmpMembershipTable {
  dmp_id: string;
  segment_id: string;
  qualified_at: string;
}

/** Custom taxonomy nodes (IAB nodes come from the shipped TSV, never from this table). */
export interface DmpTaxonomyNodeTable {
  id: number;
  parent_id: number | null;
  name: string;
  created_at: string;
}

export interface DmpTables {
  dmp_ids: DmpIdTable;
  dmp_aliases: DmpAliasTable;
  dmp_partners: DmpPartnerTable;
  dmp_matches: DmpMatchTable;
  dmp_traits: DmpTraitTable;
  dmp_segments: DmpSegmentTable;
  dmp_trait_hits: DmpTraitHitTable;
  dmp_memberships: DmpMembershipTable;
  dmp_taxonomy_nodes: DmpTaxonomyNodeTable;
}

export type DmpTraitRow = Selectable<DmpTraitTable>;
export type DmpSegmentRow = Selectable<DmpSegmentTable>;
export type DmpPartnerRow = Selectable<DmpPartnerTable>;

/** Every DMP table name (the PII audit and retention walk them all). */
export const dmpTableNames = [
  'dmp_ids',
  'dmp_aliases',
  'dmp_partners',
  'dmp_matches',
  'dmp_traits',
  'dmp_segments',
  'dmp_trait_hits',
  'dmp_memberships',
  'dmp_taxonomy_nodes',
  'dmp_lists',
  'dmp_list_members',
  'dmp_lookalikes',
  'dmp_destinations',
  'dmp_export_mappings',
  'dmp_trait_labels',
  'dmp_export_state',
  'dmp_export_runs',
  'dmp_export_items',
  'dmp_export_deliveries',
  'dmp_media_hits',
] as const;
