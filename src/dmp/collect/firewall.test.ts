import { describe, expect, it } from 'vitest';
import { hashEmailForId } from '../../privacy/pii/index.js';
import { piiReason, screenSignals } from './firewall.js';

describe('piiReason', () => {
  it.each([
    ['email', 'x'],
    ['user_email', 'a'],
    ['phone', '12'],
    ['first_name', 'Ada'],
    ['address', 'Main'],
    ['ip', '10.1.2.3'],
    ['note', 'jane.doe@example.com'],
    ['q', 'call +1 415 555 2671 today'],
    ['ref', 'https://shop.example/?email=jane%40example.com'],
    ['where', '10 Downing Street'],
    ['client', '203.0.113.9'],
    ['card', '4111 1111 1111 1111'],
    ['jane.doe@example.com', 'yes'],
    ['hash', hashEmailForId('jane@example.com') ?? ''],
  ])('refuses %s=%s', (key, value) => {
    expect(piiReason(key, value)).not.toBeNull();
  });

  it.each([
    ['page', 'sports/football'],
    ['category', 'Automotive'],
    ['price', 42],
    ['logged_in', true],
    ['zip3', '941'],
    ['age_range', '25-34'],
    ['campaign', 'spring_sale_2026'],
  ])('accepts %s=%s', (key, value) => {
    expect(piiReason(key, value)).toBeNull();
  });
});

describe('screenSignals', () => {
  it('keeps clean pairs, reports refused ones without their values', () => {
    const result = screenSignals(
      { page: 'home', note: 'mail me: jane.doe@example.com', 'jane.doe@example.com': 'x' },
      'signals',
    );
    expect(result.kept).toEqual({ page: 'home' });
    expect(result.refused.map((r) => r.field)).toEqual(['signals.note', 'signals.<redacted key>']);
    expect(JSON.stringify(result.refused)).not.toContain('jane');
  });
});
