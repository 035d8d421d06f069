import type { Kysely } from 'kysely';
import type { Clock } from '../../../kernel/clock.js';
import { AppError } from '../../../kernel/errors.js';
import type { EventLog } from '../../../log/event-log.js';
import type { DB } from '../../../storage/schema.js';
import {
  type MatcherConfig,
  type PairDecision,
  type PersonRecord,
  resolvePersons,
} from '../matching/index.js';
import { createRules } from './rules.js';

export interface DuplicateDeps {
  db: Kysely<DB>;
  clock: Clock;
  eventLog: EventLog;
}

/** The source ID of the link events identity resolution writes to the log itself. */
export const identitySourceId = 'identity';

const maxProfilesPerScan = 200_000;

type Json = Record<string, unknown>;

function text(traits: Json, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = traits[name];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    if (typeof value === 'number') return String(value);
  }
  return undefined;
}

/** Person fields from a profile's traits, under the names Segment's spec and common CRMs use. */
function personOf(id: string, traits: Json, email: string | undefined): PersonRecord {
  const address =
    typeof traits.address === 'object' && traits.address !== null ? (traits.address as Json) : {};
  const record: Record<string, string> = { id };
  const set = (field: string, value: string | undefined) => {
    if (value !== undefined) record[field] = value;
  };
  set('first_name', text(traits, 'first_name', 'firstName', 'firstname'));
  set('last_name', text(traits, 'last_name', 'lastName', 'lastname'));
  set('full_name', text(traits, 'name'));
  set('dob', text(traits, 'birthday', 'dob', 'date_of_birth'));
  set('email', email ?? text(traits, 'email'));
  set('phone', text(traits, 'phone'));
  set('street_number', text(traits, 'street_number'));
  set('address_line1', text(address, 'street') ?? text(traits, 'street', 'address_line1'));
  set('city', text(address, 'city') ?? text(traits, 'city'));
  set(
    'postcode',
    text(address, 'postal_code', 'postalCode') ?? text(traits, 'postcode', 'postal_code', 'zip'),
  );
  set('state', text(address, 'state') ?? text(traits, 'state'));
  return record as PersonRecord;
}

const pairId = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/**
 * Finds profiles that describe the same person although no identifier links them (typos,
 * a second e-mail, a missing birth date), with the Fellegi–Sunter matcher over their traits.
 * Pairs above the upper threshold are linked through the event log — a link event carrying
 * one identifier of each profile — so the merge is an ordinary graph merge: logged with its
 * reason, replayed by a fresh replay, reversible by unmerge, and still subject to the limits
 * (two different user IDs never merge). Pairs in the review band become open suggestions.
 */
export async function scanForDuplicates(
  deps: DuplicateDeps,
  config: Partial<MatcherConfig> = {},
): Promise<{ profiles: number; linked: number; suggested: number }> {
  const profiles = await deps.db
    .selectFrom('identity_profiles')
    .select(['id', 'traits'])
    .where('merged_into', 'is', null)
    .orderBy('id')
    .limit(maxProfilesPerScan)
    .execute();
  const identifiers = await deps.db
    .selectFrom('identity_identifiers')
    .select(['profile_id', 'type', 'value'])
    .where('profile_id', 'in', (eb) =>
      eb.selectFrom('identity_profiles').select('id').where('merged_into', 'is', null),
    )
    .execute();
  const byProfile = new Map<string, { type: string; value: string }[]>();
  for (const id of identifiers)
    byProfile.set(id.profile_id, [...(byProfile.get(id.profile_id) ?? []), id]);
  const records = profiles.map((p) =>
    personOf(
      p.id,
      JSON.parse(p.traits) as Json,
      byProfile.get(p.id)?.find((i) => i.type === 'email')?.value,
    ),
  );
  const resolution = resolvePersons(records, config);
  const now = deps.clock.now().toISOString();
  const rules = createRules();
  const representative = (profileId: string) =>
    [...(byProfile.get(profileId) ?? [])].sort(
      (a, b) => rules.get(a.type).priority - rules.get(b.type).priority,
    )[0];

  let linked = 0;
  for (const merge of resolution.merges) {
    const [a, b] = [representative(merge.a), representative(merge.b)];
    if (!a || !b) continue;
    await recordDuplicate(deps.db, merge, 'merged', now);
    await appendLink(
      deps,
      pairId(merge.a, merge.b),
      [a, b],
      merge.probability,
      'fuzzy match above the merge threshold',
    );
    linked++;
  }
  for (const suggestion of resolution.suggestions)
    await recordDuplicate(deps.db, suggestion, 'open', now);
  return { profiles: records.length, linked, suggested: resolution.suggestions.length };
}

async function recordDuplicate(
  db: Kysely<DB>,
  pair: PairDecision,
  status: string,
  now: string,
): Promise<void> {
  const [a, b] = pair.a < pair.b ? [pair.a, pair.b] : [pair.b, pair.a];
  const explanation = JSON.stringify(
    pair.fields.map((f) => ({ field: f.field, level: f.level, weight: f.weight })),
  );
  await db
    .insertInto('identity_duplicates')
    .values({
      id: pairId(a, b),
      profile_a: a,
      profile_b: b,
      probability: pair.probability,
      explanation,
      status,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet({ probability: pair.probability, explanation, updated_at: now })
        .where('identity_duplicates.status', '=', 'open'),
    )
    .execute();
}

async function appendLink(
  deps: DuplicateDeps,
  id: string,
  identifiers: { type: string; value: string }[],
  probability: number,
  reason: string,
): Promise<string> {
  const now = deps.clock.now().toISOString();
  const messageId = `link-${id}`;
  const payload = {
    type: 'identify',
    messageId,
    userId: null,
    anonymousId: null,
    traits: {},
    properties: {},
    context: {
      externalIds: identifiers.map((i) => ({ id: i.value, type: i.type })),
      identityLink: { reason, probability },
    },
    integrations: {},
    timestamp: now,
    receivedAt: now,
  };
  await deps.eventLog.append([
    {
      sourceId: identitySourceId,
      messageId,
      type: 'identify',
      event: null,
      userId: null,
      anonymousId: null,
      timestamp: now,
      receivedAt: now,
      payload: JSON.stringify(payload),
    },
  ]);
  return messageId;
}

export async function listDuplicates(db: Kysely<DB>, status: string) {
  const rows = await db
    .selectFrom('identity_duplicates')
    .selectAll()
    .where('status', '=', status)
    .orderBy('probability', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    profileA: r.profile_a,
    profileB: r.profile_b,
    probability: r.probability,
    fields: JSON.parse(r.explanation) as { field: string; level: string; weight: number }[],
    status: r.status,
    createdAt: r.created_at,
  }));
}

/** A reviewer confirms a suggestion: the two profiles are linked through the log. */
export async function mergeDuplicate(
  deps: DuplicateDeps,
  id: string,
  actor: string,
): Promise<{ linkMessageId: string }> {
  const row = await deps.db
    .selectFrom('identity_duplicates')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `duplicate ${id} was not found`);
  if (row.status !== 'open')
    throw new AppError('conflict', `duplicate ${id} is already ${row.status}`);
  // Either side may have been merged since the scan: work with where it lives now.
  const [currentA, currentB] = [
    await currentProfile(deps.db, row.profile_a),
    await currentProfile(deps.db, row.profile_b),
  ];
  if (currentA !== undefined && currentA === currentB) {
    await deps.db
      .updateTable('identity_duplicates')
      .set({ status: 'merged', updated_at: deps.clock.now().toISOString() })
      .where('id', '=', id)
      .execute();
    throw new AppError('conflict', 'the two profiles have been merged since');
  }
  const rules = createRules();
  const pick = async (profileId: string | undefined) => {
    if (profileId === undefined) return undefined;
    const ids = await deps.db
      .selectFrom('identity_identifiers')
      .select(['type', 'value'])
      .where('profile_id', '=', profileId)
      .execute();
    return ids.sort((a, b) => rules.get(a.type).priority - rules.get(b.type).priority)[0];
  };
  const [a, b] = [await pick(currentA), await pick(currentB)];
  if (!a || !b) throw new AppError('conflict', 'one of the two profiles has been erased since');
  const linkMessageId = await appendLink(
    deps,
    id,
    [a, b],
    row.probability,
    `duplicate confirmed by ${actor}`,
  );
  await deps.db
    .updateTable('identity_duplicates')
    .set({ status: 'merged', updated_at: deps.clock.now().toISOString() })
    .where('id', '=', id)
    .execute();
  return { linkMessageId };
}

/** Where a profile's identifiers live now: itself, or the profile it was merged into. */
async function currentProfile(db: Kysely<DB>, id: string): Promise<string | undefined> {
  let current = id;
  for (let hops = 0; hops < 64; hops++) {
    const row = await db
      .selectFrom('identity_profiles')
      .select(['id', 'merged_into'])
      .where('id', '=', current)
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.merged_into === null) return row.id;
    current = row.merged_into;
  }
  return undefined;
}

export async function dismissDuplicate(
  deps: Pick<DuplicateDeps, 'db' | 'clock'>,
  id: string,
): Promise<void> {
  const result = await deps.db
    .updateTable('identity_duplicates')
    .set({ status: 'dismissed', updated_at: deps.clock.now().toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0)
    throw new AppError('not_found', `no open duplicate ${id}`);
}
