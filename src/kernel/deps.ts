import type { Kysely } from 'kysely';
import type { DB } from '../storage/schema.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';

/** What every service function receives: injected, never imported as a singleton. */
export interface Deps {
  db: Kysely<DB>;
  clock: Clock;
  log: Logger;
}
