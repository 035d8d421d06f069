import { TCString } from '@iabtechlabtcf/core';

/**
 * IAB TCF v2.x TC strings (TCF 2.2 and 2.3 share encoding version 2; 2.3 only makes the
 * "disclosed vendors" segment mandatory) decoded into plain data.
 *
 * Why a plain object rather than the library's TCModel: TCModel is mutable, carries a GVL
 * reference and class instances; the rest of the product only needs read-only facts that can be
 * logged, compared in tests and evaluated without knowing the library.
 */

/** Publisher restriction types (TCF v2 "PubRestrictionType"). */
export const RESTRICTION_NOT_ALLOWED = 0;
export const RESTRICTION_REQUIRE_CONSENT = 1;
export const RESTRICTION_REQUIRE_LI = 2;
export type PublisherRestrictionType = 0 | 1 | 2;

/** A publisher's restriction of one purpose for one vendor. */
export interface PublisherRestriction {
  purposeId: number;
  vendorId: number;
  restrictionType: PublisherRestrictionType;
}

/** What a TC string says. Id lists are sorted ascending. */
export interface TcfConsent {
  /** Encoding version; always 2 for strings accepted here. */
  version: number;
  cmpId: number;
  cmpVersion: number;
  /** TCF policy version (4 = TCF 2.2; 5 = GVL v3 era incl. TCF 2.3). */
  policyVersion: number;
  vendorListVersion: number;
  /**
   * Always null here: whether GDPR applies is not part of the TC string; it travels separately
   * (the `gdpr` macro, `__tcfapi` gdprApplies, or the GPP applicable sections).
   */
  gdprApplies: null;
  isServiceSpecific: boolean;
  purposeOneTreatment: boolean;
  publisherCountryCode: string;
  purposeConsents: number[];
  purposeLegitimateInterests: number[];
  vendorConsents: number[];
  vendorLegitimateInterests: number[];
  /** Vendors the CMP disclosed to the user (empty when the segment is absent). */
  vendorsDisclosed: number[];
  specialFeatureOptins: number[];
  publisherRestrictions: PublisherRestriction[];
  created: Date;
  lastUpdated: Date;
}

/** Why a consent string could not be used. */
export interface ConsentDecodeFailure {
  ok: false;
  format: 'tcf' | 'gpp';
  reason: 'empty' | 'too_long' | 'unsupported_version' | 'malformed';
  message: string;
}

export type TcfDecodeResult = { ok: true; tcf: TcfConsent } | ConsentDecodeFailure;

/**
 * Longest TC string accepted. Real strings are a few hundred bytes to a few KB (range-encoded
 * vendor lists); the cap keeps a hostile query parameter from costing real CPU.
 */
export const MAX_TC_STRING_LENGTH = 16_384;

const TC_STRING_SHAPE = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

function failure(reason: ConsentDecodeFailure['reason'], message: string): ConsentDecodeFailure {
  return { ok: false, format: 'tcf', reason, message };
}

function ids(vector: { values(): IterableIterator<number> }): number[] {
  return [...vector.values()].sort((a, b) => a - b);
}

function toNumber(value: number | string): number {
  return typeof value === 'number' ? value : Number(value);
}

/**
 * Decodes a TC string. Never throws: anything that is not a well-formed version-2 string comes
 * back as a `ConsentDecodeFailure`, which callers must treat as "no consent".
 */
export function decodeTcf(tcString: string): TcfDecodeResult {
  if (typeof tcString !== 'string' || tcString.trim() === '') {
    return failure('empty', 'no TC string');
  }
  const input = tcString.trim();
  if (input.length > MAX_TC_STRING_LENGTH) {
    return failure('too_long', `TC string longer than ${MAX_TC_STRING_LENGTH} characters`);
  }
  if (!TC_STRING_SHAPE.test(input)) {
    return failure('malformed', 'TC string is not base64url segments separated by dots');
  }
  // The core segment starts with the 6-bit version: "C" is version 2, "B" is the retired v1.
  if (!input.startsWith('C')) {
    return failure('unsupported_version', 'only TCF v2 strings (starting with "C") are supported');
  }
  try {
    const model = TCString.decode(input);
    if (toNumber(model.version) !== 2) {
      return failure('unsupported_version', `TC string version ${model.version}`);
    }
    const restrictions: PublisherRestriction[] = [];
    const vector = model.publisherRestrictions;
    for (const vendorId of vector.getVendors()) {
      for (const restriction of vector.getRestrictions(vendorId)) {
        restrictions.push({
          purposeId: restriction.purposeId,
          vendorId,
          restrictionType: restriction.restrictionType as PublisherRestrictionType,
        });
      }
    }
    restrictions.sort((a, b) => a.vendorId - b.vendorId || a.purposeId - b.purposeId);
    return {
      ok: true,
      tcf: {
        version: 2,
        cmpId: toNumber(model.cmpId),
        cmpVersion: toNumber(model.cmpVersion),
        policyVersion: toNumber(model.policyVersion),
        vendorListVersion: toNumber(model.vendorListVersion),
        gdprApplies: null,
        isServiceSpecific: model.isServiceSpecific,
        purposeOneTreatment: model.purposeOneTreatment,
        publisherCountryCode: model.publisherCountryCode,
        purposeConsents: ids(model.purposeConsents),
        purposeLegitimateInterests: ids(model.purposeLegitimateInterests),
        vendorConsents: ids(model.vendorConsents),
        vendorLegitimateInterests: ids(model.vendorLegitimateInterests),
        vendorsDisclosed: ids(model.vendorsDisclosed),
        specialFeatureOptins: ids(model.specialFeatureOptins),
        publisherRestrictions: restrictions,
        created: model.created,
        lastUpdated: model.lastUpdated,
      },
    };
  } catch (error) {
    return failure('malformed', error instanceof Error ? error.message : String(error));
  }
}
