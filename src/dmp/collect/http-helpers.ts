import type { CookieToSet } from '../../http/route.js';
import { AppError } from '../../kernel/errors.js';
import type { Logger } from '../../kernel/logger.js';
import {
  DMP_COOKIE_MAX_AGE_SECONDS,
  DMP_ID_COOKIE,
  dmpCookieHeader,
  OPT_OUT_COOKIE,
} from '../ids/dmp-id.js';
import type { ConsentFields } from './consent.js';
import { gifHeaders, TRANSPARENT_GIF } from './gif.js';

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

/**
 * Runs a pixel's work and answers the GIF whatever happens: a pixel cannot show an error, so a
 * refusal records nothing and only its code (never the input) is logged, so broken tags can
 * still be found.
 */
export async function answerPixel(
  log: Logger,
  name: string,
  work: () => Promise<Record<string, string>>,
): Promise<{ body: Buffer; headers: Record<string, string> }> {
  let cookieHeaders: Record<string, string> = {};
  try {
    cookieHeaders = await work();
  } catch (error) {
    if (!(error instanceof AppError)) log.error({ err: error }, `${name} failed`);
    else log.info({ code: error.code, detail: error.message }, `${name} refused`);
  }
  return { body: TRANSPARENT_GIF, headers: { ...gifHeaders, ...cookieHeaders } };
}
