import { describe, expect, it } from 'vitest';
import { buildTcString, OTHER_VENDOR, TRIAD_VENDOR } from './consent-fixtures.js';
import { decodeTcf, MAX_TC_STRING_LENGTH } from './tcf.js';

describe('decodeTcf', () => {
  it('decodes every field the DMP needs from a real TC string', () => {
    const tcString = buildTcString({
      purposeConsents: [4, 1, 3],
      vendorConsents: [TRIAD_VENDOR],
      specialFeatureOptins: [1],
      restrictions: [
        [3, TRIAD_VENDOR, 2],
        [4, OTHER_VENDOR, 0],
      ],
      cmpId: 42,
    });
    const result = decodeTcf(tcString);
    if (!result.ok) throw new Error(result.message);
    const { tcf } = result;
    expect(tcf.version).toBe(2);
    expect(tcf.cmpId).toBe(42);
    expect(tcf.policyVersion).toBe(5);
    expect(tcf.vendorListVersion).toBe(120);
    expect(tcf.gdprApplies).toBeNull();
    expect(tcf.isServiceSpecific).toBe(true);
    expect(tcf.purposeConsents).toEqual([1, 3, 4]);
    expect(tcf.vendorConsents).toEqual([TRIAD_VENDOR]);
    expect(tcf.vendorLegitimateInterests).toEqual([]);
    expect(tcf.specialFeatureOptins).toEqual([1]);
    expect(tcf.publisherRestrictions).toEqual([
      { purposeId: 4, vendorId: OTHER_VENDOR, restrictionType: 0 },
      { purposeId: 3, vendorId: TRIAD_VENDOR, restrictionType: 2 },
    ]);
    expect(tcf.created).toBeInstanceOf(Date);
    expect(tcf.lastUpdated.getTime()).toBeGreaterThanOrEqual(tcf.created.getTime());
  });

  it('decodes an empty-consent string to empty lists', () => {
    const result = decodeTcf(buildTcString());
    expect(result.ok && result.tcf.purposeConsents).toEqual([]);
    expect(result.ok && result.tcf.vendorConsents).toEqual([]);
  });

  it('tolerates surrounding whitespace', () => {
    const result = decodeTcf(`  ${buildTcString({ purposeConsents: [1] })}\n`);
    expect(result.ok && result.tcf.purposeConsents).toEqual([1]);
  });

  it.each([
    ['an empty string', '', 'empty'],
    ['whitespace', '   ', 'empty'],
    ['plain text', 'not a consent string', 'malformed'],
    ['characters outside base64url', 'CPX+xRf/AA==', 'malformed'],
    ['a TCF v1 string', 'BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASA', 'unsupported_version'],
    ['a string not starting with a v2 core segment', 'IAAA', 'unsupported_version'],
    ['a truncated v2 string', 'CQuZP8A', 'malformed'],
    ['random base64url starting with C', 'Cxyz123_-abc', 'malformed'],
    ['an oversized string', `C${'A'.repeat(MAX_TC_STRING_LENGTH)}`, 'too_long'],
  ])('returns a typed failure for %s', (_, input, reason) => {
    const result = decodeTcf(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.format).toBe('tcf');
      expect(result.reason).toBe(reason);
      expect(result.message.length).toBeGreaterThan(0);
    }
  });

  it('never throws, even for non-string input from untyped callers', () => {
    expect(decodeTcf(undefined as unknown as string).ok).toBe(false);
    expect(decodeTcf(42 as unknown as string).ok).toBe(false);
  });

  it('fails rather than misreads when a valid string is corrupted', () => {
    const valid = buildTcString({ purposeConsents: [1, 3, 4], vendorConsents: [TRIAD_VENDOR] });
    const core = valid.split('.')[0] ?? '';
    // Cutting the core segment short must not decode to some partial consent.
    const result = decodeTcf(core.slice(0, 20));
    expect(result.ok).toBe(false);
  });
});
