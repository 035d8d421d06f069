import { REJECTION_CODES } from './codes.js';
import { clip, isPlainObject, type JsonObject, type JsonValue } from './json.js';
import type { Limits } from './limits.js';
import { dlq, ok, type StepResult } from './types.js';

/**
 * Keys that could reach an object's prototype chain if any later code merged the payload with
 * `Object.assign`, a deep-merge helper or a bracket assignment. JSON.parse keeps them as harmless
 * own properties, but one careless consumer turns them into prototype pollution, so messages
 * carrying them are rejected (to the DLQ, with the raw payload) rather than silently stripped:
 * stripping would change customer data without anyone noticing, and no official SDK sends them.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

type StructureLimits = Pick<Limits, 'maxDepth' | 'maxStringLength' | 'maxEventBytes'>;

/** Thrown inside the walk only, to unwind from any depth to the step boundary. */
class StructureViolation extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/**
 * Step 1: checks that a message is a plain JSON object tree within the depth and string limits
 * and free of prototype-related keys, and returns a fresh deep copy built from plain objects.
 *
 * Later steps work on the copy, so nothing the client controls (getters, proxies, shared
 * references, odd prototypes) survives past this point. Values JSON cannot carry are rejected,
 * except `undefined`, which is treated the way JSON.stringify treats it (omitted in objects,
 * `null` in arrays).
 */
export function structureStep(
  raw: unknown,
  limits: StructureLimits,
  measured?: JsonSizeBound,
): StepResult<JsonObject> {
  const bound = measured ?? { bytes: 0 };
  bound.bytes = 0;
  try {
    if (!isPlainObject(raw)) {
      return dlq(
        REJECTION_CODES.messageNotObject,
        `message must be a JSON object, got ${kindOf(raw)}`,
      );
    }
    return ok(copyObject(raw, '', 1, limits, bound));
  } catch (error) {
    if (error instanceof StructureViolation) return dlq(error.code, error.detail);
    // A proxy trap or similar threw while reading: the payload did not come from JSON.
    return dlq(REJECTION_CODES.invalidValue, `message could not be read: ${describeError(error)}`);
  }
}

/**
 * An upper bound on the UTF-8 size of the copy's JSON, gathered during the walk so the size
 * step can skip serializing the message when the bound is already within the limit.
 */
export interface JsonSizeBound {
  bytes: number;
}

// Strings of printable ASCII without quotes or backslashes serialize to their length plus the
// two quotes; anything else is bounded by six bytes per UTF-16 unit (`\uXXXX`).
const needsEscapeOrWide = /[^\x20-\x21\x23-\x5b\x5d-\x7e]/;

function stringBound(text: string): number {
  return needsEscapeOrWide.test(text) ? text.length * 6 + 2 : text.length + 2;
}

function copyValue(
  value: unknown,
  path: string,
  depth: number,
  limits: StructureLimits,
  bound: JsonSizeBound,
): JsonValue {
  if (value === null || typeof value === 'boolean') {
    bound.bytes += 5;
    return value;
  }
  if (typeof value === 'string') {
    bound.bytes += stringBound(value);
    if (value.length > limits.maxStringLength) {
      throw new StructureViolation(
        REJECTION_CODES.stringTooLong,
        `${at(path)} is ${value.length} characters; the limit is ${limits.maxStringLength}`,
      );
    }
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new StructureViolation(
        REJECTION_CODES.invalidValue,
        `${at(path)} is not a finite number`,
      );
    }
    // The longest a finite double prints as is 24 characters (e.g. -1.2345678901234567e-308).
    bound.bytes += 24;
    // JSON has no negative zero: keep the in-memory event equal to what is stored.
    return Object.is(value, -0) ? 0 : value;
  }
  if (Array.isArray(value)) return copyArray(value, path, depth + 1, limits, bound);
  if (isPlainObject(value)) return copyObject(value, path, depth + 1, limits, bound);
  throw new StructureViolation(
    REJECTION_CODES.invalidValue,
    `${at(path)} is ${kindOf(value)}, which JSON cannot carry`,
  );
}

function copyObject(
  source: Record<string, unknown>,
  path: string,
  depth: number,
  limits: StructureLimits,
  bound: JsonSizeBound,
): JsonObject {
  checkDepth(path, depth, limits);
  bound.bytes += 2;
  const keys = Object.keys(source);
  // Every key costs at least four bytes of JSON ("":0), so this bound only fails messages the
  // size step would reject anyway, and keeps the walk from crawling a huge object first.
  if (keys.length > limits.maxEventBytes / 4) {
    throw new StructureViolation(
      REJECTION_CODES.eventTooLarge,
      `${at(path)} has ${keys.length} keys, more than a message within the size limit can hold`,
    );
  }
  const out: JsonObject = {};
  for (const key of keys) {
    const childPath = path === '' ? clip(key) : `${path}.${clip(key)}`;
    if (FORBIDDEN_KEYS.has(key)) {
      throw new StructureViolation(
        REJECTION_CODES.forbiddenKey,
        `key "${key}" is not allowed (at ${childPath})`,
      );
    }
    if (key.length > limits.maxStringLength) {
      throw new StructureViolation(
        REJECTION_CODES.stringTooLong,
        `a key in ${at(path)} is ${key.length} characters; the limit is ${limits.maxStringLength}`,
      );
    }
    // Reading through the descriptor means a getter is never run.
    const descriptor = Object.getOwnPropertyDescriptor(source, key);
    if (descriptor === undefined) continue;
    if (!('value' in descriptor)) {
      throw new StructureViolation(
        REJECTION_CODES.invalidValue,
        `${childPath} is an accessor property, which JSON cannot carry`,
      );
    }
    if (descriptor.value === undefined) continue;
    // The key, its colon and the comma after the member.
    bound.bytes += stringBound(key) + 2;
    out[key] = copyValue(descriptor.value, childPath, depth, limits, bound);
  }
  return out;
}

function copyArray(
  source: unknown[],
  path: string,
  depth: number,
  limits: StructureLimits,
  bound: JsonSizeBound,
): JsonValue[] {
  checkDepth(path, depth, limits);
  // Brackets, and a comma per element (one too many is fine for a bound).
  bound.bytes += 2 + source.length;
  const length = source.length;
  // Each element costs at least one byte, so longer arrays cannot fit in a message.
  if (length > limits.maxEventBytes) {
    throw new StructureViolation(
      REJECTION_CODES.eventTooLarge,
      `${at(path)} has ${length} elements, more than a message within the size limit can hold`,
    );
  }
  const out: JsonValue[] = [];
  for (let i = 0; i < length; i++) {
    const descriptor = Object.getOwnPropertyDescriptor(source, i);
    if (descriptor !== undefined && !('value' in descriptor)) {
      throw new StructureViolation(
        REJECTION_CODES.invalidValue,
        `${path}[${i}] is an accessor property, which JSON cannot carry`,
      );
    }
    const value: unknown = descriptor?.value;
    if (value === undefined) bound.bytes += 4;
    out.push(value === undefined ? null : copyValue(value, `${path}[${i}]`, depth, limits, bound));
  }
  return out;
}

function checkDepth(path: string, depth: number, limits: StructureLimits): void {
  if (depth > limits.maxDepth) {
    throw new StructureViolation(
      REJECTION_CODES.tooDeep,
      `${at(path)} is nested ${depth} levels deep; the limit is ${limits.maxDepth}`,
    );
  }
}

function at(path: string): string {
  return path === '' ? 'the message' : path;
}

/** A short, safe description of a value's kind for rejection reasons. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const proto: unknown = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null ? 'an object' : 'a non-plain object';
  }
  return `a ${typeof value}`;
}

/** A short message from anything thrown, never throwing itself. */
export function describeError(error: unknown): string {
  try {
    return clip(error instanceof Error ? error.message : String(error), 200);
  } catch {
    return 'unknown error';
  }
}
