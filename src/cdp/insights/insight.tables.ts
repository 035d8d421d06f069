/** Kysely table types of the insight rollups (see migration 0011). */
export interface InsightTables {
  insight_volume: InsightVolumeTable;
  insight_profile_events: InsightProfileEventTable;
  insight_profiles: InsightProfileTable;
  insight_profile_weeks: InsightProfileWeekTable;
}

/** Events per hour, name and source: the volume chart without audience filter. */
export interface InsightVolumeTable {
  /** Start of the hour, ISO (`2026-05-04T13:00:00.000Z`), by event time. */
  hour: string;
  /** The track event name, or `$<type>` for other calls (`$identify`, `$page`...). */
  name: string;
  source_id: string;
  count: number;
}

/**
 * A slim projection of every event that has a profile: what funnels and audience-filtered
 * volumes read instead of the (wide, JSON) events table.
 */
export interface InsightProfileEventTable {
  seq: number;
  profile_id: string;
  name: string;
  source_id: string;
  /** Event time in epoch milliseconds, so windows are integer arithmetic on both engines. */
  at: number;
}

/** First-seen time and weekly cohort per profile. */
export interface InsightProfileTable {
  profile_id: string;
  first_at: number;
  /** Monday (UTC) of the first-seen week, `YYYY-MM-DD`. */
  cohort: string;
}

/** The weeks a profile was active in, with its cohort beside them for retention tables. */
export interface InsightProfileWeekTable {
  profile_id: string;
  /** Monday (UTC), `YYYY-MM-DD`. */
  week: string;
  cohort: string;
}
