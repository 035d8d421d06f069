import { describe, expect, it } from 'vitest';
import { checkRedirect, fillMacro, DMP_ID_MACRO as M, normalizeDomain } from './redirect.js';

const domains = ['partner.com', 'sync.other.io'];

describe('checkRedirect', () => {
  it.each([
    'https://partner.com/px?uid=1',
    'https://cm.partner.com/px',
    'http://partner.com/',
    'https://sync.other.io/x',
    'https://PARTNER.com./a',
  ])('allows %s', (url) => {
    expect(checkRedirect(url, domains).ok).toBe(true);
  });

  it.each([
    'https://evil.com/?partner.com',
    'https://partner.com.evil.com/',
    'https://evilpartner.com/',
    'https://other.io/',
    'https://partner.com@evil.com/',
    'https://user:pw@partner.com/',
    'javascript:alert(1)//partner.com',
    '//partner.com/path',
    '/relative',
    'data:text/html,partner.com',
    'ftp://partner.com/',
  ])('refuses %s', (url) => {
    expect(checkRedirect(url, domains).ok).toBe(false);
  });
});

describe('fillMacro', () => {
  it('fills the plain and the percent-encoded macro', () => {
    expect(fillMacro(`https://p.com/?a=${M}&b=%24%7BTRIAD_DMP_ID%7D`, 'td_x')).toBe(
      'https://p.com/?a=td_x&b=td_x',
    );
    expect(fillMacro(`https://p.com/?a=${M}`, null)).toBe('https://p.com/?a=');
  });
  it('cannot move the redirect to another host', () => {
    const target = fillMacro(`https://${M}.evil.com/`, 'td_abc');
    expect(checkRedirect(target, domains).ok).toBe(false);
  });
});

describe('normalizeDomain', () => {
  it.each([
    ['Partner.COM', 'partner.com'],
    ['sync.partner.co.uk.', 'sync.partner.co.uk'],
    ['localhost', null],
    ['*.partner.com', null],
    ['https://partner.com', null],
    ['partner .com', null],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeDomain(input)).toBe(expected);
  });
});
