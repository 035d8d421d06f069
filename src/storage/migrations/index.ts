import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_events.js';
import * as m0003 from './0003_ingest.js';
import * as m0004 from './0004_identity.js';
import * as m0005 from './0005_crm.js';
import * as m0006 from './0006_dmp.js';
import * as m0007 from './0007_audiences.js';
import * as m0008 from './0008_crm_sales.js';
import * as m0009 from './0009_crm_automation.js';
import * as m0010 from './0010_predictions.js';
import * as m0011 from './0011_insights.js';
import * as m0012 from './0012_privacy.js';
import * as m0013 from './0013_crm_sync.js';
import * as m0014 from './0014_dmp_sync.js';
import * as m0015 from './0015_dmp_exports.js';
import * as m0016 from './0016_dmp_lookalikes.js';
import * as m0017 from './0017_dmp_media.js';
import * as m0019 from './0019_audience_speed.js';

/**
 * One ordered list of migrations that runs on SQLite and PostgreSQL alike. Names sort in the
 * order they apply; a released migration is never edited, only followed by a new one.
 */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_events': m0002,
  '0003_ingest': m0003,
  '0004_identity': m0004,
  '0005_crm': m0005,
  '0006_dmp': m0006,
  '0007_audiences': m0007,
  '0008_crm_sales': m0008,
  '0009_crm_automation': m0009,
  '0010_predictions': m0010,
  '0011_insights': m0011,
  '0012_privacy': m0012,
  '0013_crm_sync': m0013,
  '0014_dmp_sync': m0014,
  '0015_dmp_exports': m0015,
  '0016_dmp_lookalikes': m0016,
  '0017_dmp_media': m0017,
  '0019_audience_speed': m0019,
};
