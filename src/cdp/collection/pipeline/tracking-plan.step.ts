import { REJECTION_CODES } from './codes.js';
import { clip, type JsonObject } from './json.js';
import { type CollectedEvent, drop, type EventType, ok, type StepResult } from './types.js';

/**
 * What a source's tracking plan does with what it finds (Segment Protocols' choices):
 * `allow` checks nothing, `flag` accepts and records violations, `omit` also strips properties
 * the plan does not name, `block` refuses unplanned events and any violation.
 */
export type PlanMode = 'allow' | 'flag' | 'omit' | 'block';

export const PLAN_MODES: readonly PlanMode[] = ['allow', 'flag', 'omit', 'block'];

/** One finding. `kind` is `unplanned_event`, `unplanned_property` or a JSON Schema keyword. */
export interface PlanViolation {
  kind: string;
  /** Dotted path from the message root (`properties.total`), or null for the event itself. */
  property: string | null;
  message: string;
}

/**
 * A compiled JSON Schema. The pipeline does not know which validator produced it: compiling is
 * done once per plan version, outside the hot path (see `plans/plan.compile.ts`).
 */
export interface PlanCheck {
  /** The violations of `value`, empty when it is valid. Paths are relative to `value`. */
  validate(value: unknown): PlanViolation[];
  /** Top-level keys the schema names; null when the schema lets any key through. */
  planned: ReadonlySet<string> | null;
}

/** A tracking plan ready for the hot path. */
export interface CompiledPlan {
  version: number;
  mode: PlanMode;
  /** Applies to every message, from its root (e.g. requires `context.app.version`). */
  common: PlanCheck | null;
  /** track `properties`, per event name; a name not listed is an unplanned event. */
  track: ReadonlyMap<string, PlanCheck>;
  /** identify `traits`. */
  identify: PlanCheck | null;
  /** page `properties`. */
  page: PlanCheck | null;
}

export type PlanAction = 'flagged' | 'omitted' | 'blocked';

export interface PlanOutcome {
  result: StepResult<CollectedEvent>;
  violations: PlanViolation[];
  /** What happened because of the violations; null when there were none. */
  action: PlanAction | null;
}

// An event can break a schema in many places; a few are enough to see what is wrong, and
// recording hundreds per event would let one bad client flood the violation store.
const maxViolationsPerEvent = 20;

const checked: Partial<Record<EventType, 'properties' | 'traits'>> = {
  track: 'properties',
  identify: 'traits',
  page: 'properties',
};

/**
 * Checks a normalized event against a compiled plan and applies the plan's mode. Runs last,
 * on the clean event, so the plan sees what is stored (e-mails lower-cased, and so on).
 */
export function trackingPlanStep(event: CollectedEvent, plan: CompiledPlan): PlanOutcome {
  if (plan.mode === 'allow') return { result: ok(event), violations: [], action: null };
  const violations: PlanViolation[] = [];
  const field = checked[event.type];
  let check: PlanCheck | null = null;
  if (event.type === 'track') {
    check = plan.track.get(event.event ?? '') ?? null;
    if (!check) {
      violations.push({
        kind: 'unplanned_event',
        property: null,
        message: `"${clip(event.event ?? '')}" is not in the tracking plan`,
      });
    }
  } else if (event.type === 'identify') check = plan.identify;
  else if (event.type === 'page') check = plan.page;

  const unplanned: string[] = [];
  if (check && field) {
    const target = event[field];
    for (const v of check.validate(target)) {
      violations.push({ ...v, property: join(field, v.property) });
    }
    if (check.planned) {
      for (const key of Object.keys(target)) {
        if (check.planned.has(key)) continue;
        unplanned.push(key);
        violations.push({
          kind: 'unplanned_property',
          property: `${field}.${key}`,
          message: `${field}.${clip(key)} is not in the tracking plan`,
        });
      }
    }
  }
  if (plan.common) violations.push(...plan.common.validate(event));
  if (violations.length === 0) return { result: ok(event), violations, action: null };
  const found = violations.slice(0, maxViolationsPerEvent);

  if (plan.mode === 'block') {
    const unplannedEvent = found[0]?.kind === 'unplanned_event';
    return {
      result: drop(
        unplannedEvent ? REJECTION_CODES.unplannedEvent : REJECTION_CODES.planViolation,
        `blocked by the tracking plan: ${found
          .slice(0, 3)
          .map((v) => v.message)
          .join('; ')}${found.length > 3 ? ` (+${violations.length - 3} more)` : ''}`,
      ),
      violations: found,
      action: 'blocked',
    };
  }
  if (plan.mode === 'omit' && field && unplanned.length > 0) {
    const kept: JsonObject = {};
    const omitted = new Set(unplanned);
    for (const [key, value] of Object.entries(event[field])) {
      if (!omitted.has(key)) kept[key] = value;
    }
    return { result: ok({ ...event, [field]: kept }), violations: found, action: 'omitted' };
  }
  return { result: ok(event), violations: found, action: 'flagged' };
}

function join(field: string, property: string | null): string {
  return property === null || property === '' ? field : `${field}.${property}`;
}
