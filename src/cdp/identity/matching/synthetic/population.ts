/**
 * A synthetic person population with injected duplicates and known truth, for tests and the
 * scale benchmark. It is built to contain the hard cases of real customer data: common names
 * shared by unrelated people, households sharing a surname, an address, a landline and
 * sometimes one family email, nicknames, typos, swapped name fields, missing and mistyped
 * dates of birth, and placeholder values ("test@test.com", phone "0") shared across strangers.
 */
import { randomInt, seededRandom } from '../random.js';
import type { PersonRecord } from '../types.js';
import {
  CITIES,
  EMAIL_DOMAINS,
  GIVEN_NAMES,
  NICKNAMES,
  STREET_TYPES,
  STREETS,
  SURNAMES,
} from './name-lists.js';

/** Population settings; shares are fractions of records (or of people, where noted). */
export interface PopulationOptions {
  /** Total number of records to generate. */
  readonly records: number;
  readonly seed?: number;
  /** Share of records that are extra records of an already present person. */
  readonly duplicateShare?: number;
  /** Share of people living in a household of two to four. */
  readonly householdShare?: number;
  /** Share of households whose members all use one family email. */
  readonly familyEmailShare?: number;
  /** Share of records whose email is "test@test.com". */
  readonly placeholderEmailShare?: number;
  /** Share of records whose phone is "0". */
  readonly placeholderPhoneShare?: number;
  /** Share of records without a date of birth. */
  readonly missingDobShare?: number;
}

/** Generated records with the true person of each record. */
export interface SyntheticPopulation {
  readonly records: readonly PersonRecord[];
  /** True person id per record, in record order. */
  readonly truth: readonly string[];
  readonly people: number;
}

interface Person {
  readonly id: string;
  readonly first: string;
  readonly last: string;
  readonly dob: string;
  readonly email: string;
  readonly phone: string;
  readonly streetNumber: string;
  readonly street: string;
  readonly city: string;
  readonly postcode: string;
}

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[randomInt(random, items.length)];
  if (item === undefined) throw new RangeError('cannot pick from an empty list');
  return item;
}

/** A skewed pick: the first items of a list (the common names) come up far more often. */
function pickCommon<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(items.length * random() ** 1.6)];
  if (item === undefined) throw new RangeError('cannot pick from an empty list');
  return item;
}

function digits(random: Random, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(randomInt(random, 10));
  return out;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** One keying error: substitution, deletion, insertion or adjacent transposition. */
export function typo(random: Random, value: string): string {
  if (value.length < 2) return value;
  const at = 1 + randomInt(random, value.length - 1);
  const letter = pick(random, [...LETTERS]);
  switch (randomInt(random, 4)) {
    case 0:
      return value.slice(0, at) + letter + value.slice(at + 1);
    case 1:
      return value.slice(0, at) + value.slice(at + 1);
    case 2:
      return value.slice(0, at) + letter + value.slice(at);
    default:
      return at + 1 < value.length
        ? value.slice(0, at) + (value[at + 1] ?? '') + (value[at] ?? '') + value.slice(at + 2)
        : value.slice(0, at - 1) + (value[at] ?? '') + (value[at - 1] ?? '');
  }
}

function randomDob(random: Random): string {
  const year = 1940 + randomInt(random, 67);
  const month = 1 + randomInt(random, 12);
  const day = 1 + randomInt(random, 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function address(random: Random): Pick<Person, 'streetNumber' | 'street' | 'city' | 'postcode'> {
  const cityIndex = randomInt(random, CITIES.length);
  return {
    streetNumber: String(1 + randomInt(random, 250)),
    street: `${pick(random, STREETS)} ${pick(random, STREET_TYPES)}`,
    city: CITIES[cityIndex] ?? 'london',
    // Postcodes cluster by city, as real ones do.
    postcode: String(10_000 + cityIndex * 1000 + randomInt(random, 1000)),
  };
}

function personalEmail(random: Random, first: string, last: string): string {
  const local = pick(random, [
    `${first}.${last}`,
    `${first}${last}${digits(random, 2)}`,
    `${first[0] ?? ''}${last}${digits(random, 3)}`,
    `${first}${digits(random, 4)}`,
  ]);
  return `${local}@${pick(random, EMAIL_DOMAINS)}`;
}

function makePeople(random: Random, count: number, options: Required<PopulationOptions>): Person[] {
  const people: Person[] = [];
  while (people.length < count) {
    const householdSize = random() < options.householdShare ? 2 + randomInt(random, 3) : 1;
    const home = address(random);
    const surname = pickCommon(random, SURNAMES);
    const landline = `01${digits(random, 8)}`;
    const familyEmail =
      householdSize > 1 && random() < options.familyEmailShare
        ? `${surname}family${digits(random, 2)}@${pick(random, EMAIL_DOMAINS)}`
        : undefined;
    const givenInHousehold = new Set<string>();
    for (let k = 0; k < householdSize && people.length < count; k++) {
      // Members of one household have different given names.
      let first = pickCommon(random, GIVEN_NAMES);
      while (givenInHousehold.has(first)) first = pickCommon(random, GIVEN_NAMES);
      givenInHousehold.add(first);
      // Most household members share the surname; a partner may have kept their own.
      const last = k === 0 || random() < 0.8 ? surname : pickCommon(random, SURNAMES);
      people.push({
        id: `person-${people.length}`,
        first,
        last,
        dob: randomDob(random),
        email: familyEmail ?? personalEmail(random, first, last),
        phone: householdSize > 1 && random() < 0.5 ? landline : `07${digits(random, 9)}`,
        ...home,
      });
    }
  }
  return people;
}

/** The person's first record: true values with ordinary missingness and placeholders. */
function baseRecord(random: Random, p: Person, options: Required<PopulationOptions>): PersonRecord {
  const email =
    random() < options.placeholderEmailShare ? 'test@test.com' : random() < 0.1 ? '' : p.email;
  const phone = random() < options.placeholderPhoneShare ? '0' : random() < 0.2 ? '' : p.phone;
  return {
    id: '',
    first_name: p.first,
    last_name: p.last,
    dob: random() < options.missingDobShare ? '' : p.dob,
    email,
    phone,
    street_number: p.streetNumber,
    address_line1: p.street,
    city: p.city,
    postcode: p.postcode,
  };
}

function corruptDob(random: Random, dob: string): string {
  const [y, m, d] = dob.split('-');
  if (random() < 0.3 && Number(d) <= 12) return `${y}-${d}-${m}`;
  const at = pick(random, [2, 3, 5, 6, 8, 9]);
  return dob.slice(0, at) + String(randomInt(random, 10)) + dob.slice(at + 1);
}

/** Another record of the same person, as a second system or a later sign-up would hold it. */
function duplicateRecord(
  random: Random,
  p: Person,
  options: Required<PopulationOptions>,
): PersonRecord {
  let first = p.first;
  const nicknames = NICKNAMES[first];
  if (nicknames && random() < 0.2) first = pick(random, nicknames);
  else if (random() < 0.1) first = typo(random, first);
  let last = random() < 0.1 ? typo(random, p.last) : p.last;
  if (random() < 0.03) [first, last] = [last, first];
  let dob = p.dob;
  if (random() < options.missingDobShare + 0.1) dob = '';
  else if (random() < 0.1) dob = corruptDob(random, dob);
  else if (random() < 0.2) dob = `${dob.slice(8)}/${dob.slice(5, 7)}/${dob.slice(0, 4)}`;
  let email = p.email;
  const emailDraw = random();
  if (emailDraw < 0.25) email = '';
  else if (emailDraw < 0.33) email = typo(random, email);
  else if (emailDraw < 0.43) email = `${email.split('@')[0]}@${pick(random, EMAIL_DOMAINS)}`;
  else if (emailDraw < 0.43 + options.placeholderEmailShare) email = 'test@test.com';
  let phone = p.phone;
  const phoneDraw = random();
  if (phoneDraw < 0.3) phone = '';
  else if (phoneDraw < 0.35) phone = typo(random, phone).replace(/\D/g, '5');
  else if (phoneDraw < 0.35 + options.placeholderPhoneShare) phone = '0';
  const moved = random() < 0.1;
  const home = moved ? address(random) : p;
  const street = !moved && random() < 0.1 ? typo(random, home.street) : home.street;
  const noAddress = random() < 0.1;
  return {
    id: '',
    first_name: random() < 0.1 ? first.toUpperCase() : first,
    last_name: last,
    dob,
    email,
    phone,
    street_number: noAddress ? '' : home.streetNumber,
    address_line1: noAddress ? '' : street,
    city: random() < 0.1 ? '' : home.city,
    postcode: noAddress ? '' : home.postcode,
  };
}

/** Generates a population (deterministic for a given seed); records come in shuffled order. */
export function generatePopulation(input: PopulationOptions): SyntheticPopulation {
  const options: Required<PopulationOptions> = {
    seed: 7,
    duplicateShare: 0.2,
    householdShare: 0.3,
    familyEmailShare: 0.3,
    placeholderEmailShare: 0.02,
    placeholderPhoneShare: 0.03,
    missingDobShare: 0.1,
    ...input,
  };
  const random = seededRandom(options.seed);
  const peopleCount = Math.max(1, Math.round(options.records * (1 - options.duplicateShare)));
  const people = makePeople(random, peopleCount, options);
  const rows: { record: PersonRecord; person: string }[] = people.map((p) => ({
    record: baseRecord(random, p, options),
    person: p.id,
  }));
  while (rows.length < options.records) {
    const p = pick(random, people);
    rows.push({ record: duplicateRecord(random, p, options), person: p.id });
  }
  // Fisher–Yates shuffle, so duplicates are not next to their originals.
  for (let i = rows.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    const tmp = rows[i];
    const other = rows[j];
    if (tmp === undefined || other === undefined) continue;
    rows[i] = other;
    rows[j] = tmp;
  }
  return {
    records: rows.map((row, i) => ({ ...row.record, id: `r${i}` })),
    truth: rows.map((row) => row.person),
    people: people.length,
  };
}
