import { normalizeContextConsent } from '../../privacy/consent/index.js';
import type { Filter, Scalar } from '../audiences/definition.js';
import { matchesAll, readPath } from '../audiences/filters.js';

/** Consent purposes a destination can require; `none` sends regardless of consent. */
export const consentPurposes = ['advertising', 'analytics', 'personalization', 'none'] as const;
export type ConsentPurpose = (typeof consentPurposes)[number];

/** One output field: copied from a path of the message, or a fixed value. */
export interface FieldMapping {
  to: string;
  from?: string;
  value?: Scalar;
}

/** What a destination receives and how (stored as JSON beside the destination). */
export interface DestinationSettings {
  /** Event destinations: message types sent (default: track). */
  types: string[];
  /** Event destinations: event names sent (empty: all). */
  events: string[];
  /** Conditions on the message, paths from its root (`properties.total`, `context.page.path`). */
  where: Filter[];
  /** Audience destinations: audience keys (empty: all). */
  audiences: string[];
  /** Audience destinations: an `identify` with the audience as a trait, or a `track`. */
  audienceMessage: 'identify' | 'track';
  /** When present, the body is built from these fields only (plus the message ID). */
  mappings: FieldMapping[];
  consentPurpose: ConsentPurpose;
  /** Requests per second to this destination (per process). */
  ratePerSecond: number;
  /** Attempts before a message goes to the dead-letter queue. */
  maxAttempts: number;
  /**
   * The destination accepts `delete` messages: an erasure request forwards one to it, naming
   * only the identifiers it was sent earlier. Off by default, as most receivers would take a
   * `delete` for an ordinary event.
   */
  forwardDeletions: boolean;
}

export const defaultSettings: DestinationSettings = {
  types: ['track'],
  events: [],
  where: [],
  audiences: [],
  audienceMessage: 'identify',
  mappings: [],
  consentPurpose: 'advertising',
  ratePerSecond: 10,
  maxAttempts: 8,
  forwardDeletions: false,
};

/** A destination as the pipeline uses it. */
export interface DestinationConfig {
  id: string;
  name: string;
  kind: 'events' | 'audiences';
  url: string;
  secret: string;
  settings: DestinationSettings;
}

// TCF purposes each named purpose needs: personalised ads (4), measurement (8), personalised
// content (5). `normalizeContextConsent` maps consent-manager categories onto them.
const tcfPurposes: Record<Exclude<ConsentPurpose, 'none'>, number[]> = {
  advertising: [4],
  analytics: [8],
  personalization: [5],
};

/**
 * Whether a profile may be sent to a destination needing `purpose`. Until the privacy model
 * lands, consent is read from, in order: the profile trait `consent` (an object of purpose ->
 * boolean, e.g. `{ "advertising": true }`), then the latest `context.consent.categoryPreferences`
 * seen on the profile's events. No record at all means no consent: the profile is not sent.
 */
export function consentAllows(
  purpose: ConsentPurpose,
  traits: Record<string, unknown>,
  contextPreferences: unknown,
): boolean {
  if (purpose === 'none') return true;
  const trait = traits.consent;
  if (typeof trait === 'object' && trait !== null && !Array.isArray(trait)) {
    const value = (trait as Record<string, unknown>)[purpose];
    if (typeof value === 'boolean') return value;
  }
  if (contextPreferences === undefined || contextPreferences === null) return false;
  const { purposes } = normalizeContextConsent({ categoryPreferences: contextPreferences });
  return tcfPurposes[purpose].every((p) => purposes[p] === true);
}

/** Whether an event destination wants this message. */
export function wantsEvent(d: DestinationConfig, message: Record<string, unknown>): boolean {
  if (d.kind !== 'events') return false;
  const type = String(message.type ?? '');
  if (!d.settings.types.includes(type)) return false;
  if (d.settings.events.length > 0 && !d.settings.events.includes(String(message.event ?? '')))
    return false;
  return matchesAll(message, d.settings.where);
}

/** Applies field mappings (when declared) to a message. */
export function mapMessage(
  d: DestinationConfig,
  message: Record<string, unknown>,
): Record<string, unknown> {
  if (d.settings.mappings.length === 0) return message;
  const out: Record<string, unknown> = { messageId: message.messageId };
  for (const m of d.settings.mappings) {
    const value = m.from !== undefined ? readPath(message, m.from) : m.value;
    if (value !== undefined) setPath(out, m.to, value);
  }
  return out;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1) ?? path] = value;
}

/** Segment-style message for an audience entry or exit. */
export function audienceMessage(
  d: DestinationConfig,
  change: {
    logId: number;
    audienceKey: string;
    audienceName: string;
    kind: 'entered' | 'exited';
    at: string;
  },
  ids: { userId: string | null; anonymousId: string | null; profileId: string },
): Record<string, unknown> {
  const inside = change.kind === 'entered';
  const base = {
    messageId: `aud-${change.logId}`,
    timestamp: change.at,
    ...(ids.userId ? { userId: ids.userId } : {}),
    ...(ids.anonymousId ? { anonymousId: ids.anonymousId } : {}),
    context: {
      personas: { computation_key: change.audienceKey, computation_class: 'audience' },
      traits: { profile_id: ids.profileId },
    },
  };
  if (d.settings.audienceMessage === 'track') {
    return {
      ...base,
      type: 'track',
      event: inside ? 'Audience Entered' : 'Audience Exited',
      properties: {
        audience_key: change.audienceKey,
        audience_name: change.audienceName,
        [change.audienceKey]: inside,
      },
    };
  }
  return { ...base, type: 'identify', traits: { [change.audienceKey]: inside } };
}

/**
 * The message ID prefix of delete messages forwarded when a person is erased. They travel
 * through the ordinary delivery queue (signature, idempotency key, retries, dead letters); the
 * prefix sets them apart: by it the queue forgets their identifiers once they are delivered,
 * and erasure leaves them alone while they wait.
 */
export const deletionPrefix = 'delete-';

export function isDeletionMessage(messageId: string): boolean {
  return messageId.startsWith(deletionPrefix);
}

/**
 * What a delivered delete message keeps in the delivery log: its type and ID, never the
 * identifiers it carried (the person asked for them to be gone, from Triad too).
 */
export function purgedDeletionPayload(messageId: string): string {
  return JSON.stringify({ type: 'delete', messageId, purged: true });
}
