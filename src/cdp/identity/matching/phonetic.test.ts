import { describe, expect, it } from 'vitest';
import { nysiis, soundex } from './phonetic.js';

describe('soundex', () => {
  // The reference examples of the American Soundex rules (US National Archives).
  it.each([
    ['Robert', 'R163'],
    ['Rupert', 'R163'],
    ['Ashcraft', 'A261'], // s and c are separated only by h: coded once
    ['Tymczak', 'T522'], // a vowel between z and k: k coded again
    ['Pfister', 'P236'], // f has the first letter's code: not repeated
    ['Honeyman', 'H555'],
    ['Lee', 'L000'],
    ["O'Brien", 'O165'],
  ])('soundex(%s) = %s', (name, code) => {
    expect(soundex(name)).toBe(code);
  });

  it('returns an empty code for input without letters', () => {
    expect(soundex('')).toBe('');
    expect(soundex('123')).toBe('');
  });

  it('gives vowel variants one code', () => {
    expect(soundex('Smith')).toBe(soundex('Smyth'));
  });
});

describe('nysiis', () => {
  // Hand-traced through the rules in phonetic.ts, e.g. MACINTOSH: MAC → MCC; key M, C, (C),
  // I → A, N, T, O → A, S, H after S → S (repeat, dropped): MCANTAS; trailing S then A drop.
  it.each([
    ['Macintosh', 'MCANT'],
    ['Knuth', 'NAT'],
    ['Brian', 'BRAN'],
    ['Schmidt', 'SNAD'],
    ['Evans', 'EVAN'],
    ['Stevens', 'STAFAN'],
    ['Knight', 'NAGT'],
    ['Phillipson', 'FALAPS'],
  ])('nysiis(%s) = %s', (name, code) => {
    expect(nysiis(name)).toBe(code);
  });

  it('truncates to six characters unless asked otherwise', () => {
    expect(nysiis('Phillipson', Number.POSITIVE_INFINITY)).toBe('FALAPSAN');
  });

  it('returns an empty code for input without letters', () => {
    expect(nysiis('')).toBe('');
  });
});
