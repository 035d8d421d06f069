import type { Deps } from '../../kernel/deps.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { seededRandom } from '../../kernel/random.js';
import { type ConsentChannel, consentAllows, consentsFor } from '../../privacy/index.js';
import { findProfileId } from '../profiles/index.js';
import {
  type ContentCondition,
  evaluateContentCondition,
  type Facts,
  parseContentCondition,
} from './condition.js';
import * as repo from './personalization.repository.js';

export type Strategy = 'first_match' | 'highest_score' | 'random';

export interface PersonalizeInput {
  identifier: string;
  contents: Record<string, unknown>[];
  strategy: Strategy;
  fallback?: string | undefined;
  facts?: string[] | undefined;
  seed?: string | number | undefined;
  channel?: ConsentChannel | undefined;
}

export interface PersonalizeResult {
  content: Record<string, unknown> | null;
  /** Why this content: `matched`, `fallback` (nothing matched), `no_consent`, `profile_not_found`. */
  reason: 'matched' | 'fallback' | 'no_consent' | 'profile_not_found';
  matched: string[];
  profile: {
    id: string;
    traits: Record<string, unknown>;
    audiences: string[];
    predictions: Record<string, unknown>;
  } | null;
  consent: { personalization: boolean };
}

interface Candidate {
  id: string;
  index: number;
  condition: ContentCondition | undefined;
  score: number | undefined;
  content: Record<string, unknown>;
}

/** Checks the request before any lookup, so bad input is a 400 whoever the visitor is. */
function parseContents(input: PersonalizeInput, audiences: Set<string>): Candidate[] {
  const errors: ErrorDetail[] = [];
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  if (input.contents.length === 0)
    errors.push({ field: '/contents', message: 'must not be empty' });
  input.contents.forEach((raw, index) => {
    const at = `/contents/${index}`;
    const id = raw.id;
    if (typeof id !== 'string' || id === '') {
      errors.push({ field: `${at}/id`, message: 'must be a non-empty string' });
      return;
    }
    if (seen.has(id)) errors.push({ field: `${at}/id`, message: `"${id}" is used twice` });
    seen.add(id);
    const condition =
      raw.conditions === undefined
        ? undefined
        : parseContentCondition(raw.conditions, `${at}/conditions`, errors, audiences);
    if (raw.score !== undefined && (typeof raw.score !== 'number' || !Number.isFinite(raw.score)))
      errors.push({ field: `${at}/score`, message: 'must be a number' });
    const isFallback = id === input.fallback;
    // The fallback is what shows when nothing else does, so it needs neither.
    if (!isFallback && input.strategy === 'first_match' && raw.conditions === undefined)
      errors.push({
        field: `${at}/conditions`,
        message: 'first_match needs conditions on every content but the fallback',
      });
    if (!isFallback && input.strategy === 'highest_score' && raw.score === undefined)
      errors.push({
        field: `${at}/score`,
        message: 'highest_score needs a score on every content',
      });
    const { conditions: _c, ...content } = raw;
    candidates.push({
      id,
      index,
      condition,
      score: typeof raw.score === 'number' ? raw.score : undefined,
      content,
    });
  });
  if (input.fallback !== undefined && !seen.has(input.fallback))
    errors.push({ field: '/fallback', message: `no content has the id "${input.fallback}"` });
  if (errors.length > 0) throw new AppError('bad_request', 'The contents are not valid', errors);
  return candidates;
}

/** A small seeded generator (mulberry32) so `random` is reproducible in tests. */
function seeded(seed: string | number | undefined): () => number {
  if (seed === undefined) return Math.random;
  let h = 2166136261;
  for (const ch of String(seed)) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return seededRandom(h);
}

function choose(strategy: Strategy, matched: Candidate[], seed: PersonalizeInput['seed']) {
  if (matched.length === 0) return undefined;
  if (strategy === 'first_match') return matched[0];
  if (strategy === 'highest_score')
    return matched.reduce((best, c) => ((c.score ?? 0) > (best.score ?? 0) ? c : best));
  return matched[Math.floor(seeded(seed)() * matched.length)];
}

/**
 * Picks the content to show a visitor in one call: resolves the identifier, reads the
 * profile's traits (predictions are traits), memberships and consents, evaluates each
 * content's conditions and applies the strategy. Without consent for personalization, or for
 * an unknown visitor, the fallback is returned and no profile fact is disclosed.
 */
export async function personalize(
  deps: Pick<Deps, 'db'>,
  input: PersonalizeInput,
): Promise<PersonalizeResult> {
  const named = new Set<string>();
  const candidates = parseContents(input, named);
  if (named.size > 0) {
    const known = await repo.existingAudienceKeys(deps.db, [...named]);
    const unknown = [...named].filter((k) => !known.has(k));
    if (unknown.length > 0)
      throw new AppError(
        'bad_request',
        `Unknown audience(s): ${unknown.join(', ')}`,
        unknown.map((k) => ({ field: '/contents', message: `no audience has the key "${k}"` })),
      );
  }
  const fallback = candidates.find((c) => c.id === input.fallback);
  const fallbackAnswer = (reason: PersonalizeResult['reason']): PersonalizeResult => ({
    content: fallback?.content ?? null,
    reason,
    matched: [],
    profile: null,
    consent: { personalization: false },
  });

  let profileId: string;
  try {
    profileId = await findProfileId(deps, input.identifier);
  } catch (error) {
    // A first-time visitor is normal traffic for a website, not an error: show the fallback.
    if (error instanceof AppError && error.code === 'not_found')
      return fallbackAnswer('profile_not_found');
    throw error;
  }
  const facts = await repo.profileFacts(deps.db, profileId);
  if (!facts) return fallbackAnswer('profile_not_found');
  const consents = await consentsFor(deps.db, facts.identifiers);
  if (!consentAllows(consents, 'personalization', input.channel ?? '*'))
    return fallbackAnswer('no_consent');

  const known: Facts = { traits: facts.traits, audiences: new Set(facts.audiences), consents };
  // Unconditional contents always qualify; an unconditional fallback is only the last resort.
  const matched = candidates.filter((c) =>
    c.condition === undefined
      ? c.id !== input.fallback
      : evaluateContentCondition(c.condition, known),
  );
  const chosen = choose(input.strategy, matched, input.seed);
  const traits: Record<string, unknown> = {};
  for (const name of input.facts ?? []) {
    if (name in facts.traits) traits[name] = facts.traits[name];
  }
  const predictions: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(facts.traits)) {
    if (name.startsWith('predicted_')) predictions[name] = value;
  }
  return {
    content: chosen?.content ?? fallback?.content ?? null,
    reason: chosen ? 'matched' : 'fallback',
    matched: matched.map((c) => c.id),
    profile: { id: profileId, traits, audiences: facts.audiences, predictions },
    consent: { personalization: true },
  };
}
