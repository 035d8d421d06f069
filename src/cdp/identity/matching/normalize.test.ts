import { describe, expect, it } from 'vitest';
import { isPlaceholder, normalizeEmail, normalizeName, normalizeText } from './normalize.js';

describe('normalisation', () => {
  it('folds case, accents and punctuation', () => {
    expect(normalizeText('  Zoë  Ó-Súilleabháin ')).toBe('zoe o suilleabhain');
    expect(normalizeName("O'Brien")).toBe(normalizeName('obrien'));
    expect(normalizeName('Mary-Ann')).toBe('maryann');
  });

  it('accepts only emails shaped local@domain', () => {
    expect(normalizeEmail(' Jo@Example.ORG ')).toBe('jo@example.org');
    expect(normalizeEmail('no-at-sign')).toBe('');
    expect(normalizeEmail('@domain.com')).toBe('');
  });
});

describe('isPlaceholder', () => {
  it.each([
    ['email', 'test@test.com'],
    ['email', 'noreply@shop.com'],
    ['email', 'someone@example.com'],
    ['phone', '0'],
    ['phone', '0000000000'],
    ['phone', '1234567890'],
    ['identifier', '999999999'],
    ['date', '19000101'],
    ['number', '0'],
    ['text', 'unknown'],
    ['text', 'n a'],
  ] as const)('%s %j is a placeholder', (kind, value) => {
    expect(isPlaceholder(kind, value)).toBe(true);
  });

  it.each([
    ['email', 'jo.smith@gmail.com'],
    ['phone', '07700900123'],
    ['identifier', '7535316'],
    ['date', '19850312'],
    ['number', '10'],
    ['text', 'smith'],
  ] as const)('%s %j is a real value', (kind, value) => {
    expect(isPlaceholder(kind, value)).toBe(false);
  });
});
