import type { Random } from './random.js';

/**
 * The demo company's world: customers, the businesses they work for, and the ways their records
 * disagree across systems (typos, case, a second e-mail), drawn from one seed.
 */

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Frances',
  'Edsger',
  'Radia',
  'Donald',
  'Hedy',
  'Tim',
  'Katherine',
  'John',
  'Sophie',
  'Lucas',
  'Emma',
  'Noah',
  'Chloe',
  'Hugo',
  'Léa',
  'Mateo',
  'Olivia',
  'Yusuf',
  'Mei',
  'Ravi',
  'Ingrid',
  'Tomás',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Allen',
  'Dijkstra',
  'Perlman',
  'Knuth',
  'Lamarr',
  'Berners',
  'Johnson',
  'Backus',
  'Martin',
  'Bernard',
  'Dubois',
  'Garcia',
  'Müller',
  'Rossi',
  'Nakamura',
  'Patel',
  'Larsen',
  'Silva',
  'Kowalski',
  'Novak',
  'Okafor',
  'Chen',
];
const CITIES: [string, string][] = [
  ['Paris', 'FR'],
  ['Lyon', 'FR'],
  ['Berlin', 'DE'],
  ['Madrid', 'ES'],
  ['Milan', 'IT'],
  ['London', 'GB'],
  ['Brussels', 'BE'],
  ['New York', 'US'],
  ['Austin', 'US'],
  ['Toronto', 'CA'],
];
const INDUSTRIES = [
  'COMPUTER_SOFTWARE',
  'RETAIL',
  'HOSPITALITY',
  'FINANCIAL_SERVICES',
  'HEALTH_WELLNESS_AND_FITNESS',
  'EDUCATION_MANAGEMENT',
  'LOGISTICS_AND_SUPPLY_CHAIN',
];
const COMPANY_WORDS = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Stark',
  'Wayne',
  'Hooli',
  'Vandelay',
  'Soylent',
  'Tyrell',
  'Cyberdyne',
  'Wonka',
  'Gringotts',
  'Oscorp',
  'Aperture',
];
const COMPANY_SUFFIX = ['Labs', 'Retail', 'Foods', 'Logistics', 'Health', 'Sports', 'Travel'];
export const CATEGORIES = ['running', 'cycling', 'outdoor', 'fitness', 'swimming'] as const;
export const PLANS = ['free', 'starter', 'pro', 'enterprise'] as const;

export interface DemoCompany {
  name: string;
  domain: string;
  industry: string;
  city: string;
  country: string;
}

export interface DemoPerson {
  index: number;
  firstName: string;
  lastName: string;
  email: string;
  userId: string;
  company: DemoCompany;
  city: string;
  country: string;
  plan: (typeof PLANS)[number];
  favourite: (typeof CATEGORIES)[number];
  /** Logs in on the website (identified); others stay anonymous visitors. */
  identified: boolean;
  usesApp: boolean;
  /** Also in the CRM import, spelled a little differently. */
  inCrm: boolean;
  /** The CRM import carries a second, mistyped e-mail: a fuzzy duplicate, not an automatic merge. */
  crmEmailTypo: boolean;
  /** ...and gave the CRM a private address instead (same local part, another domain). */
  crmMoved: boolean;
  customer: boolean;
}

/** Swaps two neighbouring letters: "Grace" -> "Garce", the commonest typing slip. */
export function typo(word: string, random: Random): string {
  if (word.length < 3) return word;
  const at = random.int(1, word.length - 2);
  return word.slice(0, at) + word.charAt(at + 1) + word.charAt(at) + word.slice(at + 2);
}

const slug = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');

export function makeCompanies(random: Random, count: number, tag: string): DemoCompany[] {
  const companies: DemoCompany[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${COMPANY_WORDS[i % COMPANY_WORDS.length]} ${random.pick(COMPANY_SUFFIX)}${i >= COMPANY_WORDS.length ? ` ${Math.floor(i / COMPANY_WORDS.length) + 1}` : ''}`;
    const [city, country] = random.pick(CITIES);
    companies.push({
      name,
      domain: `${slug(name)}-${tag}.example.com`,
      industry: random.pick(INDUSTRIES),
      city,
      country,
    });
  }
  return companies;
}

export function makePeople(
  random: Random,
  count: number,
  companies: DemoCompany[],
  tag: string,
): DemoPerson[] {
  const people: DemoPerson[] = [];
  let mistyped = 0;
  let inCrmSoFar = 0;
  for (let index = 0; index < count; index++) {
    const firstName = random.pick(FIRST);
    const lastName = random.pick(LAST);
    const company = random.pick(companies);
    const [city, country] = random.pick(CITIES);
    const identified = random.chance(0.75);
    const inCrm = identified ? random.chance(0.5) : random.chance(0.15);
    // One CRM record in eight has a mistyped e-mail: a fixed share, so even a small demo has some.
    if (inCrm) inCrmSoFar++;
    const crmEmailTypo = inCrm && inCrmSoFar % 8 === 4;
    if (crmEmailTypo) mistyped++;
    people.push({
      index,
      firstName,
      lastName,
      email: `${slug(firstName)}.${slug(lastName)}${index}@${company.domain}`,
      userId: `u-${tag}-${index}`,
      company,
      city,
      country,
      plan: random.pick(PLANS),
      favourite: random.pick(CATEGORIES),
      identified,
      usesApp: identified && random.chance(0.4),
      inCrm,
      crmEmailTypo,
      // Every other mistyped record, starting with the first.
      crmMoved: crmEmailTypo && mistyped % 2 === 1,
      customer: identified && random.chance(0.45),
    });
  }
  return people;
}

/** The e-mail as a typo'd CRM record has it: same person, one letter off. */
export function mistypedEmail(person: DemoPerson, random: Random): string {
  const [local = '', domain = ''] = person.email.split('@');
  return `${typo(local, random)}@${domain}`;
}

/** The whole cast for a seed; the generator draws it first, so tests can find the same people. */
export function demoCast(
  random: Random,
  profiles: number,
  tag: string,
): { companies: DemoCompany[]; people: DemoPerson[] } {
  const companies = makeCompanies(random, Math.max(5, Math.ceil(profiles / 12)), tag);
  return { companies, people: makePeople(random, profiles, companies, tag) };
}
