import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashEmailForId, isSha256Hex, normalizeEmail } from './hash-email.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('normalizeEmail', () => {
  it.each([
    ['Jane.Doe@Example.com', 'jane.doe@example.com'],
    ['  jane@example.com \n', 'jane@example.com'],
    ['jane+news@example.com', 'jane+news@example.com'],
    ['jane.doe@gmail.com', 'janedoe@gmail.com'],
    ['Jane.Doe+promo@GMAIL.com', 'janedoe@gmail.com'],
    ['j.a.n.e+a+b@googlemail.com', 'jane@googlemail.com'],
    ['jane.doe@gmail.co.uk', 'jane.doe@gmail.co.uk'],
    ['jane.doe@notgmail.com', 'jane.doe@notgmail.com'],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });

  it.each([
    '',
    'jane',
    'jane@',
    '@example.com',
    'jane@example',
    'ja ne@example.com',
    '+tag@gmail.com',
    '...@gmail.com',
  ])('rejects %j', (input) => {
    expect(normalizeEmail(input)).toBeNull();
  });
});

describe('hashEmailForId', () => {
  it('is the SHA-256 hex of the normalised address', () => {
    expect(hashEmailForId('Jane.Doe+x@Gmail.com')).toBe(sha256('janedoe@gmail.com'));
    expect(hashEmailForId('jane@example.com')).toBe(sha256('jane@example.com'));
  });

  it('maps every spelling of one Gmail mailbox to one id', () => {
    const ids = new Set(
      [
        'janedoe@gmail.com',
        'Jane.Doe@gmail.com',
        'j.a.n.e.d.o.e+shop@GMAIL.COM',
        ' janedoe+1@gmail.com',
      ].map(hashEmailForId),
    );
    expect(ids.size).toBe(1);
  });

  it('keeps distinct mailboxes distinct', () => {
    expect(hashEmailForId('jane.doe@example.com')).not.toBe(hashEmailForId('janedoe@example.com'));
  });

  it('returns null for non-emails', () => {
    expect(hashEmailForId('not an email')).toBeNull();
  });
});

describe('isSha256Hex', () => {
  it('accepts 64 hex digits in either case', () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        const digest = sha256(input);
        expect(isSha256Hex(digest)).toBe(true);
        expect(isSha256Hex(digest.toUpperCase())).toBe(true);
      }),
    );
  });

  it.each([
    '',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555',
    'g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    'd41d8cd98f00b204e9800998ecf8427e',
    ' e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  ])('rejects %j', (value) => {
    expect(isSha256Hex(value)).toBe(false);
  });

  it('rejects non-strings', () => {
    expect(isSha256Hex(123)).toBe(false);
    expect(isSha256Hex(null)).toBe(false);
  });
});
