import { decodeGpp, GPP_SECTION_TCF_EU_V2, type GppConsent } from './gpp.js';
import {
  decodeTcf,
  RESTRICTION_NOT_ALLOWED,
  RESTRICTION_REQUIRE_LI,
  type TcfConsent,
} from './tcf.js';

/**
 * What the DMP may do with one request's device/user, derived from the consent signals that came
 * with it (OpenRTB/prebid-style macros, the GPP API and the Sec-GPC header).
 *
 * The three permissions are stages of one pipeline and are therefore cumulative:
 * - store:    read/write the DMP cookie, sync IDs, keep anything keyed by the device
 *             (TCF Purpose 1 + vendor consent);
 * - profile:  add the device to segments (Purpose 3), which needs `store`, as a device that
 *             cannot be recognised cannot be profiled;
 * - activate: push segments to ad platforms for ad selection (Purpose 4), which needs `profile`,
 *             and is off whenever a US opt-out (sale, sharing, targeted advertising, GPC) applies.
 *
 * Every rule errs towards "no": an undecodable string, a missing string where GDPR applies, or
 * contradictory applicability signals all end in the stricter outcome.
 */

export interface DmpConsentInput {
  /** The `gdpr` macro: 1 = GDPR applies, 0 = it does not, undefined = unknown. */
  gdpr?: 0 | 1 | undefined;
  /** The `gdpr_consent` macro (a TCF v2 TC string). */
  gdprConsent?: string | undefined;
  /** The `gpp` macro (a GPP string). */
  gpp?: string | undefined;
  /** The `gpp_sid` macro: GPP sections in force for this request. */
  gppSid?: readonly number[] | undefined;
  /** True when the request carried `Sec-GPC: 1`. */
  secGpc?: boolean | undefined;
  /** Triad's GVL vendor id; undefined skips vendor consent and publisher restriction checks. */
  vendorId?: number | undefined;
}

export interface DmpConsentDecision {
  store: boolean;
  profile: boolean;
  activate: boolean;
  /** One sentence per denial, prefixed with the permission it denies. Empty when all allowed. */
  reasons: string[];
}

/** The TCF purposes behind each permission. */
export const DMP_PURPOSES = { store: 1, profile: 3, activate: 4 } as const;
type Permission = keyof typeof DMP_PURPOSES;

const PURPOSE_NAMES: Record<number, string> = {
  1: 'store and/or access information on a device',
  3: 'create profiles for personalised advertising',
  4: 'use profiles to select personalised advertising',
};

function denyAll(reason: string): DmpConsentDecision {
  return {
    store: false,
    profile: false,
    activate: false,
    reasons: [`store, profile, activate: ${reason}`],
  };
}

/** Denial reasons for one permission under a decoded TC string (empty = allowed). */
function tcfDenials(tcf: TcfConsent, permission: Permission, vendorId?: number): string[] {
  const purpose = DMP_PURPOSES[permission];
  const label = `Purpose ${purpose} (${PURPOSE_NAMES[purpose]})`;
  const reasons: string[] = [];
  // Publisher restrictions come first: they override whatever the user's signals say.
  if (vendorId !== undefined) {
    for (const r of tcf.publisherRestrictions) {
      if (r.vendorId !== vendorId || r.purposeId !== purpose) continue;
      if (r.restrictionType === RESTRICTION_NOT_ALLOWED) {
        reasons.push(`the publisher does not allow ${label} for vendor ${vendorId}`);
      } else if (r.restrictionType === RESTRICTION_REQUIRE_LI) {
        reasons.push(
          `the publisher restricts ${label} for vendor ${vendorId} to legitimate interest, but consent is its only valid legal basis under TCF 2.2`,
        );
      }
      // REQUIRE_CONSENT changes nothing: consent is what is required anyway.
    }
  }
  if (!tcf.purposeConsents.includes(purpose)) reasons.push(`no consent for ${label}`);
  if (vendorId !== undefined && !tcf.vendorConsents.includes(vendorId)) {
    reasons.push(`no consent for vendor ${vendorId}`);
  }
  return reasons.map((reason) => `${permission}: ${reason}`);
}

/** US opt-outs that switch activation off, from applicable GPP sections. */
function usDenials(gpp: GppConsent): { activate: string[]; profile: string[] } {
  const activate: string[] = [];
  const profile: string[] = [];
  for (const section of gpp.us) {
    if (!section.applicable) continue;
    const where = `(GPP section ${section.name})`;
    if (section.saleOptOut === 1) activate.push(`activate: the user opted out of sale ${where}`);
    if (section.sharingOptOut === 1) {
      activate.push(`activate: the user opted out of sharing ${where}`);
    }
    if (section.targetedAdvertisingOptOut === 1) {
      activate.push(`activate: the user opted out of targeted advertising ${where}`);
    }
    if (section.gpc === true) activate.push(`activate: Global Privacy Control is set ${where}`);
    if (section.knownChildSensitiveDataConsents.includes(1)) {
      profile.push(`profile: known child or teen without the required consent ${where}`);
    }
  }
  if (gpp.uspv1?.applicable && gpp.uspv1.optOutSale === 'Y') {
    activate.push('activate: the user opted out of sale (US Privacy string)');
  }
  return { activate, profile };
}

/** Where the TC string comes from, or why TCF does not apply. */
function tcfSource(
  input: DmpConsentInput,
  gpp: GppConsent | null,
): { applies: false } | { applies: true; tcString: string | null; via: string } {
  const sidListsTcf = input.gppSid?.includes(GPP_SECTION_TCF_EU_V2) ?? false;
  const gdprConsent = input.gdprConsent?.trim() ? input.gdprConsent : null;
  const gppTcf = gpp?.tcfeuv2 ?? null;
  const pick = (via: string) => ({
    applies: true as const,
    tcString: gdprConsent ?? gppTcf?.encoded ?? null,
    via,
  });
  if (input.gdpr === 1) return pick('gdpr=1');
  // gdpr=0 contradicted by gpp_sid: the stricter reading (TCF applies) wins.
  if (sidListsTcf) return pick(`gpp_sid lists section ${GPP_SECTION_TCF_EU_V2}`);
  if (input.gdpr === 0) return { applies: false };
  // Applicability unknown: any TC string we were handed is honoured rather than ignored.
  if (gppTcf?.applicable) return pick('the GPP string carries a TCF EU section');
  if (gdprConsent !== null) return pick('a TC string was sent');
  return { applies: false };
}

/**
 * Decides whether the DMP may store, profile and activate for one request. Rules, in order:
 *
 * 1. A GPP string that does not decode means no consent at all.
 * 2. TCF applies when gdpr=1, when gpp_sid lists section 2 (even against gdpr=0), or, with gdpr
 *    unknown, when a TC string was sent (standalone or as an applicable GPP tcfeuv2 section).
 *    Where TCF applies: no string or an undecodable string means no consent at all; otherwise
 *    each permission needs its purpose consent and (with `vendorId`) vendor consent, after
 *    publisher restrictions (type 0 and type 2 deny, since consent is the only valid basis for
 *    Purposes 1, 3 and 4).
 * 3. US signals: Sec-GPC, or an applicable US GPP section with SaleOptOut, SharingOptOut or
 *    TargetedAdvertisingOptOut = 1 (or its GPC bit), or a US Privacy string with OptOutSale = Y,
 *    deny activation. A known child without consent (KnownChildSensitiveDataConsents has a 1)
 *    denies profiling too.
 * 4. The permissions are cumulative: profile needs store, activate needs profile.
 */
export function evaluateDmpConsent(input: DmpConsentInput): DmpConsentDecision {
  const { vendorId } = input;
  if (vendorId !== undefined && !(Number.isInteger(vendorId) && vendorId > 0)) {
    throw new RangeError(`vendorId must be a positive integer, got ${vendorId}`);
  }

  let gpp: GppConsent | null = null;
  if (input.gpp !== undefined && input.gpp.trim() !== '') {
    const decoded = decodeGpp(input.gpp, input.gppSid);
    if (!decoded.ok) return denyAll(`the GPP string could not be decoded (${decoded.message})`);
    gpp = decoded.gpp;
  }

  const reasons: Record<Permission, string[]> = { store: [], profile: [], activate: [] };
  const source = tcfSource(input, gpp);
  if (source.applies) {
    if (source.tcString === null) {
      return denyAll(`TCF applies (${source.via}) but no TC string was sent`);
    }
    const decoded = decodeTcf(source.tcString);
    if (!decoded.ok) {
      return denyAll(`the TC string could not be decoded (${decoded.message})`);
    }
    for (const permission of ['store', 'profile', 'activate'] as const) {
      reasons[permission].push(...tcfDenials(decoded.tcf, permission, vendorId));
    }
  }

  if (input.secGpc === true) {
    reasons.activate.push('activate: the browser sent Sec-GPC: 1 (Global Privacy Control)');
  }
  if (gpp !== null) {
    const us = usDenials(gpp);
    reasons.profile.push(...us.profile);
    reasons.activate.push(...us.activate);
  }

  const store = reasons.store.length === 0;
  if (!store) reasons.profile.push('profile: requires store, which is denied');
  const profile = reasons.profile.length === 0;
  if (!profile) reasons.activate.push('activate: requires profile, which is denied');
  const activate = reasons.activate.length === 0;
  return {
    store,
    profile,
    activate,
    reasons: [...reasons.store, ...reasons.profile, ...reasons.activate],
  };
}
