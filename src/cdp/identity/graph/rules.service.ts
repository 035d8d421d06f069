import type { Deps } from '../../../kernel/deps.js';
import { AppError } from '../../../kernel/errors.js';
import { loggedRecordFromRow } from '../../../log/table-log.js';
import { migrateToLatest } from '../../../storage/migrate.js';
import { openStore } from '../../../storage/store.js';
import * as repo from './graph.repository.js';
import { identityConsumer } from './identity.service.js';
import { defaultRule, formatBlocked, parseBlocked } from './rules.js';

/** A rule as the API shows and takes it: blocked values as text (`/regex/flags` or exact). */
export interface RuleInput {
  type: string;
  maxPerProfile: number;
  priority: number;
  blocked: string[];
  /** Only values seen within this many days count toward the limit; null or absent: all. */
  windowDays?: number | null | undefined;
}

/** The identifier types every installation has; others appear once a rule names them. */
const builtInTypes = ['user_id', 'email', 'phone', 'device_id', 'advertising_id', 'anonymous_id'];

/** The rules in force: stored overrides, and the defaults for every other known type. */
export async function listRules(deps: Pick<Deps, 'db'>): Promise<RuleInput[]> {
  const stored = new Map((await repo.listRules(deps.db)).map((row) => [row.type, row]));
  const types = [...new Set([...builtInTypes, ...stored.keys()])];
  return types.map((type) => {
    const row = stored.get(type);
    if (row)
      return {
        type,
        maxPerProfile: row.max_per_profile,
        priority: row.priority,
        blocked: JSON.parse(row.blocked) as string[],
        windowDays: row.window_days,
      };
    const rule = defaultRule(type);
    return {
      type,
      maxPerProfile: rule.maxPerProfile,
      priority: rule.priority,
      blocked: rule.blocked.map(formatBlocked),
      windowDays: null,
    };
  });
}

function validate(rules: RuleInput[]): void {
  const details = [];
  for (const [i, rule] of rules.entries()) {
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(rule.type))
      details.push({ field: `rules[${i}].type`, message: 'lower-case letters, digits and _' });
    for (const [j, entry] of rule.blocked.entries()) {
      try {
        parseBlocked(entry);
      } catch {
        details.push({
          field: `rules[${i}].blocked[${j}]`,
          message: 'not a valid /regular expression/',
        });
      }
    }
  }
  if (details.length > 0)
    throw new AppError(
      'validation_failed',
      `Invalid rule: ${details[0]?.field} ${details[0]?.message}`,
      details,
    );
}

/**
 * Stores rules. They apply to events processed from now on; the graph already built keeps
 * its shape (a replay into a fresh graph, or an unmerge, applies them to history).
 */
export async function saveRules(
  deps: Pick<Deps, 'db' | 'clock'>,
  rules: RuleInput[],
): Promise<RuleInput[]> {
  validate(rules);
  const now = deps.clock.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    for (const rule of rules) {
      const values = {
        max_per_profile: rule.maxPerProfile,
        priority: rule.priority,
        blocked: JSON.stringify(rule.blocked),
        window_days: rule.windowDays ?? null,
        updated_at: now,
      };
      await trx
        .insertInto('identity_rules')
        .values({ type: rule.type, ...values })
        .onConflict((oc) => oc.column('type').doUpdateSet(values))
        .execute();
    }
  });
  return listRules(deps);
}

export interface DryRunOutcome {
  events: number;
  current: GraphShape;
  proposed: GraphShape;
}

export interface GraphShape {
  profiles: number;
  merges: number;
  largestProfile: number;
}

/**
 * What a rule change would do to recent history: the last `recentEvents` events are resolved
 * twice in scratch in-memory graphs, with the rules in force and with the proposed ones, and
 * the two graphs are compared. Nothing is written to the real store.
 */
export async function dryRunRules(
  deps: Pick<Deps, 'db' | 'clock'>,
  proposed: RuleInput[],
  recentEvents: number,
): Promise<DryRunOutcome> {
  validate(proposed);
  const rows = await deps.db
    .selectFrom('events')
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(recentEvents)
    .execute();
  const records = rows.reverse().map(loggedRecordFromRow);
  const current = await listRules(deps);
  const merged = new Map(current.map((r) => [r.type, r]));
  for (const rule of proposed) merged.set(rule.type, rule);
  return {
    events: records.length,
    current: await shapeWith(deps, current, records),
    proposed: await shapeWith(deps, [...merged.values()], records),
  };
}

async function shapeWith(
  deps: Pick<Deps, 'clock'>,
  rules: RuleInput[],
  records: ReturnType<typeof loggedRecordFromRow>[],
): Promise<GraphShape> {
  const scratch = openStore({ engine: 'sqlite', file: ':memory:' });
  try {
    await migrateToLatest(scratch.db);
    await saveRules({ db: scratch.db, clock: deps.clock }, rules);
    const consumer = identityConsumer({ db: scratch.db, clock: deps.clock });
    for (let i = 0; i < records.length; i += 500) await consumer.replay(records.slice(i, i + 500));
    const profiles = await scratch.db
      .selectFrom('identity_profile_events')
      .select((eb) => ['profile_id', eb.fn.countAll<number>().as('events')])
      .groupBy('profile_id')
      .execute();
    const merges = await scratch.db
      .selectFrom('identity_merge_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return {
      profiles: profiles.length,
      merges: Number(merges?.n ?? 0),
      largestProfile: profiles.reduce((max, p) => Math.max(max, Number(p.events)), 0),
    };
  } finally {
    await scratch.close();
  }
}
