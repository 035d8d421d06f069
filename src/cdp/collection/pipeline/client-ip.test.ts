import { describe, expect, it } from 'vitest';
import { clientIp, parseAddress } from './client-ip.js';

const proxies = ['10.0.0.0/8', '192.168.1.5', '2001:db8::/32'];

describe('clientIp', () => {
  const cases: [
    string,
    string | undefined,
    string | string[] | undefined,
    readonly string[],
    string | null,
  ][] = [
    ['no proxies: the socket address', '203.0.113.9', undefined, [], '203.0.113.9'],
    ['an untrusted socket ignores the header', '203.0.113.9', '1.2.3.4', proxies, '203.0.113.9'],
    [
      'a trusted proxy hands over to the header',
      '10.1.2.3',
      '198.51.100.4',
      proxies,
      '198.51.100.4',
    ],
    [
      'the rightmost untrusted entry wins over spoofed ones',
      '10.1.2.3',
      '6.6.6.6, 198.51.100.4',
      proxies,
      '198.51.100.4',
    ],
    [
      'chained trusted proxies are skipped',
      '10.1.2.3',
      '198.51.100.4, 192.168.1.5, 10.9.9.9',
      proxies,
      '198.51.100.4',
    ],
    ['all hops trusted: the leftmost', '10.1.2.3', '10.0.0.1, 10.0.0.2', proxies, '10.0.0.1'],
    ['a trusted socket without a header', '10.1.2.3', undefined, proxies, '10.1.2.3'],
    ['an empty header', '10.1.2.3', ' , ', proxies, '10.1.2.3'],
    ['an IPv6 CIDR', '2001:db8::7', '198.51.100.4', proxies, '198.51.100.4'],
    ['an IPv4-mapped socket address', '::ffff:10.1.2.3', '198.51.100.4', proxies, '198.51.100.4'],
    [
      'an untrusted IPv4-mapped socket is reported as IPv4',
      '::ffff:203.0.113.9',
      undefined,
      [],
      '203.0.113.9',
    ],
    ['ports in entries are dropped', '10.1.2.3', '198.51.100.4:5555', proxies, '198.51.100.4'],
    ['bracketed IPv6 with a port', '10.1.2.3', '[2001:db9::1]:443', proxies, '2001:db9::1'],
    [
      'a garbage entry stops at the last trusted hop',
      '10.1.2.3',
      '198.51.100.4, unknown',
      proxies,
      '10.1.2.3',
    ],
    [
      'garbage beyond the client is never reached',
      '10.1.2.3',
      'unknown, 198.51.100.4',
      proxies,
      '198.51.100.4',
    ],
    [
      'repeated headers as an array',
      '10.1.2.3',
      ['6.6.6.6', '198.51.100.4'],
      proxies,
      '198.51.100.4',
    ],
    [
      'invalid trusted entries are ignored',
      '10.1.2.3',
      '198.51.100.4',
      ['nonsense', '10.0.0.0/99'],
      '10.1.2.3',
    ],
    ['a single trusted address', '192.168.1.5', '198.51.100.4', proxies, '198.51.100.4'],
    [
      'a neighbour of a trusted address is not trusted',
      '192.168.1.6',
      '198.51.100.4',
      proxies,
      '192.168.1.6',
    ],
    ['a missing socket address', undefined, '198.51.100.4', proxies, null],
    ['a socket address that is not an IP', 'pipe', '198.51.100.4', proxies, null],
  ];

  it.each(cases)('%s', (_name, remote, header, trusted, expected) => {
    expect(clientIp(remote, header, trusted)).toBe(expected);
  });

  it('sees a changed trusted list on the next call', () => {
    const trusted = ['10.0.0.1'];
    expect(clientIp('10.0.0.2', '198.51.100.4', trusted)).toBe('10.0.0.2');
    trusted.push('10.0.0.2');
    expect(clientIp('10.0.0.2', '198.51.100.4', trusted)).toBe('198.51.100.4');
  });
});

describe('parseAddress', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    [' 1.2.3.4:80 ', '1.2.3.4'],
    ['::1', '::1'],
    ['[::1]', '::1'],
    ['[::1]:8080', '::1'],
    ['::FFFF:1.2.3.4', '1.2.3.4'],
    ['999.1.1.1', null],
    ['', null],
    ['_hidden', null],
  ])('%j -> %j', (text, expected) => {
    expect(parseAddress(text)).toBe(expected);
  });
});
