import type { CookieToSet } from '../../http/route.js';
import {
  DMP_COOKIE_MAX_AGE_SECONDS,
  DMP_ID_COOKIE,
  dmpCookieHeader,
  OPT_OUT_COOKIE,
} from '../ids/dmp-id.js';
import type { ConsentFields } from './consent.js';

/** The consent macros of a query string (or JSON body). */
export function consentFields(source: Record<string, unknown>): ConsentFields {
  return {
    gdpr: source.gdpr,
    gdpr_consent: source.gdpr_consent,
    gpp: source.gpp,
    gpp_sid: source.gpp_sid,
  };
}

/** Query parameters that steer the DMP rather than describe the visit. */
const RESERVED = new Set(['gdpr', 'gdpr_consent', 'gpp', 'gpp_sid', 'cb', 'ord', 'rnd']);

/** A pixel's signals: every query parameter except the reserved ones. */
export function pixelSignals(query: Record<string, unknown>): Record<string, unknown> {
  const signals: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) if (!RESERVED.has(key)) signals[key] = value;
  return signals;
}

export function cookieState(cookies: Record<string, string | undefined>) {
  return { cookieId: cookies[DMP_ID_COOKIE], optedOut: cookies[OPT_OUT_COOKIE] === '1' };
}

/**
 * Headers that set (and so refresh for another 180 days) the DMP cookie, or delete it when
 * `expire` says its storage consent is gone.
 */
export function idCookieHeaders(
  dmpId: string | null,
  secure: boolean,
  expire = false,
): Record<string, string> {
  if (dmpId !== null) {
    return {
      'set-cookie': dmpCookieHeader(DMP_ID_COOKIE, dmpId, DMP_COOKIE_MAX_AGE_SECONDS, secure),
    };
  }
  return expire ? { 'set-cookie': dmpCookieHeader(DMP_ID_COOKIE, '', 0, secure) } : {};
}

/** Deletes the DMP cookie (opt-out, or consent withdrawn). */
export const expireIdCookie: CookieToSet = { name: DMP_ID_COOKIE, value: '', maxAgeSeconds: 0 };
