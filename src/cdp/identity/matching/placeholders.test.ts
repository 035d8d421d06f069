import { describe, expect, it } from 'vitest';
import { resolvePersons } from './matcher.js';
import { generatePopulation } from './synthetic/population.js';
import type { PersonRecord } from './types.js';

// Background: a realistic population, so the model is fitted on ordinary data. Then unrelated
// people who share placeholder values, and a family sharing an email, an address, a landline
// and a surname, are added.
const background = generatePopulation({ records: 2000, seed: 21 });

const strangers: PersonRecord[] = Array.from({ length: 40 }, (_, i) => ({
  id: `stranger-${i}`,
  first_name: ['amelia', 'brandon', 'chloe', 'dmitri', 'esme', 'farid', 'gwen', 'hugo'][i % 8],
  last_name: `${['north', 'south', 'east', 'west', 'upton'][i % 5]}${['ley', 'ham', 'wick', 'ford', 'by', 'ton', 'stead', 'cott'][Math.floor(i / 5)]}`,
  dob: `19${50 + i}-0${1 + (i % 9)}-1${i % 10}`,
  // Placeholders entered at a till: shared by every one of these strangers.
  email: i % 2 === 0 ? 'test@test.com' : 'noemail@noemail.com',
  phone: i % 3 === 0 ? '0' : '0000000000',
  city: 'leeds',
}));

/** A shop's walk-in address, not on any list, shared by 25 strangers. */
const walkIns: PersonRecord[] = Array.from({ length: 25 }, (_, i) => ({
  id: `walkin-${i}`,
  first_name: ['ivy', 'jonah', 'kira', 'lars', 'mina'][i % 5],
  last_name: ['quarry', 'rowntree', 'sallow', 'thistle', 'umber'][Math.floor(i / 5)],
  email: 'instore@corner-shop.co.uk',
  city: 'york',
}));

const family = ['margaret', 'douglas', 'fiona', 'callum'].map(
  (first, i): PersonRecord => ({
    id: `family-${first}`,
    first_name: first,
    last_name: 'kowalczyk',
    dob: ['1961-04-02', '1959-11-23', '1990-07-15', '1994-02-28'][i],
    email: 'kowalczykfamily@gmail.com',
    phone: '0113 496 0000',
    street_number: '14',
    address_line1: 'larch avenue',
    city: 'harrogate',
    postcode: '23456',
  }),
);

/** A genuine second record of one family member: it must still be merged. */
const fionaAgain: PersonRecord = {
  id: 'family-fiona-2',
  first_name: 'Fiona',
  last_name: 'Kowalczyk',
  dob: '1990-07-15',
  email: 'kowalczykfamily@gmail.com',
  city: 'Harrogate',
};

/** A family whose records carry no date of birth: the given name is all that tells them apart. */
const familyWithoutDob = ['aoife', 'brendan', 'ciara'].map(
  (first): PersonRecord => ({
    id: `nodob-${first}`,
    first_name: first,
    last_name: 'mulcahy',
    email: 'mulcahyhome@gmail.com',
    phone: '0113 496 0777',
    street_number: '3',
    address_line1: 'rowan close',
    city: 'harrogate',
    postcode: '23461',
  }),
);

/** Douglas again, given name and surname typed into each other's boxes. */
const douglasSwapped: PersonRecord = {
  id: 'family-douglas-swapped',
  first_name: 'Kowalczyk',
  last_name: 'Douglas',
  dob: '1959-11-23',
  email: 'kowalczykfamily@gmail.com',
  city: 'Harrogate',
};

const records = [
  ...background.records,
  ...strangers,
  ...walkIns,
  ...family,
  fionaAgain,
  ...familyWithoutDob,
  douglasSwapped,
];
const resolution = resolvePersons(records);
const clusterOf = new Map(records.map((r, i) => [r.id, resolution.clusterIds[i]]));

function distinctClusters(ids: readonly string[]): number {
  return new Set(ids.map((id) => clusterOf.get(id))).size;
}

describe('placeholder values never merge unrelated people', () => {
  it('keeps strangers sharing test@test.com and phone "0" apart', () => {
    expect(distinctClusters(strangers.map((r) => r.id))).toBe(strangers.length);
  });

  it('detects an over-shared email as a placeholder and keeps its holders apart', () => {
    expect(resolution.stats.sharedPlaceholders).toContainEqual({
      field: 'email',
      value: 'instore@corner-shop.co.uk',
      count: 25,
    });
    expect(distinctClusters(walkIns.map((r) => r.id))).toBe(walkIns.length);
  });

  it('keeps family members sharing an email, address and landline apart', () => {
    expect(distinctClusters(family.map((r) => r.id))).toBe(family.length);
    const familyIds = new Set(family.map((r) => r.id));
    for (const merge of resolution.merges) {
      expect(familyIds.has(merge.a) && familyIds.has(merge.b)).toBe(false);
    }
  });

  it('keeps a family without dates of birth apart on their given names alone', () => {
    expect(distinctClusters(familyWithoutDob.map((r) => r.id))).toBe(familyWithoutDob.length);
  });

  it('reads a relative with swapped name fields by given name, not as the surname', () => {
    const others = ['family-margaret', 'family-fiona', 'family-callum'];
    for (const id of others) {
      expect(clusterOf.get('family-douglas-swapped')).not.toBe(clusterOf.get(id));
    }
  });

  it('estimates that relatives are common among records sharing a home here', () => {
    expect(resolution.stats.relativeShare).toBeGreaterThan(0.01);
  });

  it('still merges a true duplicate within the family', () => {
    expect(clusterOf.get('family-fiona-2')).toBe(clusterOf.get('family-fiona'));
  });

  it('explains why a relative is at most a suggestion', () => {
    const guarded = resolution.suggestions.filter(
      (s) => s.a.startsWith('family-') && s.b.startsWith('family-'),
    );
    for (const suggestion of guarded) {
      expect(suggestion.probability).toBeGreaterThanOrEqual(0.5);
    }
    expect(guarded.some((s) => s.guard?.includes('possible relative'))).toBe(true);
  });
});
