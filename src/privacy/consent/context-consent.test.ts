import { describe, expect, it } from 'vitest';
import { normalizeContextConsent } from './context-consent.js';

describe('normalizeContextConsent', () => {
  it('maps advertising to storage, profiling and activation purposes', () => {
    const { purposes, unmapped } = normalizeContextConsent({
      categoryPreferences: { Advertising: true },
    });
    expect(purposes).toMatchObject({ 1: true, 2: true, 3: true, 4: true, 7: true });
    expect(purposes[8]).toBeUndefined();
    expect(unmapped).toEqual([]);
  });

  it('marks refused categories false', () => {
    const { purposes } = normalizeContextConsent({
      categoryPreferences: { Advertising: false, Analytics: false },
    });
    expect(purposes).toMatchObject({ 1: false, 3: false, 4: false, 8: false });
  });

  it('lets one granted category grant a shared purpose (storage) without the others', () => {
    const { purposes } = normalizeContextConsent({
      categoryPreferences: { Advertising: false, Analytics: true },
    });
    expect(purposes[1]).toBe(true);
    expect(purposes[3]).toBe(false);
    expect(purposes[4]).toBe(false);
  });

  it('normalises names and knows OneTrust group ids', () => {
    const { purposes, unmapped } = normalizeContextConsent({
      categoryPreferences: { 'Targeted Advertising': true, C0002: false, strictly_necessary: true },
    });
    expect(purposes[4]).toBe(true);
    expect(purposes[9]).toBe(false);
    expect(unmapped).toEqual([]);
  });

  it('grants nothing for necessary or functional categories', () => {
    const { purposes, unmapped } = normalizeContextConsent({
      categoryPreferences: { Necessary: true, Functional: true },
    });
    expect(purposes).toEqual({});
    expect(unmapped).toEqual([]);
  });

  it('reports unknown categories and non-boolean values instead of guessing', () => {
    const { purposes, unmapped } = normalizeContextConsent({
      categoryPreferences: { 'Cookie Monster': true, Advertising: 'yes', Analytics: 1 },
    });
    expect(purposes).toEqual({});
    expect(unmapped).toEqual(['Cookie Monster', 'Advertising', 'Analytics']);
  });

  it.each([
    undefined,
    null,
    'yes',
    42,
    [],
    { categoryPreferences: null },
    { categoryPreferences: [] },
  ])('returns no purposes for malformed input %j', (input) => {
    expect(normalizeContextConsent(input)).toEqual({ purposes: {}, unmapped: [] });
  });
});
