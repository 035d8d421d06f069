import { isMultiValued, isNumericType, type PropertyDef } from './property.js';

/** What a client may send as a property value (HubSpot's clients send strings; JSON allows more). */
export type RawValue = string | number | boolean | null;

export type Normalized = { ok: true; value: string | null } | { ok: false; message: string };

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const phonePattern = /^\+?[0-9 ().\-/]*(?:\s*(?:x|ext\.?)\s*[0-9]+)?$/i;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const digitsPattern = /^-?\d+$/;

const fail = (message: string): Normalized => ({ ok: false, message });

/**
 * Validates one value against its property's type and returns the canonical string stored
 * and sent back (values are strings on the wire, as in HubSpot). Empty clears the value.
 */
export function normalizeValue(def: PropertyDef, raw: RawValue): Normalized {
  if (raw === null) return { ok: true, value: null };
  const text = typeof raw === 'string' ? raw.trim() : String(raw);
  if (text === '') return { ok: true, value: null };
  switch (def.type) {
    case 'string':
      return { ok: true, value: typeof raw === 'string' ? raw : text };
    case 'number':
    case 'money': {
      const n = Number(text);
      if (typeof raw === 'boolean' || !Number.isFinite(n)) return fail(`${text} is not a number`);
      return { ok: true, value: String(n) };
    }
    case 'bool': {
      const lower = text.toLowerCase();
      if (lower !== 'true' && lower !== 'false') return fail(`${text} is not true or false`);
      return { ok: true, value: lower };
    }
    case 'date': {
      const ms = parseTime(text);
      if (ms === undefined) return fail(`${text} is not a date (YYYY-MM-DD or epoch milliseconds)`);
      const day = new Date(ms).toISOString().slice(0, 10);
      if (digitsPattern.test(text) && ms % 86_400_000 !== 0) {
        return fail(`${text} is not midnight UTC (a date property holds whole days)`);
      }
      return { ok: true, value: day };
    }
    case 'datetime': {
      const ms = parseTime(text);
      if (ms === undefined) return fail(`${text} is not a date-time (ISO 8601 or epoch ms)`);
      return { ok: true, value: new Date(ms).toISOString() };
    }
    case 'enumeration':
      return normalizeOption(def, text);
    case 'email':
      if (!emailPattern.test(text) || text.length > 254) return fail(`${text} is not an email`);
      return { ok: true, value: text };
    case 'phone_number':
      if (!phonePattern.test(text) || (text.match(/\d/g) ?? []).length < 3) {
        return fail(`${text} is not a phone number`);
      }
      return { ok: true, value: text };
    case 'url':
      return isWebUrl(text) ? { ok: true, value: text } : fail(`${text} is not an http(s) URL`);
  }
}

function normalizeOption(def: PropertyDef, text: string): Normalized {
  const allowed = new Set(def.options.map((o) => o.value));
  const values = isMultiValued(def) ? text.split(';').map((v) => v.trim()) : [text];
  const bad = values.find((v) => !allowed.has(v));
  if (bad !== undefined) {
    return fail(`${bad} was not one of the allowed options: [${[...allowed].join(', ')}]`);
  }
  return { ok: true, value: values.join(';') };
}

function isWebUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Epoch milliseconds of an ISO date, ISO date-time or a millisecond count; undefined if neither. */
export function parseTime(text: string): number | undefined {
  if (digitsPattern.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  if (datePattern.test(text)) {
    const ms = Date.parse(`${text}T00:00:00.000Z`);
    return Number.isNaN(ms) ? undefined : ms;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Longest prefix of a string value kept in the index (long text bloats it for no use). */
export const indexedTextLength = 512;

/** The index columns of a stored value: lower-cased text, or a number (dates as epoch ms). */
export function indexValue(
  def: Pick<PropertyDef, 'type'>,
  value: string,
): { v_text: string | null; v_num: number | null } {
  if (isNumericType(def.type)) {
    const n = def.type === 'date' || def.type === 'datetime' ? parseTime(value) : Number(value);
    return { v_text: null, v_num: n === undefined || !Number.isFinite(n) ? null : n };
  }
  return { v_text: value.toLowerCase().slice(0, indexedTextLength), v_num: null };
}

const maxTokens = 64;

/**
 * Words of a text value, lower-cased. An e-mail address also yields itself whole and its
 * domain, so `query=acme.com` and `query=ada@acme.com` both find it.
 */
export function tokensOf(value: string): string[] {
  const lower = value.toLowerCase();
  const out = new Set<string>();
  if (emailPattern.test(lower)) {
    out.add(lower);
    out.add(lower.slice(lower.indexOf('@') + 1));
  }
  for (const word of lower.split(/[^\p{L}\p{N}]+/u)) {
    if (word !== '' && word.length <= 64) out.add(word);
    if (out.size >= maxTokens) break;
  }
  return [...out];
}
