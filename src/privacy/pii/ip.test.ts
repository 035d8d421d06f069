import { describe, expect, it } from 'vitest';
import { findIp, findIpv4, findIpv6 } from './ip.js';

describe('findIpv4', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    ['src=203.0.113.7;', '203.0.113.7'],
    ['203.0.113.7.', '203.0.113.7'],
    ['a 10.0.0.0 b 10.0.0.9', '10.0.0.9'],
  ])('finds a host address in %j', (text, ip) => {
    expect(findIpv4(text)).toBe(ip);
  });

  it.each([
    '203.0.113.0',
    '0.1.2.3',
    '255.255.255.255',
    '256.1.1.1',
    '1.2.3',
    '1.2.3.4.5',
    'v1.2.3.4',
    'Chrome/120.1.2.3',
    '01.02.03.04',
    '1.2.3.456',
  ])('ignores %j', (text) => {
    expect(findIpv4(text)).toBeNull();
  });
});

describe('findIpv6', () => {
  it.each([
    ['2001:db8::1', '2001:db8::1'],
    ['[2001:db8:0:0:1:0:0:1]:443', '2001:db8:0:0:1:0:0:1'],
    ['addr fe80::a00:27ff:fe4e:66a1 up', 'fe80::a00:27ff:fe4e:66a1'],
    ['::ffff:192.0.2.128', '::ffff:192.0.2.128'],
  ])('finds a host address in %j', (text, ip) => {
    expect(findIpv6(text)).toBe(ip);
  });

  it.each([
    '::',
    '::1',
    '2001:db8:abcd:12::',
    '2001:db8:0:0::',
    '12:30:45',
    '00:1A:2B:3C:4D:5E',
    'a::b::c',
    'std::vector',
    'http://x',
  ])('ignores %j', (text) => {
    expect(findIpv6(text)).toBeNull();
  });
});

describe('findIp', () => {
  it('prefers IPv4 and falls back to IPv6', () => {
    expect(findIp('2001:db8::1 and 1.2.3.4')).toBe('1.2.3.4');
    expect(findIp('only 2001:db8::1')).toBe('2001:db8::1');
    expect(findIp('none here')).toBeNull();
  });
});
