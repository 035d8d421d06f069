import type { Participant } from './participant.js';
import type { RequestType } from './request.js';
import { audiencesParticipant, destinationsParticipant } from './stores/audiences.js';
import { eventsParticipant, rejectedEventsParticipant } from './stores/cdp-events.js';
import { consentsParticipant } from './stores/consents.js';
import { crmParticipant } from './stores/crm.js';
import { dmpParticipant } from './stores/dmp.js';
import { identityParticipant } from './stores/identity.js';
import { privacyRecordsParticipant } from './stores/privacy-records.js';
import { profileKeyedParticipant } from './stores/profile-keyed.js';

/**
 * Every store that can hold personal data, in the order erasure runs: raw events first (they are
 * found through the graph's event links), the graph itself after everything that is found
 * through it, and earlier privacy requests last (they hold the identifiers being processed).
 * A new store adds its participant here.
 *
 * Not listed, on purpose: `audit_log` (resources carry identifier digests, never identifiers),
 * `privacy_suppressions` (digests), `users`, `sessions` and `api_tokens` (console accounts, not
 * data subjects).
 */
export const participants: readonly Participant[] = [
  eventsParticipant,
  rejectedEventsParticipant,
  destinationsParticipant,
  audiencesParticipant,
  profileKeyedParticipant,
  crmParticipant,
  dmpParticipant,
  consentsParticipant,
  identityParticipant,
  privacyRecordsParticipant,
];

/** The receipt of the suppression list (erase and suppress requests). */
export const suppressionStore = 'suppression';

/** The receipts a request of this type keeps, in the order its stores run. */
export function storesFor(type: RequestType): string[] {
  const stores = participants.map((p) => p.store);
  if (type === 'access') return stores;
  if (type === 'suppress') return [suppressionStore];
  return [suppressionStore, ...stores];
}
