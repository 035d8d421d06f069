import type { Insertable, Kysely } from 'kysely';
import { seededRandom } from '../../kernel/random.js';
import type { DB } from '../../storage/schema.js';

export { seededRandom };

/**
 * Synthetic populations with a known hidden purchase propensity, for the benchmark and the
 * tests: every event is drawn from each person's hidden rates, so the true probability of a
 * purchase in any window is known and a model can be scored against it (the oracle).
 */

const day = 86_400_000;

export interface SyntheticEvent {
  event: string;
  at: number;
  revenue?: number;
  /** Other event properties (tests plant signals in them). */
  properties?: Record<string, unknown>;
}

export interface SyntheticPerson {
  userId: string;
  /** Hidden purchases per day while active. */
  purchaseRate: number;
  /** Hidden: the person stops all activity from this time (Infinity: never). */
  dormantFrom: number;
  events: SyntheticEvent[];
}

export interface Population {
  now: number;
  people: SyntheticPerson[];
}

function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Poisson event times in `[from, to)` at `rate` per day. */
function arrivals(random: () => number, rate: number, from: number, to: number): number[] {
  const out: number[] = [];
  if (rate <= 0 || to <= from) return out;
  let t = from;
  for (;;) {
    t += (-Math.log(Math.max(random(), 1e-12)) / rate) * day;
    if (t >= to) return out;
    out.push(t);
  }
}

/**
 * `size` people over `historyDays` ending at `now`. Each has a log-normal purchase rate; views
 * and sign-ins follow it loosely (browsing is noisy), a third go dormant at a random time, and
 * order amounts scale with a hidden basket size.
 */
export function generatePopulation(opts: {
  size: number;
  seed: number;
  now: number;
  historyDays?: number;
}): Population {
  const random = seededRandom(opts.seed);
  const historyDays = opts.historyDays ?? 180;
  const start = opts.now - historyDays * day;
  const people: SyntheticPerson[] = [];
  for (let i = 0; i < opts.size; i++) {
    const purchaseRate = Math.exp(-4.6 + 1.3 * normal(random));
    const browseRate = purchaseRate * 3 * Math.exp(0.6 * normal(random)) + 0.02 * random();
    const basket = Math.exp(3.5 + 0.5 * normal(random));
    const joined = start + random() * historyDays * 0.5 * day;
    const dormantFrom =
      random() < 0.35 ? joined + random() * (opts.now - joined) : Number.POSITIVE_INFINITY;
    const end = Math.min(opts.now, dormantFrom);
    const events: SyntheticEvent[] = [{ event: 'Signed Up', at: joined }];
    for (const at of arrivals(random, purchaseRate, joined, end)) {
      events.push({
        event: 'Order Completed',
        at,
        revenue: Math.round(basket * Math.exp(0.3 * normal(random)) * 100) / 100,
      });
    }
    for (const at of arrivals(random, browseRate, joined, end))
      events.push({ event: 'Product Viewed', at });
    for (const at of arrivals(random, 0.01 + browseRate * 0.2, joined, end))
      events.push({ event: 'Signed In', at });
    events.sort((a, b) => a.at - b.at);
    people.push({ userId: `u${i}`, purchaseRate, dormantFrom, events });
  }
  return { now: opts.now, people };
}

/**
 * The hidden propensity as of `from`: the chance of a purchase within `(from, to]` knowing the
 * person's rate and whether they are still active at `from`, but not whether they will go
 * dormant later (nobody can know that at `from`). This is the oracle's score.
 */
export function hiddenPropensity(person: SyntheticPerson, from: number, to: number): number {
  if (person.dormantFrom <= from) return 0;
  return 1 - Math.exp((-person.purchaseRate * (to - from)) / day);
}

/** The true probability, knowing future dormancy too: an upper bound no model can reach. */
export function trueProbability(person: SyntheticPerson, from: number, to: number): number {
  const activeDays = Math.max(0, Math.min(to, person.dormantFrom) - from) / day;
  return 1 - Math.exp(-person.purchaseRate * activeDays);
}

/** Segment `track` messages for the collection API. */
export function messagesOf(person: SyntheticPerson): Record<string, unknown>[] {
  return person.events.map((e) => ({
    type: 'track',
    userId: person.userId,
    event: e.event,
    timestamp: new Date(e.at).toISOString(),
    properties: e.revenue === undefined ? {} : { revenue: e.revenue, currency: 'EUR' },
  }));
}

/**
 * Writes a population straight into the event and profile tables (one profile per person),
 * as the identity graph would have: much faster than the collection path for large benches.
 */
export async function insertPopulation(
  db: Kysely<DB>,
  population: Population,
  firstSeq = 1,
): Promise<Map<string, string>> {
  const profileOf = new Map<string, string>();
  let seq = firstSeq;
  const at = new Date(population.now).toISOString();
  const chunk = 500;
  for (let p = 0; p < population.people.length; p += chunk) {
    const profiles: Insertable<DB['identity_profiles']>[] = [];
    const events: Insertable<DB['events']>[] = [];
    const links: Insertable<DB['identity_profile_events']>[] = [];
    for (const person of population.people.slice(p, p + chunk)) {
      const profileId = `prof_syn_${person.userId}`;
      profileOf.set(person.userId, profileId);
      const times = person.events.map((e) => new Date(e.at).toISOString());
      profiles.push({
        id: profileId,
        merged_into: null,
        created_at: at,
        updated_at: at,
        first_seen: times[0] ?? at,
        last_seen: times[times.length - 1] ?? at,
        traits: '{}',
        trait_times: '{}',
        trait_priorities: '{}',
      });
      person.events.forEach((e, i) => {
        const timestamp = times[i] as string;
        events.push({
          seq,
          source_id: 'src_synthetic',
          message_id: `syn-${seq}`,
          type: 'track',
          event: e.event,
          user_id: person.userId,
          anonymous_id: null,
          timestamp,
          received_at: timestamp,
          payload: JSON.stringify({
            type: 'track',
            event: e.event,
            userId: person.userId,
            timestamp,
            properties: {
              ...e.properties,
              ...(e.revenue === undefined ? {} : { revenue: e.revenue }),
            },
          }),
        });
        links.push({ seq, profile_id: profileId, origin_profile_id: profileId, timestamp });
        seq++;
      });
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('identity_profiles').values(profiles).execute();
      for (let i = 0; i < events.length; i += 1000) {
        await trx
          .insertInto('events')
          .values(events.slice(i, i + 1000))
          .execute();
        await trx
          .insertInto('identity_profile_events')
          .values(links.slice(i, i + 1000))
          .execute();
      }
    });
  }
  return profileOf;
}
