import { randomUUID } from 'node:crypto';
// Direct import (not the privacy barrel, which reaches back into the CDP for erasure).
import {
  type ConsentDecision,
  newestDecisions,
  consentAllows as storeAllows,
} from '../../privacy/consent/profile-consent.js';
import {
  audienceMessage,
  consentAllows,
  type DestinationConfig,
  mapMessage,
  wantsEvent,
} from '../destinations/destination.js';
import { enqueue, type NewDelivery } from '../destinations/destination.repository.js';
import { chunks, type Db } from './audience.repository.js';
import { consentTraitId, type EngineEvent, type MembershipChange } from './engine.js';
import type { ProfileFacts } from './evaluate.js';

/**
 * Turns events and membership changes into queued deliveries, in the same transaction as the
 * change itself: a change is never lost between "recorded" and "queued". Each message carries
 * a stable ID (`evt-<seq>`, `aud-<history id>`), the idempotency key receivers deduplicate on,
 * and the queue's unique (destination, message) index makes a replayed batch enqueue nothing.
 * Profiles without the consent a destination requires are skipped (the consent store first).
 */
export async function enqueueActivations(
  trx: Db,
  input: {
    destinations: DestinationConfig[];
    facts: Map<string, ProfileFacts>;
    events: { profileId: string; event: EngineEvent }[];
    changes: MembershipChange[];
    now: Date;
  },
): Promise<number> {
  const { destinations, facts } = input;
  if (destinations.length === 0) return 0;
  const createdAt = input.now.toISOString();
  const rows: NewDelivery[] = [];
  const needsConsent = destinations.some((d) => d.settings.consentPurpose !== 'none');
  const stored = needsConsent
    ? await storedConsents(trx, [
        ...new Set([
          ...input.events.map((e) => e.profileId),
          ...input.changes.map((c) => c.profileId),
        ]),
      ])
    : new Map<string, ConsentDecision[]>();
  const allowed = (d: DestinationConfig, profileId: string) => {
    const purpose = d.settings.consentPurpose;
    if (purpose === 'none') return true;
    // The consent store (set through the API, from events or from TCF/GPP strings) decides
    // when it holds a decision for the purpose; until then the profile's own signals do.
    const decisions = stored.get(profileId) ?? [];
    if (decisions.some((c) => c.purpose === purpose)) return storeAllows(decisions, purpose);
    const f = facts.get(profileId);
    return f ? consentAllows(purpose, f.traits, f.values.get(consentTraitId)) : false;
  };
  const eventDestinations = destinations.filter((d) => d.kind === 'events');
  for (const { profileId, event } of input.events) {
    for (const d of eventDestinations) {
      if (!wantsEvent(d, event.payload) || !allowed(d, profileId)) continue;
      const messageId = `evt-${event.seq}`;
      rows.push({
        id: deliveryId(),
        destination_id: d.id,
        message_id: messageId,
        profile_id: profileId,
        payload: JSON.stringify(mapMessage(d, { ...event.payload, messageId })),
        created_at: createdAt,
      });
    }
  }
  const audienceDestinations = destinations.filter((d) => d.kind === 'audiences');
  if (audienceDestinations.length > 0 && input.changes.length > 0) {
    const ids = await personIds(trx, [...new Set(input.changes.map((c) => c.profileId))]);
    for (const change of input.changes) {
      for (const d of audienceDestinations) {
        const wanted =
          d.settings.audiences.length === 0 || d.settings.audiences.includes(change.audienceKey);
        if (!wanted || !allowed(d, change.profileId)) continue;
        const who = ids.get(change.profileId) ?? { userId: null, anonymousId: null };
        const message = audienceMessage(d, change, { ...who, profileId: change.profileId });
        rows.push({
          id: deliveryId(),
          destination_id: d.id,
          message_id: String(message.messageId),
          profile_id: change.profileId,
          payload: JSON.stringify(mapMessage(d, message)),
          created_at: createdAt,
        });
      }
    }
  }
  await enqueue(trx, rows);
  return rows.length;
}

// Time-ordered, so listing a destination's messages by id lists them by creation.
const deliveryId = () =>
  `dlv_${Date.now().toString(36).padStart(9, '0')}${randomUUID().replace(/-/g, '').slice(0, 16)}`;

/** Each profile's consent decisions: the newest per purpose and channel over its identifiers. */
async function storedConsents(trx: Db, profileIds: string[]) {
  const out = new Map<string, ConsentDecision[]>();
  for (const part of chunks(profileIds, 500)) {
    const rows = await trx
      .selectFrom('identity_identifiers as i')
      .innerJoin('privacy_consents as c', (join) =>
        join.onRef('c.subject_type', '=', 'i.type').onRef('c.subject_value', '=', 'i.value'),
      )
      .select(['i.profile_id', 'c.purpose', 'c.channel', 'c.granted', 'c.source', 'c.recorded_at'])
      .where('i.profile_id', 'in', part)
      .execute();
    const byProfile = new Map<string, typeof rows>();
    for (const r of rows) {
      const own = byProfile.get(r.profile_id);
      if (own) own.push(r);
      else byProfile.set(r.profile_id, [r]);
    }
    for (const [profileId, own] of byProfile) out.set(profileId, newestDecisions(own));
  }
  return out;
}

/** The first user ID and anonymous ID each profile was seen with. */
async function personIds(trx: Db, profileIds: string[]) {
  const out = new Map<string, { userId: string | null; anonymousId: string | null }>();
  for (const part of chunks(profileIds, 500)) {
    const rows = await trx
      .selectFrom('identity_identifiers')
      .select(['profile_id', 'type', 'value'])
      .where('profile_id', 'in', part)
      .where('type', 'in', ['user_id', 'anonymous_id'])
      .orderBy('first_seq')
      .execute();
    for (const r of rows) {
      const entry = out.get(r.profile_id) ?? { userId: null, anonymousId: null };
      if (r.type === 'user_id' && entry.userId === null) entry.userId = r.value;
      if (r.type === 'anonymous_id' && entry.anonymousId === null) entry.anonymousId = r.value;
      out.set(r.profile_id, entry);
    }
  }
  return out;
}
