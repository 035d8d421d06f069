/**
 * Phonetic codes for names. Two are provided because the matcher needs two different things:
 *
 * - {@link soundex} (American Soundex) ignores vowels altogether, so vowel typos and spelling
 *   variants ("Smith"/"Smyth") share a code. That coarseness is what blocking wants: a missed
 *   candidate pair can never be recovered later.
 * - {@link nysiis} (New York State Identification and Intelligence System, Taft 1970) keeps the
 *   vowel skeleton and more consonant detail, so it is more discriminating; the name comparison
 *   uses it as evidence that two differently spelt names sound alike.
 *
 * Both work on A–Z only: input is upper-cased and every other character is dropped, so callers
 * should fold diacritics first (see normalize.ts).
 */

const SOUNDEX_CODES: Record<string, string> = {
  B: '1',
  F: '1',
  P: '1',
  V: '1',
  C: '2',
  G: '2',
  J: '2',
  K: '2',
  Q: '2',
  S: '2',
  X: '2',
  Z: '2',
  D: '3',
  T: '3',
  L: '4',
  M: '5',
  N: '5',
  R: '6',
};

function lettersOnly(name: string): string {
  return name.toUpperCase().replace(/[^A-Z]/g, '');
}

/**
 * American Soundex: the first letter, then digits for the following consonants (B F P V → 1,
 * C G J K Q S X Z → 2, D T → 3, L → 4, M N → 5, R → 6), padded or cut to four characters.
 * Adjacent letters with the same digit are coded once, also across H and W; a vowel (A E I O U Y)
 * between them makes the second one count again. Returns '' when the input has no letter.
 */
export function soundex(name: string): string {
  const letters = lettersOnly(name);
  const first = letters[0];
  if (first === undefined) return '';
  let code = first;
  let previous = SOUNDEX_CODES[first] ?? '';
  for (let i = 1; i < letters.length && code.length < 4; i++) {
    const ch = letters[i] ?? '';
    if (ch === 'H' || ch === 'W') continue;
    const digit = SOUNDEX_CODES[ch];
    if (digit === undefined) {
      previous = '';
      continue;
    }
    if (digit !== previous) code += digit;
    previous = digit;
  }
  return code.padEnd(4, '0');
}

const VOWELS = new Set(['A', 'E', 'I', 'O', 'U']);

function isVowel(ch: string | undefined): boolean {
  return ch !== undefined && VOWELS.has(ch);
}

/** Rewrites a leading prefix of `chars` in place; returns whether it matched. */
function rewriteStart(chars: string[], from: string, to: string): boolean {
  if (chars.slice(0, from.length).join('') !== from) return false;
  chars.splice(0, from.length, ...to);
  return true;
}

/** Rewrites a trailing suffix of `chars` in place; returns whether it matched. */
function rewriteEnd(chars: string[], from: string, to: string): boolean {
  if (chars.length < from.length || chars.slice(-from.length).join('') !== from) return false;
  chars.splice(chars.length - from.length, from.length, ...to);
  return true;
}

/**
 * NYSIIS code, original algorithm, truncated to `maxLength` characters (6 in the original;
 * pass `Infinity` for the full key).
 *
 * 1. Leading MAC → MCC, KN → NN, K → C, PH/PF → FF, SCH → SSS.
 * 2. Trailing EE/IE → Y, DT/RT/RD/NT/ND → D.
 * 3. The key starts with the first letter; each later letter is rewritten in place — EV → AF,
 *    other vowels → A; Q → G, Z → S, M → N; KN → N, other K → C; SCH → SSS, PH → FF; H after or
 *    before a non-vowel (or at the end) → the previous letter; W after a vowel → the previous
 *    letter — and appended unless it repeats the key's last character.
 * 4. A trailing S is dropped, a trailing AY becomes Y, then a trailing A is dropped.
 */
export function nysiis(name: string, maxLength = 6): string {
  const chars = [...lettersOnly(name)];
  if (chars.length === 0) return '';
  rewriteStart(chars, 'MAC', 'MCC') ||
    rewriteStart(chars, 'KN', 'NN') ||
    rewriteStart(chars, 'K', 'C') ||
    rewriteStart(chars, 'PH', 'FF') ||
    rewriteStart(chars, 'PF', 'FF') ||
    rewriteStart(chars, 'SCH', 'SSS');
  rewriteEnd(chars, 'EE', 'Y') || rewriteEnd(chars, 'IE', 'Y');
  for (const suffix of ['DT', 'RT', 'RD', 'NT', 'ND']) {
    if (rewriteEnd(chars, suffix, 'D')) break;
  }
  let key = chars[0] ?? '';
  for (let i = 1; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    const next = chars[i + 1];
    if (ch === 'E' && next === 'V') {
      chars[i] = 'A';
      chars[i + 1] = 'F';
    } else if (isVowel(ch)) {
      chars[i] = 'A';
    } else if (ch === 'Q') {
      chars[i] = 'G';
    } else if (ch === 'Z') {
      chars[i] = 'S';
    } else if (ch === 'M') {
      chars[i] = 'N';
    } else if (ch === 'K') {
      chars[i] = next === 'N' ? 'N' : 'C';
    } else if (ch === 'S' && next === 'C' && chars[i + 2] === 'H') {
      chars[i + 1] = 'S';
      chars[i + 2] = 'S';
    } else if (ch === 'P' && next === 'H') {
      chars[i] = 'F';
      chars[i + 1] = 'F';
    } else if (ch === 'H' && (!isVowel(chars[i - 1]) || !isVowel(next))) {
      chars[i] = chars[i - 1] ?? ch;
    } else if (ch === 'W' && isVowel(chars[i - 1])) {
      chars[i] = chars[i - 1] ?? ch;
    }
    const current = chars[i] ?? '';
    if (current !== key[key.length - 1]) key += current;
  }
  if (key.length > 1 && key.endsWith('S')) key = key.slice(0, -1);
  if (key.length > 2 && key.endsWith('AY')) key = `${key.slice(0, -2)}Y`;
  if (key.length > 1 && key.endsWith('A')) key = key.slice(0, -1);
  return key.slice(0, maxLength);
}
