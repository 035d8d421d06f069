import { GppModel } from '@iabgpp/cmpapi';
import type { VendorList } from '@iabtechlabtcf/core';
import { GVL, PurposeRestriction, TCModel, TCString } from '@iabtechlabtcf/core';

/**
 * Builders of genuine encoded consent strings for tests: TC strings through the IAB library's
 * own encoder and GPP strings through the GPP library's encoder. Nothing is fetched: the GVL is
 * a minimal in-memory vendor list, which is all the encoder needs.
 */

/** Vendor ids present in the test GVL. */
export const TRIAD_VENDOR = 1234;
export const OTHER_VENDOR = 77;

const ALL_PURPOSES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

function testVendorList(): VendorList {
  const items = (count: number) =>
    Object.fromEntries(
      Array.from({ length: count }, (_, i) => [
        i + 1,
        { id: i + 1, name: `Item ${i + 1}`, description: '' },
      ]),
    );
  // Consent-based vendors whose purposes 1-4 are flexible, so publisher restrictions of every
  // type can be encoded for them (the encoder drops restrictions a vendor could not receive).
  const vendor = (id: number) => ({
    id,
    name: `Vendor ${id}`,
    purposes: [1, 2, 3, 4, 7],
    legIntPurposes: [],
    flexiblePurposes: [2, 3, 4, 7],
    specialPurposes: [],
    features: [],
    specialFeatures: [1],
    usesCookies: true,
    cookieMaxAgeSeconds: 31_536_000,
    cookieRefresh: false,
    usesNonCookieAccess: false,
  });
  return {
    gvlSpecificationVersion: 3,
    vendorListVersion: 120,
    tcfPolicyVersion: 5,
    lastUpdated: '2025-06-01T00:00:00Z',
    purposes: items(11),
    specialPurposes: items(3),
    features: items(3),
    specialFeatures: items(2),
    stacks: {},
    vendors: { [TRIAD_VENDOR]: vendor(TRIAD_VENDOR), [OTHER_VENDOR]: vendor(OTHER_VENDOR) },
  };
}

export interface TcSpec {
  purposeConsents?: number[];
  vendorConsents?: number[];
  specialFeatureOptins?: number[];
  /** [purposeId, vendorId, restrictionType] triples. */
  restrictions?: [number, number, 0 | 1 | 2][];
  cmpId?: number;
}

/** A real TC string (service-specific, with publisher TC segment) built from `spec`. */
export function buildTcString(spec: TcSpec = {}): string {
  const model = new TCModel(new GVL(testVendorList()));
  model.cmpId = spec.cmpId ?? 300;
  model.cmpVersion = 2;
  model.isServiceSpecific = true;
  model.purposeConsents.set(spec.purposeConsents ?? []);
  model.vendorConsents.set(spec.vendorConsents ?? []);
  model.specialFeatureOptins.set(spec.specialFeatureOptins ?? []);
  for (const [purposeId, vendorId, type] of spec.restrictions ?? []) {
    model.publisherRestrictions.add(vendorId, new PurposeRestriction(purposeId, type));
  }
  return TCString.encode(model);
}

/** Full consent for every purpose and both test vendors. */
export function fullConsentTcString(): string {
  return buildTcString({
    purposeConsents: ALL_PURPOSES,
    vendorConsents: [TRIAD_VENDOR, OTHER_VENDOR],
  });
}

export type GppFieldSpec = Record<string, Record<string, unknown>>;

/**
 * A real GPP string: `sections` maps section name -> field values; `tcString` (optional) becomes
 * the tcfeuv2 section verbatim.
 */
export function buildGppString(sections: GppFieldSpec, tcString?: string): string {
  const model = new GppModel();
  if (tcString !== undefined) model.decodeSection('tcfeuv2', tcString);
  for (const [section, fields] of Object.entries(sections)) {
    for (const [field, value] of Object.entries(fields)) model.setFieldValue(section, field, value);
  }
  return model.encode();
}
