import { describe, expect, it } from 'vitest';
import {
  buildGppString,
  buildTcString,
  fullConsentTcString,
  OTHER_VENDOR,
  TRIAD_VENDOR,
} from './consent-fixtures.js';
import { type DmpConsentInput, evaluateDmpConsent } from './dmp-consent.js';

const ALL = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const vendorId = TRIAD_VENDOR;

function decide(input: DmpConsentInput) {
  const decision = evaluateDmpConsent(input);
  return {
    flags: [decision.store, decision.profile, decision.activate],
    reasons: decision.reasons,
  };
}

function tcf(
  purposeConsents: number[],
  vendorConsents = [TRIAD_VENDOR],
  restrictions?: [number, number, 0 | 1 | 2][],
) {
  return buildTcString({
    purposeConsents,
    vendorConsents,
    ...(restrictions ? { restrictions } : {}),
  });
}

describe('evaluateDmpConsent under TCF (gdpr=1)', () => {
  it('allows everything with purposes 1, 3, 4 and vendor consent', () => {
    const { flags, reasons } = decide({ gdpr: 1, gdprConsent: tcf([1, 3, 4]), vendorId });
    expect(flags).toEqual([true, true, true]);
    expect(reasons).toEqual([]);
  });

  it('denies everything without Purpose 1 (no cookie, no sync, no storage)', () => {
    const { flags, reasons } = decide({ gdpr: 1, gdprConsent: tcf([3, 4]), vendorId });
    expect(flags).toEqual([false, false, false]);
    expect(reasons).toContain(
      'store: no consent for Purpose 1 (store and/or access information on a device)',
    );
    expect(reasons).toContain('profile: requires store, which is denied');
    expect(reasons).toContain('activate: requires profile, which is denied');
  });

  it('denies profiling (and therefore activation) without Purpose 3', () => {
    const { flags, reasons } = decide({ gdpr: 1, gdprConsent: tcf([1, 4]), vendorId });
    expect(flags).toEqual([true, false, false]);
    expect(reasons[0]).toMatch(/^profile: no consent for Purpose 3/);
  });

  it('denies activation without Purpose 4 but keeps storage and profiling', () => {
    const { flags, reasons } = decide({ gdpr: 1, gdprConsent: tcf([1, 3]), vendorId });
    expect(flags).toEqual([true, true, false]);
    expect(reasons).toEqual([
      'activate: no consent for Purpose 4 (use profiles to select personalised advertising)',
    ]);
  });

  it('denies everything when Triad has no vendor consent, even with all purposes', () => {
    const { flags, reasons } = decide({
      gdpr: 1,
      gdprConsent: tcf(ALL, [OTHER_VENDOR]),
      vendorId,
    });
    expect(flags).toEqual([false, false, false]);
    expect(reasons).toContain(`store: no consent for vendor ${TRIAD_VENDOR}`);
  });

  it('skips vendor checks when no vendor id is configured', () => {
    const { flags } = decide({ gdpr: 1, gdprConsent: tcf([1, 3, 4], [OTHER_VENDOR]) });
    expect(flags).toEqual([true, true, true]);
  });

  it('denies everything for a TC string that does not decode', () => {
    for (const gdprConsent of ['garbage', 'CQuZP8A', 'BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASA']) {
      const { flags, reasons } = decide({ gdpr: 1, gdprConsent, vendorId });
      expect(flags).toEqual([false, false, false]);
      expect(reasons[0]).toMatch(/TC string could not be decoded/);
    }
  });

  it('denies everything when gdpr=1 and no string was sent', () => {
    for (const gdprConsent of [undefined, '', '  ']) {
      const { flags, reasons } = decide({ gdpr: 1, gdprConsent, vendorId });
      expect(flags).toEqual([false, false, false]);
      expect(reasons).toEqual([
        'store, profile, activate: TCF applies (gdpr=1) but no TC string was sent',
      ]);
    }
  });
});

describe('evaluateDmpConsent publisher restrictions (evaluated first)', () => {
  it('type 0 (not allowed) denies that purpose for Triad despite consent', () => {
    const { flags, reasons } = decide({
      gdpr: 1,
      gdprConsent: tcf(ALL, [TRIAD_VENDOR], [[4, TRIAD_VENDOR, 0]]),
      vendorId,
    });
    expect(flags).toEqual([true, true, false]);
    expect(reasons[0]).toBe(
      `activate: the publisher does not allow Purpose 4 (use profiles to select personalised advertising) for vendor ${TRIAD_VENDOR}`,
    );
  });

  it('type 0 on Purpose 1 denies everything', () => {
    const { flags } = decide({
      gdpr: 1,
      gdprConsent: tcf(ALL, [TRIAD_VENDOR], [[1, TRIAD_VENDOR, 0]]),
      vendorId,
    });
    expect(flags).toEqual([false, false, false]);
  });

  it('type 2 (legitimate interest only) denies Purpose 3, which needs consent', () => {
    const { flags, reasons } = decide({
      gdpr: 1,
      gdprConsent: tcf(ALL, [TRIAD_VENDOR], [[3, TRIAD_VENDOR, 2]]),
      vendorId,
    });
    expect(flags).toEqual([true, false, false]);
    expect(reasons[0]).toMatch(/restricts Purpose 3 .* to legitimate interest/);
  });

  it('type 1 (require consent) allows the purpose when consent is there', () => {
    const { flags } = decide({
      gdpr: 1,
      gdprConsent: tcf(ALL, [TRIAD_VENDOR], [[3, TRIAD_VENDOR, 1]]),
      vendorId,
    });
    expect(flags).toEqual([true, true, true]);
  });

  it('type 1 does not create consent where there is none', () => {
    const { flags } = decide({
      gdpr: 1,
      gdprConsent: tcf([1, 4], [TRIAD_VENDOR], [[3, TRIAD_VENDOR, 1]]),
      vendorId,
    });
    expect(flags).toEqual([true, false, false]);
  });

  it('ignores restrictions aimed at another vendor', () => {
    const { flags } = decide({
      gdpr: 1,
      gdprConsent: tcf(ALL, [TRIAD_VENDOR], [[4, OTHER_VENDOR, 0]]),
      vendorId,
    });
    expect(flags).toEqual([true, true, true]);
  });

  it('cannot apply vendor restrictions without a vendor id', () => {
    const { flags } = decide({
      gdpr: 1,
      gdprConsent: tcf(ALL, [TRIAD_VENDOR], [[4, TRIAD_VENDOR, 0]]),
    });
    expect(flags).toEqual([true, true, true]);
  });
});

describe('evaluateDmpConsent applicability', () => {
  it('gdpr=0 means TCF does not apply, even with a refusing string', () => {
    const { flags } = decide({ gdpr: 0, gdprConsent: tcf([]), vendorId });
    expect(flags).toEqual([true, true, true]);
  });

  it('gdpr=0 contradicted by gpp_sid=2 takes the stricter reading', () => {
    const gpp = buildGppString({}, tcf([1]));
    const { flags } = decide({ gdpr: 0, gpp, gppSid: [2], vendorId });
    expect(flags).toEqual([true, false, false]);
  });

  it('with gdpr unknown, applies TCF to a tcfeuv2 GPP section listed in gpp_sid', () => {
    const gpp = buildGppString({}, tcf([1, 3]));
    const { flags, reasons } = decide({ gpp, gppSid: [2], vendorId });
    expect(flags).toEqual([true, true, false]);
    expect(reasons[0]).toMatch(/^activate: no consent for Purpose 4/);
  });

  it('with gdpr unknown, full consent in the GPP TCF section allows everything', () => {
    const gpp = buildGppString({}, fullConsentTcString());
    expect(decide({ gpp, gppSid: [2], vendorId }).flags).toEqual([true, true, true]);
  });

  it('with gdpr unknown and gpp_sid=2 but no TCF section, there is no consent', () => {
    const gpp = buildGppString({ usnat: { SaleOptOut: 2 } });
    const { flags, reasons } = decide({ gpp, gppSid: [2, 7], vendorId });
    expect(flags).toEqual([false, false, false]);
    expect(reasons[0]).toMatch(/no TC string was sent/);
  });

  it('ignores a TCF section that gpp_sid does not list', () => {
    const gpp = buildGppString({ usnat: { SaleOptOut: 2 } }, tcf([]));
    expect(decide({ gpp, gppSid: [7], vendorId }).flags).toEqual([true, true, true]);
  });

  it('honours a TCF section when gpp_sid is unknown', () => {
    const gpp = buildGppString({}, tcf([1, 3]));
    expect(decide({ gpp, vendorId }).flags).toEqual([true, true, false]);
  });

  it('honours a TC string sent while gdpr is unknown', () => {
    expect(decide({ gdprConsent: tcf([1]), vendorId }).flags).toEqual([true, false, false]);
  });

  it('uses the GPP TCF section when gdpr=1 comes without gdpr_consent', () => {
    const gpp = buildGppString({}, tcf([1, 3, 4]));
    expect(decide({ gdpr: 1, gpp, vendorId }).flags).toEqual([true, true, true]);
  });

  it('prefers gdpr_consent over the GPP TCF section', () => {
    const gpp = buildGppString({}, tcf([1, 3, 4]));
    expect(decide({ gdpr: 1, gdprConsent: tcf([1]), gpp, vendorId }).flags).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('allows everything when no signal applies at all', () => {
    expect(decide({}).flags).toEqual([true, true, true]);
    expect(decide({ vendorId }).reasons).toEqual([]);
  });

  it('rejects a nonsensical vendor id', () => {
    expect(() => evaluateDmpConsent({ vendorId: 0 })).toThrow(RangeError);
    expect(() => evaluateDmpConsent({ vendorId: 1.5 })).toThrow(RangeError);
  });
});

describe('evaluateDmpConsent US signals', () => {
  it.each([
    ['SaleOptOut', /opted out of sale/],
    ['SharingOptOut', /opted out of sharing/],
    ['TargetedAdvertisingOptOut', /opted out of targeted advertising/],
  ])('usnat %s = 1 (opted out) denies activation only', (field, reason) => {
    const gpp = buildGppString({ usnat: { [field]: 1 } });
    const { flags, reasons } = decide({ gpp, gppSid: [7], vendorId });
    expect(flags).toEqual([true, true, false]);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(reason);
    expect(reasons[0]).toMatch(/usnat/);
  });

  it.each([0, 2])('usnat opt-out fields = %i (n/a or not opted out) allow activation', (value) => {
    const gpp = buildGppString({
      usnat: { SaleOptOut: value, SharingOptOut: value, TargetedAdvertisingOptOut: value },
    });
    expect(decide({ gpp, gppSid: [7] }).flags).toEqual([true, true, true]);
  });

  it('applies state sections the same way', () => {
    const usca = buildGppString({ usca: { SaleOptOut: 2, SharingOptOut: 1 } });
    expect(decide({ gpp: usca, gppSid: [8] }).flags).toEqual([true, true, false]);
    const usva = buildGppString({ usva: { TargetedAdvertisingOptOut: 1 } });
    expect(decide({ gpp: usva, gppSid: [9] }).flags).toEqual([true, true, false]);
  });

  it('ignores US sections that gpp_sid does not list', () => {
    const gpp = buildGppString({ usca: { SaleOptOut: 1 } });
    expect(decide({ gpp, gppSid: [7] }).flags).toEqual([true, true, true]);
  });

  it('denies activation for the Sec-GPC header', () => {
    const { flags, reasons } = decide({ secGpc: true });
    expect(flags).toEqual([true, true, false]);
    expect(reasons).toEqual(['activate: the browser sent Sec-GPC: 1 (Global Privacy Control)']);
    expect(decide({ secGpc: false }).flags).toEqual([true, true, true]);
  });

  it('denies activation for the GPC bit inside a GPP section', () => {
    const gpp = buildGppString({ usnat: { GpcSegmentIncluded: true, Gpc: true } });
    expect(decide({ gpp }).flags).toEqual([true, true, false]);
  });

  it('denies activation for a US Privacy string with OptOutSale=Y', () => {
    const gpp = buildGppString({ uspv1: { Notice: 'Y', OptOutSale: 'Y' } });
    expect(decide({ gpp, gppSid: [6] }).flags).toEqual([true, true, false]);
  });

  it('denies profiling for a known child without consent', () => {
    const gpp = buildGppString({ usnat: { KnownChildSensitiveDataConsents: [1, 0, 0] } });
    const { flags, reasons } = decide({ gpp, gppSid: [7] });
    expect(flags).toEqual([true, false, false]);
    expect(reasons[0]).toMatch(/known child/);
  });

  it('combines TCF and US denials and explains each', () => {
    const { flags, reasons } = decide({
      gdpr: 1,
      gdprConsent: tcf([1, 3]),
      gpp: buildGppString({ usnat: { SaleOptOut: 1 } }),
      secGpc: true,
      vendorId,
    });
    expect(flags).toEqual([true, true, false]);
    expect(reasons).toHaveLength(3);
  });

  it('denies everything for a GPP string that does not decode', () => {
    for (const gpp of ['garbage', 'DBABMA~xx', 'DBABMA']) {
      const { flags, reasons } = decide({ gpp, gppSid: [7] });
      expect(flags).toEqual([false, false, false]);
      expect(reasons[0]).toMatch(/GPP string could not be decoded/);
    }
  });
});
