import { describe, expect, it } from 'vitest';
import { buildGppString, buildTcString, TRIAD_VENDOR } from './consent-fixtures.js';
import { decodeGpp } from './gpp.js';

describe('decodeGpp', () => {
  it('exposes the sections present and the US opt-out fields of usnat', () => {
    const gpp = buildGppString({
      usnat: {
        SaleOptOut: 1,
        SharingOptOut: 2,
        TargetedAdvertisingOptOut: 1,
        PersonalDataConsents: 2,
        KnownChildSensitiveDataConsents: [0, 1, 2],
      },
    });
    const result = decodeGpp(gpp);
    if (!result.ok) throw new Error(result.message);
    expect(result.gpp.sectionIds).toEqual([7]);
    expect(result.gpp.applicableSectionIds).toBeNull();
    expect(result.gpp.tcfeuv2).toBeNull();
    expect(result.gpp.us).toHaveLength(1);
    expect(result.gpp.us[0]).toMatchObject({
      id: 7,
      name: 'usnat',
      applicable: true,
      saleOptOut: 1,
      sharingOptOut: 2,
      targetedAdvertisingOptOut: 1,
      personalDataConsents: 2,
      knownChildSensitiveDataConsents: [0, 1, 2],
    });
  });

  it('reports fields a state section does not define as null, not as 0', () => {
    const result = decodeGpp(buildGppString({ usca: { SaleOptOut: 1, SharingOptOut: 2 } }));
    if (!result.ok) throw new Error(result.message);
    const [usca] = result.gpp.us;
    expect(usca).toMatchObject({ id: 8, name: 'usca', saleOptOut: 1, sharingOptOut: 2 });
    expect(usca?.targetedAdvertisingOptOut).toBeNull();
  });

  it('decodes several state sections and marks applicability from gpp_sid', () => {
    const gpp = buildGppString({
      usva: { SaleOptOut: 2, TargetedAdvertisingOptOut: 1 },
      usco: { SaleOptOut: 1 },
    });
    const result = decodeGpp(gpp, [9]);
    if (!result.ok) throw new Error(result.message);
    expect(result.gpp.sectionIds).toEqual([9, 10]);
    const byName = Object.fromEntries(result.gpp.us.map((s) => [s.name, s]));
    expect(byName.usva?.applicable).toBe(true);
    expect(byName.usva?.targetedAdvertisingOptOut).toBe(1);
    expect(byName.usco?.applicable).toBe(false);
  });

  it('decodes an embedded TCF EU v2 section with the TC string decoder', () => {
    const tcString = buildTcString({ purposeConsents: [1, 3], vendorConsents: [TRIAD_VENDOR] });
    const result = decodeGpp(buildGppString({}, tcString), [2]);
    if (!result.ok) throw new Error(result.message);
    expect(result.gpp.tcfeuv2?.applicable).toBe(true);
    expect(result.gpp.tcfeuv2?.encoded).toBe(tcString);
    const decoded = result.gpp.tcfeuv2?.decoded;
    expect(decoded?.ok && decoded.tcf.purposeConsents).toEqual([1, 3]);
    expect(decoded?.ok && decoded.tcf.vendorConsents).toEqual([TRIAD_VENDOR]);
  });

  it('reads the GPC bit of a section GPC segment', () => {
    const result = decodeGpp(buildGppString({ usnat: { Gpc: true, GpcSegmentIncluded: true } }));
    expect(result.ok && result.gpp.us[0]?.gpc).toBe(true);
  });

  it('exposes the legacy US Privacy section', () => {
    const result = decodeGpp(buildGppString({ uspv1: { Notice: 'Y', OptOutSale: 'Y' } }));
    if (!result.ok) throw new Error(result.message);
    expect(result.gpp.uspv1).toMatchObject({ applicable: true, notice: 'Y', optOutSale: 'Y' });
  });

  it('decodes a string published in the GPP documentation style (TCF + USP)', () => {
    const result = decodeGpp('DBACNYA~CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA~1YNN');
    if (!result.ok) throw new Error(result.message);
    expect(result.gpp.sectionIds).toEqual([2, 6]);
    expect(result.gpp.uspv1?.optOutSale).toBe('N');
    expect(result.gpp.tcfeuv2?.decoded.ok).toBe(true);
  });

  it.each([
    ['an empty string', '', 'empty'],
    ['plain text', 'garbage', 'malformed'],
    ['a header only claiming a missing section', 'DBABMA', 'malformed'],
    ['a corrupt TCF section', 'DBABMA~xx', 'malformed'],
    [
      'a section count mismatch',
      'DBACNYA~CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA',
      'malformed',
    ],
    ['an empty section', 'DBABMA~', 'malformed'],
    ['an oversized string', `D${'A'.repeat(40_000)}`, 'too_long'],
  ])('returns a typed failure for %s', (_, input, reason) => {
    const result = decodeGpp(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.format).toBe('gpp');
      expect(result.reason).toBe(reason);
    }
  });
});
