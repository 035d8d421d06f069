import {
  evaluateSegment,
  MAX_FREQUENCY,
  type SegmentExpr,
  type TraitState,
} from '../segments/expression.js';
import { frequencyHolds, ruleMatches, type Signals, type TraitRule } from '../traits/trait-rule.js';

/**
 * Real-time qualification, as pure functions: which traits a signal realizes, how an ID's
 * realization history changes, and which segments the ID belongs to afterwards.
 */

export interface CompiledTrait {
  id: string;
  /** Null for onboarded traits: they are realized by onboarding, never by signals. */
  rule: TraitRule | null;
  ttlMs: number;
}

export interface CompiledSegment {
  id: string;
  expr: SegmentExpr;
  taxonomyIds: number[];
}

/** Realization times kept per ID and trait (the largest frequency a rule may test). */
export const HIT_CAP = MAX_FREQUENCY;

/** The rule traits one signal realizes. */
export function realizedTraits(traits: readonly CompiledTrait[], signals: Signals): string[] {
  const out: string[] = [];
  for (const trait of traits)
    if (trait.rule && ruleMatches(trait.rule, signals)) out.push(trait.id);
  return out;
}

/** Drops realizations older than the TTL, appends `nowMs`, keeps the newest HIT_CAP. */
export function addHit(hits: readonly number[], nowMs: number, ttlMs: number): number[] {
  const live = hits.filter((at) => at > nowMs - ttlMs && at <= nowMs);
  live.push(nowMs);
  return live.length > HIT_CAP ? live.slice(live.length - HIT_CAP) : live;
}

/** What the segment evaluator sees of one trait for one ID at `nowMs`. */
export function traitState(
  trait: CompiledTrait,
  hits: readonly number[],
  nowMs: number,
): TraitState {
  const live = hits.filter((at) => at > nowMs - trait.ttlMs && at <= nowMs);
  return { hits: live, qualified: live.length > 0 && frequencyHolds(trait.rule, live, nowMs) };
}

/** The IDs of every segment the ID qualifies for, given its traits' states. */
export function qualifiedSegments(
  segments: readonly CompiledSegment[],
  states: ReadonlyMap<string, TraitState>,
  nowMs: number,
): string[] {
  // An ID with no live realization can qualify for nothing (rules must be positive).
  if (states.size === 0) return [];
  return segments.filter((s) => evaluateSegment(s.expr, states, nowMs)).map((s) => s.id);
}
