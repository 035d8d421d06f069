import type { Kysely } from 'kysely';
import { listAudiences } from '../../cdp/audiences/index.js';
import { getProfile } from '../../cdp/profiles/index.js';
import {
  type Actor,
  type CrmRecord,
  createRecord,
  getRecord,
  getTeam,
  lifecycleStages,
  triggerWorkflows,
  updateRecord,
} from '../../crm/index.js';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError } from '../../kernel/errors.js';
import { isPostgres } from '../../storage/dialect.js';
import { appendCrmMessages, contactIdentity } from './crm-events.js';
import * as repo from './crm-sync.repository.js';
import { readRules, type SyncRule } from './crm-sync.rules.js';

type SyncDeps = Pick<Deps, 'db' | 'clock'>;
type Profile = Awaited<ReturnType<typeof getProfile>>;

const offsetKey = 'membership_offset';
/** The flow writes as a sales user would, so the CRM's forward-only lifecycle rule applies. */
const actor: Actor = { id: 'stack:crm-sync', role: 'sales' };

async function maybe<T>(find: () => Promise<T>): Promise<T | undefined> {
  try {
    return await find();
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return undefined;
    throw error;
  }
}

function textTrait(traits: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = traits[name];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

function emailOf(profile: Profile): string | undefined {
  return (
    profile.identifiers.find((i) => i.type === 'email')?.value ??
    textTrait(profile.traits, 'email')?.toLowerCase()
  );
}

/** First and last name from the usual trait spellings, splitting `name` as a last resort. */
function namesOf(traits: Record<string, unknown>): Record<string, string> {
  const full = textTrait(traits, 'name');
  const space = full ? full.indexOf(' ') : -1;
  const first =
    textTrait(traits, 'first_name', 'firstName', 'firstname') ??
    (full && space > 0 ? full.slice(0, space) : full);
  const last =
    textTrait(traits, 'last_name', 'lastName', 'lastname') ??
    (full && space > 0 ? full.slice(space + 1) : undefined);
  return { ...(first ? { firstname: first } : {}), ...(last ? { lastname: last } : {}) };
}

/** The next owner of a rule's rotation; the pointer is stored so it survives restarts. */
async function nextOwner(deps: SyncDeps, rule: SyncRule): Promise<string | undefined> {
  const pool =
    rule.ownerTeamId !== undefined
      ? ((await maybe(() => getTeam(deps, rule.ownerTeamId ?? '')))?.members.map((m) => m.userId) ??
        [])
      : (rule.ownerUserIds ?? []);
  if (pool.length === 0) return undefined;
  const key = `owner_rr:${rule.audienceKey}`;
  const pointer = Number((await repo.readState(deps.db, key)) ?? '0');
  await repo.writeState(deps.db, key, String(pointer + 1), iso(deps.clock.now()));
  return pool[pointer % pool.length];
}

const stageRank = (stage: string | undefined) =>
  stage === undefined ? -1 : (lifecycleStages as readonly string[]).indexOf(stage);

/** Creates or updates the person's contact; returns it with what happened. */
async function upsertContact(
  deps: SyncDeps,
  profile: Profile,
  rule: SyncRule,
  ref: string,
): Promise<{ contact: CrmRecord | undefined; outcomes: repo.SyncOutcome[] }> {
  const base = { direction: 'cdp_to_crm' as const, ref };
  const email = emailOf(profile);
  if (!email) {
    return {
      contact: undefined,
      outcomes: [{ ...base, outcome: 'skipped', detail: 'the profile has no e-mail address' }],
    };
  }
  const existing = await maybe(() => getRecord(deps, 'contacts', email, { idProperty: 'email' }));
  const names = namesOf(profile.traits);
  if (!existing) {
    const owner = await nextOwner(deps, rule);
    try {
      const contact = await createRecord(
        deps,
        'contacts',
        {
          properties: {
            email,
            ...names,
            lifecyclestage: rule.lifecycleStage,
            ...(owner ? { hubspot_owner_id: owner } : {}),
          },
        },
        actor,
      );
      return {
        contact,
        outcomes: [{ ...base, outcome: 'ok', detail: `created contact ${contact.id}` }],
      };
    } catch (error) {
      // A value the CRM refuses (an address it does not accept, an owner disabled since the
      // rule was written) is recorded; it must not stall the flow for everyone behind it.
      if (!(error instanceof AppError) || error.code !== 'validation_failed') throw error;
      const fields = (error.details ?? []).map((d) => d.field).join(', ');
      return {
        contact: undefined,
        outcomes: [
          { ...base, outcome: 'refused', detail: `the CRM refused the contact (${fields})` },
        ],
      };
    }
  }
  const outcomes: repo.SyncOutcome[] = [];
  const changes: Record<string, string> = {};
  const current = existing.properties.lifecyclestage || undefined;
  if (stageRank(rule.lifecycleStage) > stageRank(current)) {
    changes.lifecyclestage = rule.lifecycleStage;
  } else if (current !== rule.lifecycleStage) {
    // The CRM's stages only move forward; a contact further along keeps its stage.
    outcomes.push({
      ...base,
      outcome: 'refused',
      detail: `contact ${existing.id}: lifecycle stage ${current} -> ${rule.lifecycleStage} would move back`,
    });
  }
  for (const [name, value] of Object.entries(names)) {
    if (!existing.properties[name]) changes[name] = value;
  }
  if (!existing.properties.hubspot_owner_id) {
    const owner = await nextOwner(deps, rule);
    if (owner) changes.hubspot_owner_id = owner;
  }
  if (Object.keys(changes).length === 0) return { contact: existing, outcomes };
  try {
    const contact = await updateRecord(
      deps,
      'contacts',
      String(existing.id),
      { properties: changes },
      actor,
    );
    outcomes.push({ ...base, outcome: 'ok', detail: `updated contact ${contact.id}` });
    return { contact, outcomes };
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'validation_failed') throw error;
    outcomes.push({
      ...base,
      outcome: 'refused',
      detail: `the CRM refused the update of contact ${existing.id} (${(error.details ?? []).map((d) => d.field).join(', ')})`,
    });
    return { contact: existing, outcomes };
  }
}

/** The person's contact when the CRM already knows them (by record id, then by e-mail). */
async function knownContact(deps: SyncDeps, profile: Profile): Promise<CrmRecord | undefined> {
  for (const id of profile.identifiers.filter((i) => i.type === 'crm_contact_id')) {
    const found = await maybe(() => getRecord(deps, 'contacts', id.value));
    if (found) return found;
  }
  const email = emailOf(profile);
  return email
    ? maybe(() => getRecord(deps, 'contacts', email, { idProperty: 'email' }))
    : undefined;
}

/** Records the contact id on the profile, through an identify of the `crm` source. */
async function linkProfile(deps: SyncDeps, profile: Profile, contact: CrmRecord) {
  const contactId = String(contact.id);
  if (profile.identifiers.some((i) => i.type === 'crm_contact_id' && i.value === contactId)) return;
  const email = emailOf(profile);
  const userId = profile.identifiers.find((i) => i.type === 'user_id')?.value;
  await appendCrmMessages(deps, [
    {
      type: 'identify',
      messageId: `crm-link-${contactId}-${profile.id}`,
      timestamp: iso(deps.clock.now()),
      ...(userId ? { userId } : {}),
      ...(email ? { traits: { email } } : {}),
      ...contactIdentity({ id: contact.id, email }),
    },
  ]);
}

const gapKey = 'membership_gap';
/** How long a gap in membership ids may be a write still committing (see `committedPrefix`). */
const gapPatienceMs = 30_000;

/**
 * The membership changes safe to handle now. On PostgreSQL ids are taken when an insert
 * starts, so a slower transaction can commit a lower id after a higher one was read. The log
 * carries event time, not commit time, so the first sighting of a gap is stored and the gap
 * is passed once it has stayed open for `gapPatienceMs` (a rollback, or a row erased since).
 */
async function committedMemberships(
  deps: SyncDeps,
  fetched: repo.MembershipChange[],
  offset: number,
): Promise<repo.MembershipChange[]> {
  if (!isPostgres(deps.db as unknown as Kysely<unknown>)) return fetched;
  const now = deps.clock.now();
  let expected = offset + 1;
  for (const [i, change] of fetched.entries()) {
    if (change.id !== expected) {
      const [gapId, since] = ((await repo.readState(deps.db, gapKey)) ?? '').split('@');
      if (gapId !== String(expected)) {
        await repo.writeState(deps.db, gapKey, `${expected}@${iso(now)}`, iso(now));
        return fetched.slice(0, i);
      }
      if (now.getTime() - Date.parse(since ?? '') < gapPatienceMs) return fetched.slice(0, i);
    }
    expected = change.id + 1;
  }
  return fetched;
}

/**
 * One pass of the CDP -> CRM flow: follows the audience membership log from its stored
 * offset. An entry into an audience with a rule creates or updates the person's CRM contact
 * (stage, names, owner by rotation) and records the contact id on the profile; every entry and
 * exit starts the CRM workflows triggered by that audience (by id or key). Each item is
 * idempotent, and the offset advances after each, so a crash repeats at most one item.
 */
export async function syncCdpToCrm(deps: SyncDeps, batchSize = 200): Promise<number> {
  let handled = 0;
  const rules = await readRules(deps);
  const keys = new Map((await listAudiences(deps)).map((a) => [a.id, a.key]));
  for (;;) {
    const offset = Number((await repo.readState(deps.db, offsetKey)) ?? '0');
    const fetched = await repo.membershipChangesSince(deps.db, offset, batchSize);
    const changes = await committedMemberships(deps, fetched, offset);
    for (const change of changes) {
      const ref = `membership:${change.id}`;
      const key = keys.get(change.audienceId);
      const rule = rules.find((r) => r.audienceKey === key);
      const profile = await maybe(() => getProfile(deps, change.profileId));
      let contact: CrmRecord | undefined;
      const outcomes: repo.SyncOutcome[] = [];
      if (profile && rule && change.kind === 'entered') {
        const result = await upsertContact(deps, profile, rule, ref);
        contact = result.contact;
        outcomes.push(...result.outcomes);
        if (contact) await linkProfile(deps, profile, contact);
      } else if (profile) {
        contact = await knownContact(deps, profile);
      }
      const kind = change.kind === 'entered' ? 'audience_entered' : 'audience_exited';
      const contactId = contact ? { contactId: contact.id } : {};
      for (const audienceId of new Set([change.audienceId, key ?? change.audienceId])) {
        await triggerWorkflows(deps, { kind, audienceId, ...contactId }, ref);
      }
      const at = iso(deps.clock.now());
      await deps.db.transaction().execute(async (trx) => {
        await repo.recordOutcomes(trx, outcomes, at);
        await repo.writeState(trx, offsetKey, String(change.id), at);
      });
      handled++;
    }
    if (changes.length < batchSize) return handled;
  }
}
