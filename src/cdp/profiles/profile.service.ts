import type { Deps } from '../../kernel/deps.js';
import { AppError } from '../../kernel/errors.js';
import { decodeCursor, encodeCursor, type Page } from '../../kernel/pagination.js';
import { profileAudienceTraits } from '../audiences/index.js';
import { unmerge } from '../identity/graph/identity.service.js';
import * as repo from './profile.repository.js';

export interface ProfileIdentifier {
  type: string;
  value: string;
  firstSeen: string;
  lastSeen: string;
}

export interface ProfileView {
  id: string;
  traits: Record<string, unknown>;
  /** Event time of the value kept for each trait (latest event wins). */
  traitTimes: Record<string, string>;
  firstSeen: string;
  lastSeen: string;
  createdAt: string;
  updatedAt: string;
  identifiers: ProfileIdentifier[];
  /** Profiles merged into this one (their IDs still resolve here). */
  mergedFrom: string[];
  /** Computed traits by key (kept up to date by the audiences consumer). */
  computedTraits: Record<string, unknown>;
  /** Keys of the audiences the profile is in now. */
  audiences: string[];
}

export interface TimelineEvent {
  seq: number;
  sourceId: string;
  messageId: string;
  type: string;
  event: string | null;
  timestamp: string;
  receivedAt: string;
  payload: Record<string, unknown>;
}

/**
 * Finds the profile a key names: `type:value` (any identifier, e.g. `email:ada@example.com`,
 * `user_id:42`) or a profile ID (an old, merged-away ID resolves to the profile that absorbed
 * it). Unknown keys are a 404.
 */
export async function findProfileId(deps: Pick<Deps, 'db'>, key: string): Promise<string> {
  const trimmed = key.trim();
  let id: string | undefined;
  if (trimmed.startsWith('prof_')) id = await repo.resolveProfileId(deps.db, trimmed);
  else if (trimmed.startsWith('profile_id:'))
    id = await repo.resolveProfileId(deps.db, trimmed.slice('profile_id:'.length));
  else {
    const at = trimmed.indexOf(':');
    if (at <= 0)
      throw new AppError(
        'bad_request',
        `"${key}" is not an identifier of the form type:value or a profile ID`,
      );
    const type = trimmed.slice(0, at);
    const value = trimmed.slice(at + 1);
    const row = await repo.profileByIdentifier(
      deps.db,
      type,
      type === 'email' ? value.toLowerCase() : value,
    );
    id = row ? await repo.resolveProfileId(deps.db, row.id) : undefined;
  }
  if (!id) throw new AppError('not_found', `No profile is known by ${key}`);
  return id;
}

export async function getProfile(deps: Pick<Deps, 'db'>, key: string): Promise<ProfileView> {
  const id = await findProfileId(deps, key);
  const [row, identifiers, merged, audienceTraits] = await Promise.all([
    repo.profileById(deps.db, id),
    repo.identifiersOf(deps.db, id),
    repo.profilesMergedInto(deps.db, id),
    profileAudienceTraits(deps, id),
  ]);
  if (!row) throw new AppError('not_found', `No profile is known by ${key}`);
  return {
    id: row.id,
    traits: JSON.parse(row.traits),
    traitTimes: JSON.parse(row.trait_times),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    identifiers: identifiers.map((i) => ({
      type: i.type,
      value: i.value,
      firstSeen: i.first_seen,
      lastSeen: i.last_seen,
    })),
    mergedFrom: merged.map((m) => m.id),
    computedTraits: audienceTraits.computed,
    audiences: Object.keys(audienceTraits.audiences).sort(),
  };
}

/** The profile's timeline: every event it holds, newest first. */
export async function profileTimeline(
  deps: Pick<Deps, 'db'>,
  key: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<TimelineEvent>> {
  const id = await findProfileId(deps, key);
  let before: { timestamp: string; seq: number } | undefined;
  if (page.cursor !== undefined) {
    const decoded = decodeCursor(page.cursor, ['timestamp', 'seq'] as const);
    before = { timestamp: decoded.timestamp, seq: Number(decoded.seq) };
  }
  const rows = await repo.timeline(deps.db, id, {
    limit: page.limit,
    ...(before ? { before } : {}),
  });
  const hasMore = rows.length > page.limit;
  const data = rows.slice(0, page.limit).map((r) => ({
    seq: r.seq,
    sourceId: r.source_id,
    messageId: r.message_id,
    type: r.type,
    event: r.event,
    timestamp: r.timestamp,
    receivedAt: r.received_at,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
  }));
  const last = data.at(-1);
  return {
    data,
    next:
      hasMore && last ? encodeCursor({ timestamp: last.timestamp, seq: String(last.seq) }) : null,
  };
}

export interface MergeLogEntry {
  id: string;
  kind: string;
  profileId: string;
  otherProfileId: string | null;
  seq: number | null;
  reason: Record<string, unknown>;
  createdAt: string;
  reversedBy: string | null;
}

/** Every merge and unmerge this profile (or a profile merged into it) took part in. */
export async function profileMergeLog(
  deps: Pick<Deps, 'db'>,
  key: string,
): Promise<MergeLogEntry[]> {
  const id = await findProfileId(deps, key);
  const merged = await repo.profilesMergedInto(deps.db, id);
  const rows = await repo.mergeLogOf(deps.db, [id, ...merged.map((m) => m.id)]);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    profileId: r.profile_id,
    otherProfileId: r.other_profile_id,
    seq: r.seq,
    reason: JSON.parse(r.reason),
    createdAt: r.created_at,
    reversedBy: r.reversed_by,
  }));
}

/** Reverses a merge of this profile: the one named, or the latest one still in force. */
export async function unmergeProfile(
  deps: Pick<Deps, 'db' | 'clock'>,
  key: string,
  opts: { mergeId?: string | undefined; actor: string },
): Promise<{ unmergeId: string; reversed: string; profiles: string[] }> {
  const log = await profileMergeLog(deps, key);
  const target = opts.mergeId
    ? log.find((entry) => entry.id === opts.mergeId && entry.kind === 'merge')
    : log.find((entry) => entry.kind === 'merge' && entry.reversedBy === null);
  if (!target) {
    throw new AppError(
      opts.mergeId ? 'not_found' : 'conflict',
      opts.mergeId
        ? `merge ${opts.mergeId} is not a merge of this profile`
        : 'This profile has no merge to reverse',
    );
  }
  const result = await unmerge(deps, target.id, opts.actor);
  return { ...result, reversed: target.id };
}

export async function searchProfiles(deps: Pick<Deps, 'db'>, query: string, limit: number) {
  const rows = await repo.searchProfiles(deps.db, query, limit);
  return rows.map((r) => ({
    id: r.id,
    traits: JSON.parse(r.traits) as Record<string, unknown>,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
  }));
}

export async function latestMessage(deps: Pick<Deps, 'db'>, profileId: string) {
  return repo.latestEvent(deps.db, profileId);
}
