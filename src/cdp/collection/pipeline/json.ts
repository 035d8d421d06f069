/**
 * JSON value types and the few object helpers every step shares.
 *
 * Steps after the structure check work on `JsonObject`s that the pipeline itself built, so they
 * can rely on plain prototypes and JSON-only values. Reads still go through `own` so an inherited
 * name such as `constructor` never masquerades as a client-sent field.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

export interface JsonObject {
  [key: string]: JsonValue;
}

/** True for `{}`-like objects (Object or null prototype), false for arrays, class instances, boxes. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Narrows a JSON value to an object (not an array, not null). */
export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own-property read: inherited members (`constructor`, `toString`) read as `undefined`. */
export function own(obj: object, key: string): unknown {
  return Object.hasOwn(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

/** Own-property read of a JSON object field. */
export function field(obj: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** The object at `obj[key]`, or `undefined` when it is absent or not an object. */
export function objectField(obj: JsonObject, key: string): JsonObject | undefined {
  const value = field(obj, key);
  return isJsonObject(value) ? value : undefined;
}

/** A non-empty string at `obj[key]`, or `undefined`. */
export function stringField(obj: JsonObject, key: string): string | undefined {
  const value = field(obj, key);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Shortens client-controlled text before it goes into a rejection reason. */
export function clip(text: string, max = 64): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
