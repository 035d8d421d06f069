import type { Principal } from '../../access/roles.js';
import {
  type DuplicateDeps,
  dismissDuplicate,
  listDuplicates,
  mergeDuplicate,
} from '../../cdp/identity/graph/duplicates.service.js';
import { resolveProfileId } from '../../cdp/profiles/index.js';
import {
  type CrmRecord,
  can,
  canSeePii,
  getRecord,
  inScope,
  mergeRecords,
  type VisibilityScope,
  visibilityOf,
} from '../../crm/index.js';
import { AppError } from '../../kernel/errors.js';

/**
 * The CRM's merge queue, fed by identity resolution: a duplicate suggestion (two profiles the
 * matcher finds alike but not alike enough to link on its own) becomes a pair of contacts to
 * review when both profiles are linked to a CRM contact. Merging merges the contacts the
 * HubSpot way and confirms the suggestion, so the CDP links the two profiles too.
 */

/** Contact properties a reviewer needs to tell two people apart. */
const shownProperties = ['firstname', 'lastname', 'email', 'phone', 'company', 'jobtitle'];
const piiProperties = new Set(['firstname', 'lastname', 'email', 'phone']);

export interface QueueContact {
  id: string;
  profileId: string;
  properties: Record<string, string>;
}

export interface QueuedPair {
  /** The identity suggestion's ID. */
  id: string;
  contacts: [QueueContact, QueueContact];
  /** The matcher's probability that the two are one person. */
  score: number;
  /** Fields that agreed, strongest first. */
  reasons: { field: string; level: string; weight: number }[];
}

type QueueDeps = Pick<DuplicateDeps, 'db' | 'clock'>;

/** A reviewer's view of a contact: the shown properties, without PII for roles barred from it. */
function viewOf(contact: CrmRecord, profileId: string, principal: Principal): QueueContact {
  const pii = canSeePii(principal.role);
  const properties: Record<string, string> = {};
  for (const name of shownProperties) {
    const value = contact.properties[name];
    if (value === undefined || (!pii && piiProperties.has(name))) continue;
    properties[name] = value;
  }
  return { id: String(contact.id), profileId, properties };
}

/** The oldest live contact a profile is linked to (merged-away contact IDs resolve to their primary). */
async function contactOf(
  deps: QueueDeps,
  profileId: string,
  cache: Map<string, CrmRecord | null>,
): Promise<CrmRecord | undefined> {
  const rows = await deps.db
    .selectFrom('identity_identifiers')
    .select('value')
    .where('profile_id', '=', profileId)
    .where('type', '=', 'crm_contact_id')
    .execute();
  let oldest: CrmRecord | undefined;
  for (const { value } of rows) {
    if (!cache.has(value)) {
      cache.set(
        value,
        await getRecord(deps, 'contacts', value).catch((error: unknown) => {
          if (error instanceof AppError && error.code === 'not_found') return null;
          throw error;
        }),
      );
    }
    const contact = cache.get(value);
    if (contact && (!oldest || contact.id < oldest.id)) oldest = contact;
  }
  return oldest;
}

async function pairOf(
  deps: QueueDeps,
  suggestion: Awaited<ReturnType<typeof listDuplicates>>[number],
  principal: Principal,
  scope: VisibilityScope,
  cache: Map<string, CrmRecord | null>,
): Promise<QueuedPair | undefined> {
  const [profileA, profileB] = [
    await resolveProfileId(deps.db, suggestion.profileA),
    await resolveProfileId(deps.db, suggestion.profileB),
  ];
  if (!profileA || !profileB) return undefined;
  const [a, b] = [await contactOf(deps, profileA, cache), await contactOf(deps, profileB, cache)];
  // One contact already (merged in the CRM, or one record for both): nothing to merge there.
  if (!a || !b || a.id === b.id) return undefined;
  // Merging writes both records: both must be within the caller's visibility.
  const owner = (c: CrmRecord) => c.properties.hubspot_owner_id;
  if (!inScope(scope, owner(a)) || !inScope(scope, owner(b))) return undefined;
  return {
    id: suggestion.id,
    contacts: [viewOf(a, profileA, principal), viewOf(b, profileB, principal)],
    score: suggestion.probability,
    reasons: suggestion.fields
      .filter((f) => f.weight > 0)
      .sort((x, y) => y.weight - x.weight)
      .map((f) => ({ field: f.field, level: f.level, weight: f.weight })),
  };
}

function assertReads(principal: Principal): void {
  if (!can(principal.role, 'contacts', 'read'))
    throw new AppError('forbidden', `The ${principal.role} role may not read contacts`);
}

/** Open suggestions whose two profiles are linked to two contacts, most likely first. */
export async function listCrmDuplicates(
  deps: QueueDeps,
  principal: Principal,
): Promise<QueuedPair[]> {
  assertReads(principal);
  const scope = await visibilityOf(deps.db, principal);
  const cache = new Map<string, CrmRecord | null>();
  const out: QueuedPair[] = [];
  for (const suggestion of await listDuplicates(deps.db, 'open')) {
    const pair = await pairOf(deps, suggestion, principal, scope, cache);
    if (pair) out.push(pair);
  }
  return out;
}

/** One pair of the queue, or a 404 when the suggestion is not (or no longer) in it. */
async function queuedPair(deps: QueueDeps, principal: Principal, id: string): Promise<QueuedPair> {
  const suggestion = (await listDuplicates(deps.db, 'open')).find((s) => s.id === id);
  const pair = suggestion
    ? await pairOf(deps, suggestion, principal, await visibilityOf(deps.db, principal), new Map())
    : undefined;
  if (!pair)
    throw new AppError('not_found', `No open duplicate ${id} in the CRM merge queue`, [
      { field: 'id', message: 'not an open suggestion linking two visible contacts' },
    ]);
  return pair;
}

/**
 * Merges the pair's contacts (the primary is the one named, else the older contact) and
 * confirms the suggestion, which links the two profiles through the event log.
 */
export async function mergeCrmDuplicate(
  deps: DuplicateDeps,
  principal: Principal,
  id: string,
  primaryContactId: string | undefined,
): Promise<{ primaryContactId: string; mergedContactId: string; linkMessageId: string | null }> {
  if (!can(principal.role, 'contacts', 'write'))
    throw new AppError('forbidden', `The ${principal.role} role may not merge contacts`);
  const pair = await queuedPair(deps, principal, id);
  const [a, b] = pair.contacts;
  const ids = [a.id, b.id];
  if (primaryContactId !== undefined && !ids.includes(primaryContactId))
    throw new AppError('bad_request', `Contact ${primaryContactId} is not one of the pair`, [
      { field: 'primaryContactId', message: `one of ${ids.join(', ')}` },
    ]);
  const primary = primaryContactId ?? (Number(a.id) < Number(b.id) ? a.id : b.id);
  const merged = primary === a.id ? b.id : a.id;
  await mergeRecords(
    deps,
    'contacts',
    { primaryObjectId: primary, objectIdToMerge: merged },
    { id: principal.id, role: principal.role },
  );
  // The contacts are one now; the suggestion follows. Should this step fail, the pair has
  // left the queue (one contact) and the suggestion stays open for identity review.
  let linkMessageId: string | null = null;
  try {
    linkMessageId = (await mergeDuplicate(deps, id, principal.id)).linkMessageId;
  } catch (error) {
    // Linked meanwhile (or one profile erased): the CRM merge stands on its own.
    if (!(error instanceof AppError && error.code === 'conflict')) throw error;
  }
  return { primaryContactId: primary, mergedContactId: merged, linkMessageId };
}

/** Sets a pair aside: the suggestion is dismissed, for identity review as well. */
export async function dismissCrmDuplicate(
  deps: QueueDeps,
  principal: Principal,
  id: string,
): Promise<void> {
  assertReads(principal);
  await queuedPair(deps, principal, id);
  await dismissDuplicate(deps, id);
}
