import { luhnValid } from './luhn.js';

/**
 * Detectors for emails, payment cards, national ids and street addresses. Each returns the first
 * match in a text or null. Patterns require word boundaries on both sides so digits or letters
 * inside longer tokens (hex hashes, UUIDs, cookie values) are never taken for PII.
 */

// ---------------------------------------------------------------------------------- email

// The local part allows RFC 5322 symbols except the URL-significant "=", "&", "?" and "/", so in
// "?email=jane@example.com" the match starts at "jane".
const EMAIL =
  /[a-z0-9][a-z0-9._%+!#$'*^`{|}~-]{0,63}(?:@|%40)((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(?![\w-])/gi;
// "jane(at)example.com", "jane [at] example [dot] com", "jane{at}example.com".
const EMAIL_OBFUSCATED =
  /(?<![\w.%+-])[a-z0-9][a-z0-9._%+-]{0,63}\s{0,2}[([{<]\s{0,2}(?:at|@)\s{0,2}[)\]}>]\s{0,2}[a-z0-9-]+(?:\s{0,2}(?:\.|[([{<]\s{0,2}dot\s{0,2}[)\]}>])\s{0,2}[a-z0-9-]+)*\s{0,2}(?:\.|[([{<]\s{0,2}dot\s{0,2}[)\]}>])\s{0,2}[a-z]{2,24}(?![\w-])/gi;
// "jane AT example DOT com": upper case only, so prose like "look at this dot com" stays clean.
const EMAIL_SPELLED = /\b[a-z0-9][a-z0-9._%+-]{0,63}\s+AT\s+[a-z0-9-]+(?:\s+DOT\s+[a-z0-9-]+)+\b/g;

/** First email address (plain, URL-encoded or obfuscated), or null. */
export function findEmail(text: string): string | null {
  if (text.includes('@') || text.includes('%40')) {
    EMAIL.lastIndex = 0;
    for (let m = EMAIL.exec(text); m !== null; m = EMAIL.exec(text)) {
      // "icon@2x.png" is an image name, not an address.
      if (/^\d+(?:\.\d+)?x\.(?:png|jpe?g|gif|webp|svg|avif)$/i.test(m[1] ?? '')) continue;
      return m[0];
    }
  }
  EMAIL_OBFUSCATED.lastIndex = 0;
  const obfuscated = EMAIL_OBFUSCATED.exec(text);
  if (obfuscated) return obfuscated[0];
  EMAIL_SPELLED.lastIndex = 0;
  return EMAIL_SPELLED.exec(text)?.[0] ?? null;
}

// ---------------------------------------------------------------------------------- cards

const CARD_CANDIDATE = /(?<![\w.,-])\d(?:[ -]?\d){11,18}(?![\w]|[.,-]\d)/g;

/** Issuer prefixes and lengths of the major schemes (Visa, Mastercard, Amex, Diners, JCB, Discover, UnionPay, Maestro). */
function plausibleCard(digits: string): boolean {
  const n = digits.length;
  if (/^(\d)\1+$/.test(digits)) return false;
  if (digits.startsWith('4')) return n === 13 || n === 16 || n === 19;
  if (/^5[1-5]/.test(digits) || /^2(?:2[2-9]|[3-6]\d|7[01]|720)/.test(digits)) return n === 16;
  if (/^3[47]/.test(digits)) return n === 15;
  if (/^3(?:0[0-5]|[689])/.test(digits)) return n >= 14 && n <= 19;
  if (/^35/.test(digits)) return n >= 16 && n <= 19;
  if (/^(?:6011|64[4-9]|65|62)/.test(digits)) return n >= 16 && n <= 19;
  // Maestro allows 12-19 digits, but nearly all cards in use have 16+; 12-15 digit numbers
  // with these prefixes are far more often plain IDs.
  if (/^(?:50|5[6-9]|6[37])/.test(digits)) return n >= 16 && n <= 19;
  return false;
}

/** First Luhn-valid payment card number with a known issuer prefix, or null. */
export function findCreditCard(text: string): string | null {
  CARD_CANDIDATE.lastIndex = 0;
  for (let m = CARD_CANDIDATE.exec(text); m !== null; m = CARD_CANDIDATE.exec(text)) {
    const digits = m[0].replace(/[ -]/g, '');
    if (plausibleCard(digits) && luhnValid(digits)) return m[0];
  }
  return null;
}

// ---------------------------------------------------------------------------- national ids

const SSN = /(?<![\w-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\w]|-\d)/g;
const SSN_WORD =
  /\b(?:ssn|social\s+security(?:\s+(?:number|no\.?|#))?)\s{0,3}[:#=]?\s{0,3}(\d{9})\b/gi;

function validSsn(area: string, group: string, serial: string): boolean {
  return (
    area !== '000' && area !== '666' && !area.startsWith('9') && group !== '00' && serial !== '0000'
  );
}

/**
 * First US Social Security number, or null: written as 3-2-4 groups with a consistent separator
 * and valid ranges (no 000/666/9xx area, 00 group, 0000 serial), or nine digits right after
 * "SSN". A bare nine-digit number is not reported: zip+4 codes and IDs look the same.
 */
export function findNationalId(text: string): string | null {
  SSN.lastIndex = 0;
  for (let m = SSN.exec(text); m !== null; m = SSN.exec(text)) {
    if (validSsn(m[1] ?? '', m[3] ?? '', m[4] ?? '')) return m[0];
  }
  SSN_WORD.lastIndex = 0;
  for (let m = SSN_WORD.exec(text); m !== null; m = SSN_WORD.exec(text)) {
    const d = m[1] ?? '';
    if (validSsn(d.slice(0, 3), d.slice(3, 5), d.slice(5))) return d;
  }
  return null;
}

// ------------------------------------------------------------------------ street addresses

// Suffixes that are street types in any case; the ambiguous short ones need capitalised names.
const CLEAR_SUFFIX = 'street|avenue|road|boulevard|blvd|parkway|pkwy|highway|hwy|ave|rd';
const AMBIGUOUS_SUFFIX =
  'st|dr|drive|lane|ln|court|ct|place|pl|way|terrace|square|sq|close|crescent|circle|cir';
const US_STYLE = new RegExp(
  `(?<![\\w.,$€£])\\d{1,5}[a-z]?\\s+((?:(?:[a-z][a-z'’.-]*|\\d{1,3}(?:st|nd|rd|th))\\s+){1,4})(${CLEAR_SUFFIX}|${AMBIGUOUS_SUFFIX})\\b\\.?`,
  'gi',
);
const STOPWORDS = new Set(
  'a an and at best by cross down for from in into my of on or our the their to top up ways with your tips things reasons'.split(
    ' ',
  ),
);
// "Hauptstraße 5", "Berliner Str. 12", "Kerkstraat 12a", "Rosenweg 3".
const GERMANIC =
  /\b[A-ZÄÖÜ][a-zäöüß]+(?:straße|strasse|str\.|weg|gasse|allee|platz|straat|laan|gracht|plein|vej|gatan|gata)\s+\d{1,4}[a-z]?\b|\b[A-ZÄÖÜ][a-zäöüß]+(?:er)?\s+(?:Straße|Strasse|Str\.|Weg|Allee|Platz)\s+\d{1,4}[a-z]?\b/gu;
// "10 rue de Rivoli", "5 avenue des Champs-Élysées".
const ROMANCE_NUMBER_FIRST =
  /(?<![\w.,])\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|allée|impasse|chemin|quai|place)\s+(?:(?:de|du|des|la|le|l’|l'|d’|d')\s*)*\p{Lu}[\p{L}'’-]+/giu;
// "Calle Mayor 5", "Via Roma 10", "Rua Augusta 27" (capitalised keyword, name, then number).
const ROMANCE_NAME_FIRST =
  /\b(?:Calle|Avenida|Paseo|Carrer|Via|Viale|Piazza|Corso|Rua|Avenue)\s+(?:(?:de|del|la|los|das|do|da|di)\s+)*\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)?,?\s+\d{1,4}\b/gu;

function plausibleUsStyle(nameWords: string, suffix: string): boolean {
  const words = nameWords.trim().split(/\s+/);
  const clear = new RegExp(`^(?:${CLEAR_SUFFIX})$`, 'i').test(suffix);
  for (const word of words) {
    const capitalised = /^(?:[A-Z]|\d)/.test(word);
    if (!capitalised && (!clear || STOPWORDS.has(word.toLowerCase()))) return false;
  }
  return true;
}

/** First street address ("12 Main Street", "Hauptstraße 5", "10 rue de Rivoli"), or null. */
export function findStreetAddress(text: string): string | null {
  US_STYLE.lastIndex = 0;
  for (let m = US_STYLE.exec(text); m !== null; m = US_STYLE.exec(text)) {
    if (plausibleUsStyle(m[1] ?? '', m[2] ?? '')) return m[0].trim();
  }
  for (const pattern of [GERMANIC, ROMANCE_NUMBER_FIRST, ROMANCE_NAME_FIRST]) {
    pattern.lastIndex = 0;
    const m = pattern.exec(text);
    if (m) return m[0];
  }
  return null;
}
