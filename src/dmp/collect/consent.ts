import type { ErrorDetail } from '../../kernel/errors.js';
import {
  type DmpConsentDecision,
  decodeGpp,
  decodeTcf,
  evaluateDmpConsent,
} from '../../privacy/consent/index.js';

/** The ad-tech consent macros, as query parameters or the same names in JSON bodies. */
export interface ConsentFields {
  gdpr?: unknown;
  gdpr_consent?: unknown;
  gpp?: unknown;
  gpp_sid?: unknown;
}

const present = (value: unknown) => value !== undefined && value !== null && value !== '';

function parseGdpr(value: unknown): 0 | 1 | undefined | null {
  if (!present(value)) return undefined;
  if (value === 0 || value === '0') return 0;
  if (value === 1 || value === '1') return 1;
  return null;
}

/** `gpp_sid` as sent by prebid and OpenRTB: "7", "7,8", "2_6", a number or a number list. */
export function parseGppSid(value: unknown): number[] | undefined | null {
  if (!present(value)) return undefined;
  const parts =
    typeof value === 'number'
      ? [value]
      : Array.isArray(value)
        ? value
        : typeof value === 'string'
          ? value.split(/[,_]/)
          : null;
  if (parts === null) return null;
  const ids = parts.map((part) => (typeof part === 'string' ? Number(part.trim()) : part));
  return ids.every((id) => typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < 256)
    ? (ids as number[])
    : null;
}

/**
 * Reads the consent signals of one hit and decides what the DMP may do. Strings that are
 * present but malformed are errors (a 400 names them) rather than silently read as "no
 * consent", so an integration bug surfaces at once; absent strings are simply absent.
 */
export function consentFrom(
  fields: ConsentFields,
  secGpc: boolean,
  vendorId: number | undefined,
  path = '',
): { ok: true; decision: DmpConsentDecision } | { ok: false; issues: ErrorDetail[] } {
  const issues: ErrorDetail[] = [];
  const at = (name: string) => (path === '' ? name : `${path}.${name}`);
  const gdpr = parseGdpr(fields.gdpr);
  if (gdpr === null) issues.push({ field: at('gdpr'), message: 'must be 0 or 1' });
  const gppSid = parseGppSid(fields.gpp_sid);
  if (gppSid === null) {
    issues.push({ field: at('gpp_sid'), message: 'must be section IDs like "7" or "2,6"' });
  }
  let gdprConsent: string | undefined;
  if (present(fields.gdpr_consent)) {
    if (typeof fields.gdpr_consent !== 'string') {
      issues.push({ field: at('gdpr_consent'), message: 'must be a TCF v2 TC string' });
    } else {
      const decoded = decodeTcf(fields.gdpr_consent);
      if (decoded.ok) gdprConsent = fields.gdpr_consent;
      else
        issues.push({
          field: at('gdpr_consent'),
          message: `invalid TC string: ${decoded.message}`,
        });
    }
  }
  let gpp: string | undefined;
  if (present(fields.gpp)) {
    if (typeof fields.gpp !== 'string') {
      issues.push({ field: at('gpp'), message: 'must be a GPP string' });
    } else {
      const decoded = decodeGpp(fields.gpp, gppSid ?? undefined);
      if (decoded.ok) gpp = fields.gpp;
      else issues.push({ field: at('gpp'), message: `invalid GPP string: ${decoded.message}` });
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    decision: evaluateDmpConsent({
      gdpr: gdpr ?? undefined,
      gdprConsent,
      gpp,
      gppSid: gppSid ?? undefined,
      secGpc,
      vendorId,
    }),
  };
}

/** True when the request carried `Sec-GPC: 1`. */
export function secGpcOf(headers: Record<string, string | string[] | undefined>): boolean {
  const value = headers['sec-gpc'];
  return (Array.isArray(value) ? value[0] : value)?.trim() === '1';
}
