/**
 * Comparison levels per field: how a pair of records is turned into a vector of small integers
 * (one level per compared field, -1 when either value is missing). The Fellegi–Sunter model
 * then assigns each level a weight. Level 0 is always exact agreement, the last level always
 * "different"; levels in between are partial agreements, strongest first.
 */
import { compareDates } from './date-compare.js';
import { compareEmails } from './email-compare.js';
import { jaroWinkler } from './jaro.js';
import { areNicknameVariants } from './nicknames.js';
import { compareCodes } from './numeric-compare.js';
import { type ComparedField, FIELD_INDEX, type PreparedRecord } from './types.js';

/** Level value meaning "at least one side missing": no evidence, weight 0. */
export const MISSING = -1;

/** Level labels of each compared field, strongest agreement first. */
export const FIELD_LEVELS: { readonly [F in ComparedField]: readonly string[] } = {
  first_name: ['exact', 'jw>=0.92 or nickname', 'jw>=0.85, same sound or initial', 'different'],
  last_name: ['exact', 'jw>=0.92', 'jw>=0.85 or same sound', 'different'],
  dob: [
    'exact',
    'one digit edit or day/month swap',
    'within a year, two edits or same year',
    'different',
  ],
  email: ['exact', 'same local part', 'close (typo)', 'different'],
  phone: ['exact', 'one digit edit', 'different'],
  street_number: ['exact', 'one edit or within 2', 'different'],
  address_line1: ['exact', 'jw>=0.9', 'jw>=0.8', 'different'],
  address_line2: ['exact', 'jw>=0.9', 'jw>=0.8', 'different'],
  city: ['exact', 'jw>=0.9', 'jw>=0.8', 'different'],
  postcode: ['exact', 'one edit', 'within 10', 'different'],
  state: ['exact', 'different'],
  national_id: ['exact', 'one edit', 'different'],
};

function textLevel(a: string, b: string, high: number, low: number): number {
  if (a === b) return 0;
  const sim = jaroWinkler(a, b);
  if (sim >= high) return 1;
  return sim >= low ? 2 : 3;
}

function codeLevel(a: string, b: string, maxGap: number, levels: 3 | 4): number {
  switch (compareCodes(a, b, maxGap)) {
    case 'exact':
      return 0;
    case 'one-edit':
      return 1;
    case 'numerically-close':
      return levels === 4 ? 2 : 1;
    case 'different':
      return levels - 1;
  }
}

function isInitialOf(a: string, b: string): boolean {
  return (a.length === 1 && b.startsWith(a)) || (b.length === 1 && a.startsWith(b));
}

function givenNameLevel(a: string, b: string, codeA: string, codeB: string): number {
  if (a === b) return 0;
  const sim = jaroWinkler(a, b);
  if (sim >= 0.92 || areNicknameVariants(a, b)) return 1;
  if (sim >= 0.85 || (codeA !== '' && codeA === codeB) || isInitialOf(a, b)) return 2;
  return 3;
}

function familyNameLevel(a: string, b: string, codeA: string, codeB: string): number {
  if (a === b) return 0;
  const sim = jaroWinkler(a, b);
  if (sim >= 0.92) return 1;
  return sim >= 0.85 || (codeA !== '' && codeA === codeB) ? 2 : 3;
}

function dobLevel(a: string, b: string): number {
  switch (compareDates(a, b)) {
    case 'exact':
      return 0;
    case 'swapped-day-month':
    case 'one-edit':
      return 1;
    case 'within-year':
    case 'two-edits':
    case 'same-year':
      return 2;
    case 'different':
      return 3;
  }
}

function emailLevel(a: string, b: string): number {
  switch (compareEmails(a, b)) {
    case 'exact':
      return 0;
    case 'same-local-part':
      return 1;
    case 'close':
      return 2;
    case 'different':
      return 3;
  }
}

function similarity(a: string, b: string): number {
  if (a === '' || b === '') return 0;
  return a === b ? 1 : jaroWinkler(a, b);
}

/**
 * Whether record b's first and last names are best read swapped against record a's. Given and
 * family names are often entered in each other's box; when the crossed reading agrees clearly
 * better than the straight one, the names are compared crossed.
 */
export function namesSwapped(a: PreparedRecord, b: PreparedRecord): boolean {
  const fa = a.values[FIELD_INDEX.first_name] ?? '';
  const la = a.values[FIELD_INDEX.last_name] ?? '';
  const fb = b.values[FIELD_INDEX.first_name] ?? '';
  const lb = b.values[FIELD_INDEX.last_name] ?? '';
  if ((fa === '' && la === '') || (fb === '' && lb === '')) return false;
  if (fa === fb && la === lb) return false;
  const straight = similarity(fa, fb) + similarity(la, lb);
  const crossed = similarity(fa, lb) + similarity(la, fb);
  return crossed >= straight + 0.25 && crossed >= 0.9;
}

/**
 * Compares one field of two records; returns the level index or {@link MISSING}. For names,
 * `swapped` says to compare a's name against b's other name (see {@link namesSwapped}).
 */
export function compareField(
  field: ComparedField,
  a: PreparedRecord,
  b: PreparedRecord,
  swapped = false,
): number {
  if (field === 'first_name' || field === 'last_name') {
    const isFirst = field === 'first_name';
    const useFirstOfB = isFirst !== swapped;
    const va = a.values[FIELD_INDEX[field]] ?? '';
    const vb = b.values[useFirstOfB ? FIELD_INDEX.first_name : FIELD_INDEX.last_name] ?? '';
    if (va === '' || vb === '') return MISSING;
    const ca = isFirst ? a.firstNysiis : a.lastNysiis;
    const cb = useFirstOfB ? b.firstNysiis : b.lastNysiis;
    return isFirst ? givenNameLevel(va, vb, ca, cb) : familyNameLevel(va, vb, ca, cb);
  }
  const index = FIELD_INDEX[field];
  const va = a.values[index] ?? '';
  const vb = b.values[index] ?? '';
  if (va === '' || vb === '') return MISSING;
  switch (field) {
    case 'dob':
      return dobLevel(va, vb);
    case 'email':
      return emailLevel(va, vb);
    case 'phone':
    case 'national_id':
      return codeLevel(va, vb, 0, 3);
    case 'street_number':
      return codeLevel(va, vb, 2, 3);
    case 'postcode':
      return codeLevel(va, vb, 10, 4);
    case 'address_line1':
    case 'address_line2':
    case 'city':
      return textLevel(va, vb, 0.9, 0.8);
    case 'state':
      return va === vb ? 0 : 1;
  }
}

/**
 * Fills `out` with the comparison vector of a pair over `fields` (levels or {@link MISSING}).
 * Returns whether the names were compared crossed.
 */
export function comparePair(
  fields: readonly ComparedField[],
  a: PreparedRecord,
  b: PreparedRecord,
  out: Int8Array,
): boolean {
  const swapped = namesSwapped(a, b);
  for (let k = 0; k < fields.length; k++) {
    const field = fields[k];
    out[k] = field === undefined ? MISSING : compareField(field, a, b, swapped);
  }
  return swapped;
}

/** The pair of normalised values a field comparison looked at (names honour the swap). */
export function comparedValues(
  field: ComparedField,
  a: PreparedRecord,
  b: PreparedRecord,
  swapped: boolean,
): [string, string] {
  let fieldOfB: ComparedField = field;
  if (swapped && field === 'first_name') fieldOfB = 'last_name';
  if (swapped && field === 'last_name') fieldOfB = 'first_name';
  return [a.values[FIELD_INDEX[field]] ?? '', b.values[FIELD_INDEX[fieldOfB]] ?? ''];
}
