import { describe, expect, it } from 'vitest';
import { findPhone } from './phone.js';

describe('findPhone', () => {
  it.each([
    ['+14155552671', '+14155552671'],
    ['+1 415 555 2671 ext', '+1 415 555 2671'],
    ['(415) 555-2671', '(415) 555-2671'],
    ['x: 415.555.2671;', '415.555.2671'],
    ['0044 20 7946 0958', '0044 20 7946 0958'],
    ['020 7946 0958', '020 7946 0958'],
    ['(0)30 123 456', '(0)30 123 456'],
    ['tel: 0612345678', '0612345678'],
  ])('finds %j', (text, phone) => {
    expect(findPhone(text)).toBe(phone);
  });

  it.each([
    // North American numbers need a valid area code and exchange (2-9).
    '123-456-7890',
    '415-155-2671',
    // Trunk numbers need 9-12 digits and must not run on.
    '01 23 45 67',
    '01 23 45 67 89 01 23',
    '1 01 23 45 67 89',
    // International numbers need 8-15 digits.
    '+1234567',
    '+1234567890123456',
    // A "00" prefix needs separated groups.
    '00441234567890',
    // Phone words need 7+ digits after them.
    'call 911',
    // Bare digits are never phones.
    '0612345678',
    '4155552671',
    '1700000000',
  ])('ignores %j', (text) => {
    expect(findPhone(text)).toBeNull();
  });
});
