import { type Kysely, sql } from 'kysely';
import type { DB } from '../../storage/schema.js';
import { newestDecisions } from './profile-consent.js';

export interface ConsentTally {
  purpose: string;
  channel: string;
  granted: number;
  denied: number;
}

export interface ConsentDay {
  day: string;
  granted: number;
  withdrawn: number;
}

export interface ConsentStats {
  /** People with at least one stored decision (identifiers grouped by their profile). */
  peopleWithDecisions: number;
  /** Profiles in the CDP, decided or not: the remainder has no consent, the opt-in default. */
  profiles: number;
  /** The current decision per person, counted per purpose and channel. */
  current: ConsentTally[];
  /** Decisions recorded per UTC day over the window, grants beside withdrawals. */
  daily: ConsentDay[];
  /** Where decisions came from (`api`, `event`, `tcf`, `gpp`...), current decisions only. */
  sources: { source: string; decisions: number }[];
}

const pageSize = 5_000;

/**
 * Consent statistics for the privacy center. A person's consent is the newest decision across
 * all of their identifiers (the same reduction activation uses), so decisions are grouped by the
 * profile their identifier belongs to; an identifier no profile holds counts as its own person.
 * Reads the table in keyed pages so memory stays bounded on large stores.
 */
export async function consentStats(
  db: Kysely<DB>,
  opts: { days: number; now: Date },
): Promise<ConsentStats> {
  const tallies = new Map<string, ConsentTally>();
  const sources = new Map<string, number>();
  let people = 0;
  let after: string | undefined;
  for (;;) {
    const owners = await personPage(db, after);
    if (owners.length === 0) break;
    after = owners[owners.length - 1];
    const rows = await db
      .selectFrom('privacy_consents as c')
      .leftJoin('identity_identifiers as i', (j) =>
        j.onRef('i.type', '=', 'c.subject_type').onRef('i.value', '=', 'c.subject_value'),
      )
      .select([
        personKey.as('person'),
        'c.purpose',
        'c.channel',
        'c.granted',
        'c.source',
        'c.recorded_at',
      ])
      .where(personKey, 'in', owners)
      .execute();
    const byPerson = new Map<string, typeof rows>();
    for (const row of rows) {
      const group = byPerson.get(row.person);
      if (group) group.push(row);
      else byPerson.set(row.person, [row]);
    }
    people += byPerson.size;
    for (const decisions of byPerson.values()) {
      for (const d of newestDecisions(decisions)) {
        const key = `${d.purpose}\u0000${d.channel}`;
        const tally = tallies.get(key) ?? {
          purpose: d.purpose,
          channel: d.channel,
          granted: 0,
          denied: 0,
        };
        if (d.granted) tally.granted += 1;
        else tally.denied += 1;
        tallies.set(key, tally);
        sources.set(d.source, (sources.get(d.source) ?? 0) + 1);
      }
    }
    if (owners.length < pageSize) break;
  }
  const profiles = await db
    .selectFrom('identity_profiles')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return {
    peopleWithDecisions: people,
    profiles: Number(profiles.n),
    current: [...tallies.values()].sort(
      (a, b) => a.purpose.localeCompare(b.purpose) || a.channel.localeCompare(b.channel),
    ),
    daily: await dailyDecisions(db, opts),
    sources: [...sources]
      .map(([source, decisions]) => ({ source, decisions }))
      .sort((a, b) => b.decisions - a.decisions),
  };
}

const personKey = sql<string>`coalesce(i.profile_id, c.subject_type || ':' || c.subject_value)`;

async function personPage(db: Kysely<DB>, after: string | undefined): Promise<string[]> {
  let query = db
    .selectFrom('privacy_consents as c')
    .leftJoin('identity_identifiers as i', (j) =>
      j.onRef('i.type', '=', 'c.subject_type').onRef('i.value', '=', 'c.subject_value'),
    )
    .select(personKey.as('person'))
    .distinct()
    .orderBy('person')
    .limit(pageSize);
  if (after !== undefined) query = query.where(personKey, '>', after);
  return (await query.execute()).map((r) => r.person);
}

async function dailyDecisions(
  db: Kysely<DB>,
  { days, now }: { days: number; now: Date },
): Promise<ConsentDay[]> {
  const from = new Date(now.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const day = sql<string>`substr(recorded_at, 1, 10)`;
  const rows = await db
    .selectFrom('privacy_consent_history')
    .select([
      day.as('day'),
      sql<number | string>`sum(case when granted = 1 then 1 else 0 end)`.as('granted'),
      sql<number | string>`sum(case when granted = 1 then 0 else 1 end)`.as('withdrawn'),
    ])
    .where('recorded_at', '>=', from)
    .groupBy(day)
    .orderBy(day)
    .execute();
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const out: ConsentDay[] = [];
  for (let i = 0; i < days; i++) {
    const d = new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
    const row = byDay.get(d);
    out.push({
      day: d,
      granted: Number(row?.granted ?? 0),
      withdrawn: Number(row?.withdrawn ?? 0),
    });
  }
  return out;
}
