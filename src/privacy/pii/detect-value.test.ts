import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NEGATIVE, POSITIVE } from './detect-value.cases.js';
import { detectAllPii, detectPii } from './detect-value.js';
import { luhnValid } from './luhn.js';

describe('detectPii on realistic values', () => {
  it.each(POSITIVE)('flags %s in %j', (kind, value) => {
    const found = detectPii(value);
    expect(found?.kind).toBe(kind);
    expect(found?.match.length).toBeGreaterThan(3);
  });

  it.each(NEGATIVE.map((v) => [v]))('does not flag %j', (value) => {
    expect(detectPii(value)).toBeNull();
  });

  it('has hundreds of table cases', () => {
    expect(POSITIVE.length + NEGATIVE.length).toBeGreaterThan(300);
  });
});

describe('detectPii boundaries', () => {
  it('returns the matched part, not the whole value', () => {
    expect(detectPii('contact: jane@example.com, thanks')).toEqual({
      kind: 'email',
      match: 'jane@example.com',
    });
    expect(detectPii('call 415-555-2671 now')).toEqual({ kind: 'phone', match: '415-555-2671' });
  });

  it('prefers the email when a value holds several kinds', () => {
    const all = detectAllPii('jane@example.com from 203.0.113.7, tel +33612345678');
    expect(all.map((f) => f.kind)).toEqual(['email', 'phone', 'ip']);
    expect(detectPii('jane@example.com from 203.0.113.7')?.kind).toBe('email');
  });

  it('does not see digits embedded in longer tokens', () => {
    expect(detectPii('abc4111111111111111')).toBeNull();
    expect(detectPii('x415-555-2671')).toBeNull();
    expect(detectPii('id_203.0.113.7')).toBeNull();
  });

  it('needs at least 8 digits after a "+"', () => {
    expect(detectPii('+1234567')).toBeNull();
    expect(detectPii('+12345678')?.kind).toBe('phone');
    expect(detectPii('+1234567890123456')).toBeNull();
  });

  it('needs 9 to 12 digits for trunk-prefixed national numbers', () => {
    expect(detectPii('01 23 45 67')).toBeNull();
    expect(detectPii('012 345 678')?.kind).toBe('phone');
    expect(detectPii('01 23 45 67 89 01 23')).toBeNull();
  });

  it('ignores anonymised IP addresses but flags the full ones', () => {
    expect(detectPii('203.0.113.0')).toBeNull();
    expect(detectPii('203.0.113.1')?.kind).toBe('ip');
    expect(detectPii('2001:db8:1234:5678::')).toBeNull();
    expect(detectPii('2001:db8:1234:5678::1')?.kind).toBe('ip');
  });

  it('rejects card-shaped numbers that fail Luhn or have no issuer prefix', () => {
    expect(detectPii('4111111111111111')?.kind).toBe('credit_card');
    expect(detectPii('4111111111111113')).toBeNull();
    expect(detectPii('1111111111111117')).toBeNull(); // Luhn-valid, no issuer starts with 1
  });

  it('only inspects the first 8 KiB of huge values', () => {
    expect(detectPii(`${'x '.repeat(5_000)}jane@example.com`)).toBeNull();
    expect(detectPii(`jane@example.com ${'x '.repeat(5_000)}`)?.kind).toBe('email');
  });
});

describe('detectPii properties', () => {
  it('never flags UUIDs', () => {
    fc.assert(
      fc.property(fc.uuid(), (uuid) => {
        expect(detectPii(uuid)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('never flags hex digests or their upper-case forms', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('md5', 'sha1', 'sha256', 'sha512'), (input, alg) => {
        const digest = createHash(alg).update(input).digest('hex');
        expect(detectPii(digest)).toBeNull();
        expect(detectPii(digest.toUpperCase())).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('never flags plain integers up to 12 digits, Unix timestamps or prices', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999_999_999 }),
        fc.integer({ min: 946_684_800, max: 2_000_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (n, ts, cents) => {
          expect(detectPii(String(n))).toBeNull();
          expect(detectPii(`ts=${ts}`)).toBeNull();
          expect(detectPii(`${ts}${String(n % 1000).padStart(3, '0')}`)).toBeNull();
          expect(detectPii((cents / 100).toFixed(2))).toBeNull();
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never flags ISO dates and times', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        (d) => {
          expect(detectPii(d.toISOString())).toBeNull();
          expect(detectPii(d.toISOString().slice(0, 10))).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('flags every generated email address', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        // fast-check emails may start with a symbol; the detector reports from the first
        // alphanumeric character, so check the kind rather than the exact match.
        const local = email.slice(0, email.lastIndexOf('@'));
        fc.pre(/[a-z0-9]/i.test(local) && !/[=&?/]/.test(local) && /\.[a-z]{2,}$/i.test(email));
        expect(detectPii(`email is ${email}`)?.kind).toBe('email');
      }),
      { numRuns: 300 },
    );
  });

  it('flags every Luhn-valid 16-digit Visa number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^4\d{14}$/), (body) => {
        const check = [...'0123456789'].find((d) => luhnValid(body + d)) ?? '';
        expect(detectPii(body + check)?.kind).toBe('credit_card');
      }),
      { numRuns: 300 },
    );
  });

  it('flags every host IPv4 address', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        const octets = ip.split('.').map(Number);
        fc.pre(octets[0] !== 0 && octets[0] !== 255 && octets[3] !== 0);
        expect(detectPii(`ip ${ip}`)).toEqual({ kind: 'ip', match: ip });
      }),
      { numRuns: 300 },
    );
  });
});
