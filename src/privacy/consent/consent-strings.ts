import { normalizeContextConsent } from './context-consent.js';
import { decodeGpp } from './gpp.js';
import type { ConsentChannel, ConsentPurpose } from './profile-consent.js';
import { decodeTcf, type TcfConsent } from './tcf.js';

/** A decision before it is attributed to a source and a time. */
export interface PurposeDecision {
  purpose: ConsentPurpose;
  channel: ConsentChannel;
  granted: boolean;
}

/**
 * The TCF purpose behind each of Triad's purposes: personalised ads (4), ad profiles (3),
 * personalised content (5), content measurement (8). The same ids the destinations use.
 * `marketing` and `sale_of_data` have no TCF purpose: TC strings never decide them.
 */
const TCF_PURPOSE: Partial<Record<ConsentPurpose, number>> = {
  advertising: 4,
  profiling: 3,
  personalization: 5,
  analytics: 8,
};

function fromTcfPurposes(granted: (purpose: number) => boolean | undefined): PurposeDecision[] {
  const out: PurposeDecision[] = [];
  for (const [purpose, id] of Object.entries(TCF_PURPOSE) as [ConsentPurpose, number][]) {
    const value = granted(id);
    if (value !== undefined) out.push({ purpose, channel: '*', granted: value });
  }
  return out;
}

/** Decisions a decoded TC string makes (every mapped purpose: absent means refused). */
export function decisionsFromTcf(tcf: TcfConsent): PurposeDecision[] {
  const consents = new Set(tcf.purposeConsents);
  return fromTcfPurposes((id) => consents.has(id));
}

export type StringDecoding =
  | { ok: true; decisions: PurposeDecision[] }
  | { ok: false; message: string };

export function decisionsFromTcString(tcString: string): StringDecoding {
  const decoded = decodeTcf(tcString);
  return decoded.ok
    ? { ok: true, decisions: decisionsFromTcf(decoded.tcf) }
    : { ok: false, message: decoded.message };
}

/**
 * Decisions a GPP string makes: its TCF EU section like a TC string; US sections' opt-outs
 * (1 opted out, 2 did not) for the sale of data and targeted advertising, with the Global
 * Privacy Control signal counting as an opt-out of both; the legacy US Privacy string's sale
 * opt-out. Later sections do not override an opt-out an earlier one made.
 */
export function decisionsFromGppString(gppString: string, sectionIds?: number[]): StringDecoding {
  const decoded = decodeGpp(gppString, sectionIds);
  if (!decoded.ok) return { ok: false, message: decoded.message };
  const { gpp } = decoded;
  const decided = new Map<ConsentPurpose, boolean>();
  const set = (purpose: ConsentPurpose, granted: boolean) => {
    const before = decided.get(purpose);
    decided.set(purpose, before === undefined ? granted : before && granted);
  };
  if (gpp.tcfeuv2?.applicable && gpp.tcfeuv2.decoded.ok) {
    for (const d of decisionsFromTcf(gpp.tcfeuv2.decoded.tcf)) set(d.purpose, d.granted);
  }
  for (const section of gpp.us) {
    if (!section.applicable) continue;
    if (section.saleOptOut === 1 || section.saleOptOut === 2) {
      set('sale_of_data', section.saleOptOut === 2);
    }
    if (section.targetedAdvertisingOptOut === 1 || section.targetedAdvertisingOptOut === 2) {
      set('advertising', section.targetedAdvertisingOptOut === 2);
    }
    if (section.gpc === true) {
      set('sale_of_data', false);
      set('advertising', false);
    }
  }
  if (gpp.uspv1?.applicable) {
    if (gpp.uspv1.optOutSale === 'Y') set('sale_of_data', false);
    else if (gpp.uspv1.optOutSale === 'N') set('sale_of_data', true);
  }
  return {
    ok: true,
    decisions: [...decided].map(([purpose, granted]) => ({ purpose, channel: '*', granted })),
  };
}

/**
 * Decisions in an event's `context.consent`: Segment's `categoryPreferences` (through the
 * category mapping of `normalizeContextConsent`), and optional `tcString` / `gppString` fields
 * for sites whose consent manager hands over IAB strings. Only purposes a category mentions are
 * decided; strings that do not decode are ignored (the event itself is still good data).
 */
export function decisionsFromContextConsent(consent: unknown): PurposeDecision[] {
  if (typeof consent !== 'object' || consent === null) return [];
  const out = new Map<ConsentPurpose, boolean>();
  const { purposes } = normalizeContextConsent(consent);
  for (const d of fromTcfPurposes((id) => purposes[id])) out.set(d.purpose, d.granted);
  const fields = consent as { tcString?: unknown; gppString?: unknown };
  if (typeof fields.tcString === 'string') {
    const tcf = decisionsFromTcString(fields.tcString);
    if (tcf.ok) for (const d of tcf.decisions) out.set(d.purpose, d.granted);
  }
  if (typeof fields.gppString === 'string') {
    const gpp = decisionsFromGppString(fields.gppString);
    if (gpp.ok) for (const d of gpp.decisions) out.set(d.purpose, d.granted);
  }
  return [...out].map(([purpose, granted]) => ({ purpose, channel: '*', granted }));
}
