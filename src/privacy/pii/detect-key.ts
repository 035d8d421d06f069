import type { PiiKind } from './detect-value.js';

/** What a key can name: the value kinds plus a date of birth, which only keys reveal. */
export type PiiKeyKind = PiiKind | 'date_of_birth';

/**
 * Recognises object keys that name personal data, whatever their case or separators:
 * "email", "E-Mail", "userEmail", "billing_email_address", "first_name", "lastName", "phone_no",
 * "ip_address", "dob", "ssn", "street", "address_line_1"...
 *
 * The key is split into words (on separators and camelCase), trailing qualifiers such as
 * "number", "line", "1" are dropped, and the *last* remaining word(s) must name PII: the head of
 * the phrase decides, so "email" and "user_email" are PII while "email_campaign_id",
 * "email_opened" and "phone_model" are not.
 *
 * Deliberately not PII: a postcode/zip, city, region or country on its own (coarse location that
 * covers thousands of people and that the DMP uses for geo targeting); a bare "name" (usually a
 * product, segment or event name; `scanForPii` treats it as a person's name only under a
 * person-like parent such as "traits" or "user"); and any key that says it holds a hash
 * ("email_sha256", "hashed_phone"), since hashed identifiers are what the DMP accepts.
 */

const HASH_WORDS = /^(?:hash|hashed|sha|sha1|sha2|sha256|sha512|md5|hmac|digest|hex)$|sha256|md5/;
const TRAILING = new Set([
  'number',
  'num',
  'no',
  'nr',
  'line',
  'value',
  'raw',
  'plain',
  'text',
  'primary',
  'secondary',
  'main',
  'str',
  'full',
]);

// Phrases (words joined without separator) -> kind; null marks known look-alikes that are not PII.
const PHRASES: Record<string, PiiKeyKind | null> = {
  email: 'email',
  mail: 'email',
  emailaddress: 'email',
  mailaddress: 'email',
  emailaddr: 'email',
  phone: 'phone',
  telephone: 'phone',
  tel: 'phone',
  mobile: 'phone',
  mobilephone: 'phone',
  cell: 'phone',
  cellphone: 'phone',
  msisdn: 'phone',
  fax: 'phone',
  homephone: 'phone',
  workphone: 'phone',
  contactphone: 'phone',
  phonenumber: 'phone',
  firstname: 'name',
  lastname: 'name',
  fullname: 'name',
  surname: 'name',
  givenname: 'name',
  familyname: 'name',
  middlename: 'name',
  maidenname: 'name',
  fname: 'name',
  lname: 'name',
  username: 'name',
  customername: 'name',
  contactname: 'name',
  recipientname: 'name',
  cardholdername: 'name',
  holdername: 'name',
  displayname: 'name',
  personname: 'name',
  membername: 'name',
  patientname: 'name',
  billingname: 'name',
  shippingname: 'name',
  nickname: 'name',
  address: 'postal_address',
  addr: 'postal_address',
  street: 'postal_address',
  streetaddress: 'postal_address',
  homeaddress: 'postal_address',
  postaladdress: 'postal_address',
  billingaddress: 'postal_address',
  shippingaddress: 'postal_address',
  mailingaddress: 'postal_address',
  housenumber: 'postal_address',
  houseno: 'postal_address',
  address1: 'postal_address',
  address2: 'postal_address',
  streetname: 'postal_address',
  ip: 'ip',
  ipaddress: 'ip',
  ipaddr: 'ip',
  ipv4: 'ip',
  ipv6: 'ip',
  clientip: 'ip',
  remoteip: 'ip',
  userip: 'ip',
  remoteaddr: 'ip',
  remoteaddress: 'ip',
  xforwardedfor: 'ip',
  forwardedfor: 'ip',
  ssn: 'national_id',
  socialsecurity: 'national_id',
  nationalid: 'national_id',
  nationalidentifier: 'national_id',
  nin: 'national_id',
  nino: 'national_id',
  passport: 'national_id',
  taxid: 'national_id',
  taxnumber: 'national_id',
  driverslicense: 'national_id',
  driverlicense: 'national_id',
  driverslicence: 'national_id',
  idcard: 'national_id',
  identitycard: 'national_id',
  personnummer: 'national_id',
  bsn: 'national_id',
  creditcard: 'credit_card',
  debitcard: 'credit_card',
  card: 'credit_card',
  cardnumber: 'credit_card',
  ccnumber: 'credit_card',
  cc: 'credit_card',
  pan: 'credit_card',
  cvv: 'credit_card',
  cvc: 'credit_card',
  iban: 'credit_card',
  dob: 'date_of_birth',
  birthdate: 'date_of_birth',
  dateofbirth: 'date_of_birth',
  birthday: 'date_of_birth',
  birthdt: 'date_of_birth',
  // Look-alikes.
  macaddress: null,
  webaddress: null,
  walletaddress: null,
  urladdress: null,
  emailcampaign: null,
  iphone: null,
  headphone: null,
  headphones: null,
  microphone: null,
  smartphone: null,
  zip: null,
  zipcode: null,
  postcode: null,
  postalcode: null,
  giftcard: null,
  scorecard: null,
  ismobile: null,
  productname: null,
  eventname: null,
  segmentname: null,
  pagename: null,
  hostname: null,
  filename: null,
  domainname: null,
  brandname: null,
  campaignname: null,
  appname: null,
};

// Words long enough to be recognised inside glued keys ("useremail", "billingaddress").
const GLUED_SUFFIXES = Object.keys(PHRASES)
  .filter((phrase) => phrase.length >= 5)
  .sort((a, b) => b.length - a.length);

/** Splits "billingEmailAddress_2" into ["billing", "email", "address", "2"]. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** The kind of PII a key names, or null (see the module comment for what is excluded). */
export function detectPiiKey(key: string): PiiKeyKind | null {
  if (typeof key !== 'string') return null;
  const words = keyWords(key);
  if (words.some((w) => HASH_WORDS.test(w))) return null;
  // "e_mail" and "e-mail" come apart as "e" + "mail".
  const merged = words.flatMap((w, i) => (w === 'e' && words[i + 1] === 'mail' ? [] : [w]));
  const stripped = [...merged];
  while (stripped.length > 1 && isTrailing(stripped.at(-1) ?? '')) stripped.pop();
  for (const candidate of [merged, stripped, singular(stripped)]) {
    const kind = lookup(candidate);
    if (kind !== undefined) return kind;
  }
  return null;
}

function isTrailing(word: string): boolean {
  if (TRAILING.has(word) || /^\d+$/.test(word)) return true;
  const numbered = /^([a-z]+)\d+$/.exec(word); // "line2", "no1"
  return numbered !== null && TRAILING.has(numbered[1] ?? '');
}

/** "emails" -> "email", "addresses" -> "address", so plural keys name the same PII. */
function singular(words: string[]): string[] {
  const last = words.at(-1) ?? '';
  const base = last.endsWith('sses')
    ? last.slice(0, -2)
    : last.endsWith('s')
      ? last.slice(0, -1)
      : last;
  return [...words.slice(0, -1), base];
}

/** Kind for the phrase ending `words`: a known kind, null for a known look-alike, undefined if unknown. */
function lookup(words: string[]): PiiKeyKind | null | undefined {
  // Longest phrase ending the key wins: "ip address" before "address".
  for (let take = Math.min(4, words.length); take >= 1; take--) {
    const phrase = words.slice(-take).join('');
    if (phrase in PHRASES) return PHRASES[phrase] ?? null;
  }
  const last = words.at(-1) ?? '';
  for (const suffix of GLUED_SUFFIXES) {
    if (last.endsWith(suffix)) return PHRASES[suffix] ?? null;
  }
  return undefined;
}
