import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_events.js';

/**
 * One ordered list of migrations that runs on SQLite and PostgreSQL alike. Names sort in the
 * order they apply; a released migration is never edited, only followed by a new one.
 */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_events': m0002,
};
