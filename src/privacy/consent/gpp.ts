import { GppModel, Sections } from '@iabgpp/cmpapi';
import { type ConsentDecodeFailure, decodeTcf, type TcfDecodeResult } from './tcf.js';

/**
 * IAB Global Privacy Platform strings decoded into the facts the DMP acts on.
 *
 * Value encodings (GPP US sections, "MSPA" fields):
 * - opt-out fields (SaleOptOut, SharingOptOut, TargetedAdvertisingOptOut):
 *   0 = not applicable, 1 = opted out, 2 = did not opt out;
 * - consent fields (PersonalDataConsents, KnownChildSensitiveDataConsents[]):
 *   0 = not applicable, 1 = no consent, 2 = consent.
 * A field a state section does not define (e.g. California has no TargetedAdvertisingOptOut)
 * is reported as null, never as 0, so "absent" and "not applicable" stay distinguishable.
 */

/** GPP section id of the TCF EU v2 section. */
export const GPP_SECTION_TCF_EU_V2 = 2;
/** GPP section id of the (retired) US Privacy string section. */
export const GPP_SECTION_USP_V1 = 6;
/** GPP section id of the US national section. */
export const GPP_SECTION_US_NAT = 7;

/** 0 = not applicable, 1 = opted out, 2 = did not opt out. */
export type OptOutValue = 0 | 1 | 2;
/** 0 = not applicable, 1 = no consent, 2 = consent. */
export type ConsentValue = 0 | 1 | 2;

/** A US national or state section. */
export interface UsSection {
  id: number;
  /** Library section name: "usnat", "usca", "usva", ... */
  name: string;
  /** Whether the section is in force for this request (see `GppConsent.applicableSectionIds`). */
  applicable: boolean;
  saleOptOut: OptOutValue | null;
  sharingOptOut: OptOutValue | null;
  targetedAdvertisingOptOut: OptOutValue | null;
  personalDataConsents: ConsentValue | null;
  knownChildSensitiveDataConsents: ConsentValue[];
  /** The Global Privacy Control bit carried in the section's optional GPC segment. */
  gpc: boolean | null;
}

/** The legacy US Privacy ("1YNN") string embedded as GPP section 6. */
export interface UspV1Section {
  applicable: boolean;
  notice: string;
  optOutSale: string;
  lspaCovered: string;
}

export interface GppConsent {
  /** Sections present in the string. */
  sectionIds: number[];
  /** The `gpp_sid` the caller passed, or null when unknown (then every section counts). */
  applicableSectionIds: number[] | null;
  /** The embedded TCF EU v2 section, decoded with the same decoder as a standalone TC string. */
  tcfeuv2: { applicable: boolean; encoded: string; decoded: TcfDecodeResult } | null;
  us: UsSection[];
  uspv1: UspV1Section | null;
}

export type GppDecodeResult = { ok: true; gpp: GppConsent } | ConsentDecodeFailure;

/** Longest GPP string accepted (real ones are well below 4 KB). */
export const MAX_GPP_STRING_LENGTH = 32_768;

const GPP_SHAPE = /^D[A-Za-z0-9_-]*(?:~[A-Za-z0-9_.-]+)*$/;

function failure(reason: ConsentDecodeFailure['reason'], message: string): ConsentDecodeFailure {
  return { ok: false, format: 'gpp', reason, message };
}

type Fields = Record<string, unknown>;

function fieldsOf(value: unknown): Fields {
  return typeof value === 'object' && value !== null ? (value as Fields) : {};
}

function tristate<T extends 0 | 1 | 2>(value: unknown): T | null {
  return value === 0 || value === 1 || value === 2 ? (value as T) : null;
}

function usSection(id: number, name: string, applicable: boolean, fields: Fields): UsSection {
  const children = Array.isArray(fields.KnownChildSensitiveDataConsents)
    ? fields.KnownChildSensitiveDataConsents
    : [];
  return {
    id,
    name,
    applicable,
    saleOptOut: tristate<OptOutValue>(fields.SaleOptOut),
    sharingOptOut: tristate<OptOutValue>(fields.SharingOptOut),
    targetedAdvertisingOptOut: tristate<OptOutValue>(fields.TargetedAdvertisingOptOut),
    personalDataConsents: tristate<ConsentValue>(fields.PersonalDataConsents),
    knownChildSensitiveDataConsents: children
      .map((v) => tristate<ConsentValue>(v))
      .filter((v): v is ConsentValue => v !== null),
    // Reads false when the optional GPC segment was not sent, which is harmless: only `true` acts.
    gpc: typeof fields.Gpc === 'boolean' ? fields.Gpc : null,
  };
}

/** True for the US national section and every US state section the library knows. */
function isUsSectionId(id: number): boolean {
  return id >= GPP_SECTION_US_NAT;
}

/**
 * Decodes a GPP string with `@iabgpp/cmpapi`. `sectionIds` is the request's `gpp_sid` (the
 * sections in force for this request); without it every section present is treated as in
 * force, which is the cautious reading. Never throws: a malformed string (or a malformed section
 * inside it) gives a `ConsentDecodeFailure`.
 */
export function decodeGpp(gppString: string, sectionIds?: readonly number[]): GppDecodeResult {
  if (typeof gppString !== 'string' || gppString.trim() === '') {
    return failure('empty', 'no GPP string');
  }
  const input = gppString.trim();
  if (input.length > MAX_GPP_STRING_LENGTH) {
    return failure('too_long', `GPP string longer than ${MAX_GPP_STRING_LENGTH} characters`);
  }
  if (!GPP_SHAPE.test(input)) {
    return failure(
      'malformed',
      'GPP string must be a "D…" header followed by ~-separated sections',
    );
  }
  const applicableIds = sectionIds === undefined ? null : [...sectionIds];
  const isApplicable = (id: number) => applicableIds === null || applicableIds.includes(id);
  try {
    const model = new GppModel(input);
    const present = model.getSectionIds().map((id) => Number(id));
    const us: UsSection[] = [];
    let tcfeuv2: GppConsent['tcfeuv2'] = null;
    let uspv1: UspV1Section | null = null;
    for (const id of present) {
      const name = Sections.SECTION_ID_NAME_MAP.get(id);
      if (name === undefined) continue;
      // Forces the lazy section decoder, so a corrupt section fails here rather than later.
      const fields = fieldsOf(model.getSection(name));
      if (id === GPP_SECTION_TCF_EU_V2) {
        const encoded = model.encodeSection(name);
        tcfeuv2 = { applicable: isApplicable(id), encoded, decoded: decodeTcf(encoded) };
      } else if (id === GPP_SECTION_USP_V1) {
        uspv1 = {
          applicable: isApplicable(id),
          notice: String(fields.Notice ?? '-'),
          optOutSale: String(fields.OptOutSale ?? '-'),
          lspaCovered: String(fields.LspaCovered ?? '-'),
        };
      } else if (isUsSectionId(id)) {
        us.push(usSection(id, name, isApplicable(id), fields));
      }
    }
    return {
      ok: true,
      gpp: { sectionIds: present, applicableSectionIds: applicableIds, tcfeuv2, us, uspv1 },
    };
  } catch (error) {
    return failure('malformed', error instanceof Error ? error.message : String(error));
  }
}
