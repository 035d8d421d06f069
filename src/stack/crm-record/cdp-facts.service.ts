import type { Principal } from '../../access/roles.js';
import { findProfileId, getProfile } from '../../cdp/profiles/index.js';
import {
  type CrmRecord,
  can,
  canSeePii,
  getRecord,
  inScope,
  visibilityOf,
} from '../../crm/index.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError } from '../../kernel/errors.js';
import { detectPii, detectPiiKey } from '../../privacy/pii/index.js';

type FactsDeps = Pick<Deps, 'db'>;

/** Traits the intelligence layer writes (the same split Customer 360 shows). */
const predictionTrait = /^(predicted_|recommended_items$)/;

/** What the CDP knows about a CRM contact's person, shown read-only on the record. */
export interface ContactCdpFacts {
  contactId: string;
  profileId: string;
  /** How the profile was found: the contact ID the CRM sync recorded, or the contact's e-mail. */
  linkedBy: 'crm_contact_id' | 'email';
  traits: Record<string, unknown>;
  computedTraits: Record<string, unknown>;
  predictions: Record<string, unknown>;
  audiences: string[];
}

const hiddenContact = (id: string) =>
  new AppError('not_found', `No contacts record with id ${id}`, [
    { field: 'id', message: `${id} was not found` },
  ]);

/**
 * A contact the caller may read: its role reads contacts and the record is within the
 * caller's owner-based visibility (outside it, the record answers as if it did not exist).
 */
export async function visibleContact(
  deps: FactsDeps,
  principal: Principal,
  id: string,
): Promise<CrmRecord> {
  if (!can(principal.role, 'contacts', 'read'))
    throw new AppError('forbidden', `The ${principal.role} role may not read contacts`);
  let contact: CrmRecord;
  try {
    contact = await getRecord(deps, 'contacts', id);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') throw hiddenContact(id);
    throw error;
  }
  const scope = await visibilityOf(deps.db, principal);
  if (!inScope(scope, contact.properties.hubspot_owner_id)) throw hiddenContact(id);
  return contact;
}

async function profileIdOf(deps: FactsDeps, key: string): Promise<string | undefined> {
  try {
    return await findProfileId(deps, key);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return undefined;
    throw error;
  }
}

/**
 * The profile linked to a contact: through the `crm_contact_id` identifier the CRM sync
 * records (the contact's own ID or that of a contact merged into it), else through the
 * contact's e-mail, which is how the sync matches people before it links them.
 */
export async function linkedProfile(
  deps: FactsDeps,
  contact: CrmRecord,
): Promise<{ profileId: string; linkedBy: ContactCdpFacts['linkedBy'] } | undefined> {
  const merged = (contact.properties.hs_merged_object_ids ?? '').split(';').filter(Boolean);
  for (const id of [String(contact.id), ...merged]) {
    const profileId = await profileIdOf(deps, `crm_contact_id:${id}`);
    if (profileId) return { profileId, linkedBy: 'crm_contact_id' };
  }
  const email = contact.properties.email?.trim().toLowerCase();
  if (email) {
    const profileId = await profileIdOf(deps, `email:${email}`);
    if (profileId) return { profileId, linkedBy: 'email' };
  }
  return undefined;
}

/**
 * Drops what names a person (by key, or by a value that looks like an e-mail, phone number,
 * card...) for roles that may not receive personal data, as CRM records do for them.
 */
export function withoutPii(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    // A bare `name` is a product's name elsewhere; among a person's traits it is theirs.
    if (key === 'name' || detectPiiKey(key) !== null) continue;
    if (typeof value === 'string' && detectPii(value) !== null) continue;
    out[key] = value;
  }
  return out;
}

/** The CDP's traits, computed traits, predictions and audiences of a contact's person. */
export async function contactCdpFacts(
  deps: FactsDeps,
  principal: Principal,
  id: string,
): Promise<ContactCdpFacts> {
  const contact = await visibleContact(deps, principal, id);
  const link = await linkedProfile(deps, contact);
  if (!link) {
    throw new AppError('not_found', `No CDP profile is linked to contact ${contact.id}`, [
      { field: 'profile', message: 'no profile holds this contact ID or e-mail' },
    ]);
  }
  const profile = await getProfile(deps, link.profileId);
  const traits: Record<string, unknown> = {};
  const predictions: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(profile.traits)) {
    (predictionTrait.test(name) ? predictions : traits)[name] = value;
  }
  const pii = canSeePii(principal.role);
  return {
    contactId: String(contact.id),
    profileId: profile.id,
    linkedBy: link.linkedBy,
    traits: pii ? traits : withoutPii(traits),
    computedTraits: pii ? profile.computedTraits : withoutPii(profile.computedTraits),
    predictions: pii ? predictions : withoutPii(predictions),
    audiences: profile.audiences,
  };
}
