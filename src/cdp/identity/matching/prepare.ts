/**
 * Turns raw person records into {@link PreparedRecord}s: normalised values, placeholders blanked
 * out, phonetic codes, and per-field value frequencies (for term-frequency weighting).
 */
import {
  digitsOnly,
  isPlaceholder,
  normalizeDate,
  normalizeEmail,
  normalizeName,
  normalizeText,
  type PlaceholderKind,
} from './normalize.js';
import { nysiis, soundex } from './phonetic.js';
import {
  COMPARED_FIELDS,
  type ComparedField,
  FIELD_INDEX,
  type PersonRecord,
  type PreparedRecord,
} from './types.js';

/** Fields that identify one person; a value shared by many records is a placeholder. */
const IDENTIFIER_FIELDS: readonly ComparedField[] = ['email', 'phone', 'national_id'];

/** Phone numbers keep their last ten digits, so "+44 7700 900123" equals "07700 900123". */
const PHONE_DIGITS = 10;

/** A value that was blanked because too many records share it. */
export interface SharedPlaceholder {
  readonly field: ComparedField;
  readonly value: string;
  readonly count: number;
}

/** The prepared batch with the statistics that scoring needs. */
export interface PreparedBatch {
  readonly records: readonly PreparedRecord[];
  /** Per compared field: count of each normalised value among records that have one. */
  readonly frequencies: readonly ReadonlyMap<string, number>[];
  /** Per compared field: number of records with a (non-placeholder) value. */
  readonly present: readonly number[];
  /** Identifier values blanked for being shared by too many records. */
  readonly sharedPlaceholders: readonly SharedPlaceholder[];
}

function clean(raw: string | null | undefined, kind: PlaceholderKind, value: string): string {
  if (raw === null || raw === undefined) return '';
  return isPlaceholder(kind, value) ? '' : value;
}

function nameValue(raw: string | null | undefined): string {
  if (raw === null || raw === undefined) return '';
  // The placeholder test runs on the spaced form so that "n/a" is caught before squeezing.
  return isPlaceholder('text', normalizeText(raw)) ? '' : normalizeName(raw);
}

function normalizedValues(record: PersonRecord): string[] {
  let first = nameValue(record.first_name);
  let last = nameValue(record.last_name);
  if ((first === '' || last === '') && record.full_name) {
    // A full name fills in whichever part is absent: first token is the given name, last token
    // the family name. Middle names are dropped; they are too often omitted to be evidence.
    const tokens = normalizeText(record.full_name)
      .split(' ')
      .filter((t) => t !== '' && !isPlaceholder('text', t));
    const firstToken = tokens[0];
    const lastToken = tokens.length > 1 ? tokens[tokens.length - 1] : undefined;
    if (first === '' && firstToken !== undefined) first = normalizeName(firstToken);
    if (last === '' && lastToken !== undefined) last = normalizeName(lastToken);
  }
  const text = (raw: string | null | undefined) => clean(raw, 'text', normalizeText(raw ?? ''));
  const compact = (raw: string | null | undefined) => text(raw).replace(/ /g, '');
  const values = new Array<string>(COMPARED_FIELDS.length).fill('');
  values[FIELD_INDEX.first_name] = first;
  values[FIELD_INDEX.last_name] = last;
  values[FIELD_INDEX.dob] = clean(record.dob, 'date', normalizeDate(record.dob ?? ''));
  values[FIELD_INDEX.email] = clean(record.email, 'email', normalizeEmail(record.email ?? ''));
  values[FIELD_INDEX.phone] = clean(
    record.phone,
    'phone',
    digitsOnly(record.phone ?? '').slice(-PHONE_DIGITS),
  );
  const streetNumber = compact(record.street_number);
  values[FIELD_INDEX.street_number] = isPlaceholder('number', streetNumber) ? '' : streetNumber;
  values[FIELD_INDEX.address_line1] = text(record.address_line1);
  values[FIELD_INDEX.address_line2] = text(record.address_line2);
  values[FIELD_INDEX.city] = text(record.city);
  const postcode = compact(record.postcode);
  values[FIELD_INDEX.postcode] = isPlaceholder('number', postcode) ? '' : postcode;
  values[FIELD_INDEX.state] = text(record.state);
  const nationalId = compact(record.national_id);
  values[FIELD_INDEX.national_id] = isPlaceholder('identifier', nationalId) ? '' : nationalId;
  return values;
}

function countValues(rows: readonly string[][], field: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const values of rows) {
    const value = values[field] ?? '';
    if (value !== '') counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return counts;
}

/**
 * Normalises a batch. Identifier values (email, phone, national id) carried by more than
 * `maxIdentifierShare` records are treated as placeholders and blanked: one person rarely has
 * that many records, while a shop's "walk-in customer" email or a default phone can cover
 * thousands of unrelated people. Other fields are left alone — many people share a city or a
 * surname — and their commonness is priced by term-frequency weighting instead.
 */
export function prepareRecords(
  input: readonly PersonRecord[],
  options: { readonly maxIdentifierShare: number },
): PreparedBatch {
  const rows = input.map(normalizedValues);
  const sharedPlaceholders: SharedPlaceholder[] = [];
  for (const field of IDENTIFIER_FIELDS) {
    const index = FIELD_INDEX[field];
    const overShared = new Set<string>();
    for (const [value, count] of countValues(rows, index)) {
      if (count > options.maxIdentifierShare) {
        overShared.add(value);
        sharedPlaceholders.push({ field, value, count });
      }
    }
    if (overShared.size === 0) continue;
    for (const values of rows) {
      if (overShared.has(values[index] ?? '')) values[index] = '';
    }
  }
  const records = rows.map((values, index): PreparedRecord => {
    const first = values[FIELD_INDEX.first_name] ?? '';
    const last = values[FIELD_INDEX.last_name] ?? '';
    const record = input[index];
    return {
      index,
      id: record === undefined ? String(index) : record.id,
      values,
      firstNysiis: nysiis(first),
      lastNysiis: nysiis(last),
      firstSoundex: soundex(first),
      lastSoundex: soundex(last),
    };
  });
  const frequencies = COMPARED_FIELDS.map((_, field) => countValues(rows, field));
  const present = frequencies.map((counts) => {
    let total = 0;
    for (const count of counts.values()) total += count;
    return total;
  });
  return { records, frequencies, present, sharedPlaceholders };
}
