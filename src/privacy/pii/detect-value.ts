import { findCreditCard, findEmail, findNationalId, findStreetAddress } from './detectors.js';
import { findIp } from './ip.js';
import { findPhone } from './phone.js';

/**
 * The kinds of personal data the firewall knows. `name` is only ever reported from keys (see
 * `detectPiiKey`): a person's name cannot be told from a brand, a city or a keyword by its text.
 */
export type PiiKind =
  | 'email'
  | 'phone'
  | 'ip'
  | 'name'
  | 'postal_address'
  | 'credit_card'
  | 'national_id';

export interface PiiMatch {
  kind: PiiKind;
  /** The matched text. It is personal data: never log it. */
  match: string;
}

/** Longest text inspected; longer values are scanned in their first part only. */
export const MAX_SCAN_LENGTH = 8_192;

// Order = priority when one value holds several kinds (an email beats the digits inside it).
const DETECTORS: [PiiKind, (text: string) => string | null][] = [
  ['email', findEmail],
  ['credit_card', findCreditCard],
  ['national_id', findNationalId],
  ['phone', findPhone],
  ['ip', findIp],
  ['postal_address', findStreetAddress],
];

/** NFKC folds look-alikes ("＠", full-width digits) into the ASCII the patterns expect. */
function prepare(value: string): string {
  const text = value.length > MAX_SCAN_LENGTH ? value.slice(0, MAX_SCAN_LENGTH) : value;
  return text.normalize('NFKC');
}

/** Every kind of PII found in `value` (one match per kind), in priority order. */
export function detectAllPii(value: string): PiiMatch[] {
  if (typeof value !== 'string' || value.length < 6) return [];
  const text = prepare(value);
  const found: PiiMatch[] = [];
  for (const [kind, detect] of DETECTORS) {
    const match = detect(text);
    if (match !== null) found.push({ kind, match });
  }
  return found;
}

/**
 * The most important PII in a string value, or null. Detects emails (also URL-encoded and
 * obfuscated), payment cards (issuer prefix + Luhn), US SSNs, phone numbers (by shape, see
 * `phone.ts`), host IP addresses (see `ip.ts`) and street addresses.
 */
export function detectPii(value: string): PiiMatch | null {
  if (typeof value !== 'string' || value.length < 6) return null;
  const text = prepare(value);
  for (const [kind, detect] of DETECTORS) {
    const match = detect(text);
    if (match !== null) return { kind, match };
  }
  return null;
}
