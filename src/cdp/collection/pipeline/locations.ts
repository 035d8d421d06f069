import { field, type JsonObject, type JsonValue, objectField } from './json.js';
import type { CollectedEvent } from './types.js';

/** Where identity fields such as `email` and `phone` live in a Segment message. */
export type TraitLocation = 'traits' | 'properties' | 'context.traits';

export const TRAIT_LOCATIONS: readonly TraitLocation[] = ['traits', 'properties', 'context.traits'];

/**
 * Returns the event with `location[key]` replaced by `rewrite(value)`, copying only the objects on
 * the way (earlier steps' objects are never mutated). Returns the same event when the field is
 * absent or the rewrite leaves it unchanged.
 */
export function rewriteField(
  event: CollectedEvent,
  location: TraitLocation,
  key: string,
  rewrite: (value: JsonValue) => JsonValue,
): CollectedEvent {
  if (location === 'context.traits') {
    const traits = objectField(event.context, 'traits');
    if (!traits) return event;
    const next = rewriteIn(traits, key, rewrite);
    return next === traits ? event : { ...event, context: { ...event.context, traits: next } };
  }
  const target = event[location];
  const next = rewriteIn(target, key, rewrite);
  return next === target ? event : { ...event, [location]: next };
}

function rewriteIn(
  obj: JsonObject,
  key: string,
  rewrite: (value: JsonValue) => JsonValue,
): JsonObject {
  const value = field(obj, key);
  if (value === undefined) return obj;
  const next = rewrite(value);
  return Object.is(next, value) ? obj : { ...obj, [key]: next };
}
