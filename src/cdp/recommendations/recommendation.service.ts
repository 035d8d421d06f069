import { randomBytes } from 'node:crypto';
import type { Deps } from '../../kernel/deps.js';
import { patchProfileTraits } from '../predictions/prediction.repository.js';
import { findProfileId } from '../profiles/index.js';
import {
  buildItemModel,
  defaultRecommendOptions,
  groupByUser,
  type Neighbor,
  popularityOf,
  profileOf,
  recommend,
  type UserProfile,
} from './recommend.js';
import * as repo from './recommendation.repository.js';

type ServiceDeps = Pick<Deps, 'db' | 'clock'>;

/** The profile trait the refresh writes. */
export const recommendedTrait = 'recommended_items';
/** Items kept in the trait. */
export const traitSize = 10;
/** Interactions older than this are ignored (their weight has decayed to nothing anyway). */
const horizonDays = 365;
const popularKept = 200;
const day = 86_400_000;

export interface RefreshStats {
  interactions: number;
  items: number;
  profilesWithHistory: number;
  profilesWritten: number;
  segments: number;
  tookMs: number;
}

export interface RecommendationStatus {
  lastRefreshAt: string | null;
  stats: RefreshStats | null;
  trait: string;
  traitSize: number;
  halfLifeDays: number;
}

/**
 * One popularity list for a profile in several audiences: each audience's scores scaled to
 * its best item, summed, so a small audience counts as much as a large one.
 */
export function segmentFallback(lists: Neighbor[][]): Neighbor[] {
  const sum = new Map<string, number>();
  for (const list of lists) {
    const top = list[0]?.score ?? 0;
    if (top <= 0) continue;
    for (const n of list) sum.set(n.item, (sum.get(n.item) ?? 0) + n.score / top);
  }
  return [...sum]
    .map(([item, score]) => ({ item, score }))
    .sort((a, b) => b.score - a.score || (a.item < b.item ? -1 : 1));
}

/**
 * Rebuilds the item model from the interaction history, stores it, and writes
 * `recommended_items` (top 10) on every current profile.
 */
export async function refreshRecommendations(deps: ServiceDeps): Promise<RefreshStats> {
  const started = Date.now();
  const now = deps.clock.now();
  const since = new Date(now.getTime() - horizonDays * day).toISOString();
  const interactions = await repo.loadInteractions(deps.db, since);
  const profiles = new Map<string, UserProfile>();
  const modelProfiles = new Map<string, UserProfile>();
  for (const [user, list] of groupByUser(interactions)) {
    profiles.set(user, profileOf(list, now.getTime()));
    modelProfiles.set(user, profileOf(list, now.getTime(), defaultRecommendOptions, 'model'));
  }
  const model = buildItemModel(modelProfiles);
  const members = await repo.memberships(deps.db);
  const bySegment = new Map<string, UserProfile[]>();
  for (const [profileId, audiences] of members) {
    const p = profiles.get(profileId);
    if (!p) continue;
    for (const a of audiences) {
      const list = bySegment.get(a);
      if (list) list.push(p);
      else bySegment.set(a, [p]);
    }
  }
  const popularity = new Map<string, Neighbor[]>([['', model.popularity.slice(0, popularKept)]]);
  for (const [segment, list] of bySegment) {
    popularity.set(segment, popularityOf(list).slice(0, popularKept));
  }
  await repo.saveModel(deps.db, model.neighbors, popularity);

  const empty: UserProfile = { weights: new Map(), purchased: new Set() };
  const global = popularity.get('') ?? [];
  const patches = (await repo.currentProfileIds(deps.db)).map((profileId) => {
    const segments = (members.get(profileId) ?? []).map((a) => popularity.get(a) ?? []);
    const items = recommend(
      profiles.get(profileId) ?? empty,
      (item) => model.neighbors.get(item),
      [segmentFallback(segments), global],
      traitSize,
    );
    return { profileId, traits: { [recommendedTrait]: items } };
  });
  await patchProfileTraits(deps.db, patches, now.toISOString());
  const stats: RefreshStats = {
    interactions: interactions.length,
    items: model.neighbors.size,
    profilesWithHistory: profiles.size,
    profilesWritten: patches.length,
    segments: bySegment.size,
    tookMs: Date.now() - started,
  };
  await repo.insertRun(deps.db, {
    id: `rrun_${now.getTime().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`,
    started_at: new Date(started).toISOString(),
    finished_at: deps.clock.now().toISOString(),
    stats: JSON.stringify(stats),
  });
  return stats;
}

export interface ProfileRecommendations {
  profileId: string;
  items: string[];
  /** `history` when the profile's own interactions produced candidates, else the fallback used. */
  basis: 'history' | 'segment' | 'popular' | 'none';
}

/**
 * Recommendations for one profile computed now: its current interactions against the stored
 * item neighbours (so a view a second ago already counts), with the same fallbacks.
 */
export async function recommendationsFor(
  deps: ServiceDeps,
  key: string,
  limit: number,
): Promise<ProfileRecommendations> {
  const profileId = await findProfileId(deps, key);
  const now = deps.clock.now();
  const since = new Date(now.getTime() - horizonDays * day).toISOString();
  const interactions = await repo.profileInteractions(deps.db, profileId, since);
  const profile = profileOf(interactions, now.getTime(), defaultRecommendOptions);
  const neighbors = await repo.neighborsOfItems(deps.db, [...profile.weights.keys()]);
  const audiences = await repo.audiencesOf(deps.db, profileId);
  const lists = await repo.popularityIn(deps.db, ['', ...audiences]);
  const segment = segmentFallback(audiences.map((a) => lists.get(a) ?? []));
  const global = lists.get('') ?? [];
  const fromHistory = recommend(profile, (item) => neighbors.get(item), [], limit);
  const fromSegment = recommend(profile, (item) => neighbors.get(item), [segment], limit);
  const items = recommend(profile, (item) => neighbors.get(item), [segment, global], limit);
  const basis =
    items.length === 0
      ? 'none'
      : fromHistory.length > 0
        ? 'history'
        : fromSegment.length > 0
          ? 'segment'
          : 'popular';
  return { profileId, items, basis };
}

export async function recommendationStatus(deps: ServiceDeps): Promise<RecommendationStatus> {
  const run = await repo.latestRun(deps.db);
  return {
    lastRefreshAt: run?.finished_at ?? null,
    stats: run ? (JSON.parse(run.stats) as RefreshStats) : null,
    trait: recommendedTrait,
    traitSize,
    halfLifeDays: defaultRecommendOptions.halfLifeDays,
  };
}

/** Interval between scheduled refreshes. */
export const refreshEveryMs = 6 * 3_600_000;

/** Refreshes when the last refresh is older than the interval (or there was none). */
export async function refreshIfDue(deps: ServiceDeps): Promise<boolean> {
  const run = await repo.latestRun(deps.db);
  const now = deps.clock.now().getTime();
  if (run && now - Date.parse(run.finished_at) < refreshEveryMs) return false;
  await refreshRecommendations(deps);
  return true;
}
