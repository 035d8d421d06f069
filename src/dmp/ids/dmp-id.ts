import { randomBytes } from 'node:crypto';
import { isSuppressed } from '../../privacy/index.js';

/**
 * The DMP's pseudonymous identifiers. A DMP ID is 130 random bits and nothing else: no time, no
 * counter, no hash of anything about the browser, so it cannot be linked back to a person or
 * guessed from another ID.
 */

const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
const DMP_ID = /^td_[0-9a-hjkmnp-tv-z]{26}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

function randomBase32(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte & 31];
  return out;
}

/** A new DMP ID (`td_` + 26 random base32 characters). */
export function newDmpId(): string {
  return `td_${randomBase32(26)}`;
}

export function isDmpId(value: unknown): value is string {
  return typeof value === 'string' && DMP_ID.test(value);
}

/**
 * The browser's cookie ID if the DMP may keep using it: well formed, and not an ID an erasure
 * request suppressed. An erased browser that comes back gets a fresh, unlinked ID instead of
 * having its old one brought back to life.
 */
export function reusableCookieId(value: unknown): string | undefined {
  return isDmpId(value) && !isSuppressed([value]) ? value : undefined;
}

/**
 * A record ID that sorts by creation time (keyset pagination): prefix, 10 characters of
 * millisecond time, 16 random ones.
 */
export function newRecordId(prefix: 'trt' | 'seg', nowMs: number): string {
  let time = '';
  let rest = Math.max(0, Math.floor(nowMs));
  for (let i = 0; i < 10; i++) {
    time = alphabet[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }
  return `${prefix}_${time}${randomBase32(16)}`;
}

/**
 * A device advertising ID (IDFA / GAID / other IFA) in canonical lower case, or null. The all-zero
 * IFA is what a device sends when the user limited ad tracking: it names no one and is refused.
 */
export function normalizeIfa(value: unknown): string | null {
  if (typeof value !== 'string' || !UUID.test(value)) return null;
  const lower = value.toLowerCase();
  return lower === ZERO_UUID ? null : lower;
}

/** Cookie names: the DMP ID itself, and the marker a global opt-out leaves behind. */
export const DMP_ID_COOKIE = 'triad_dmp_id';
export const OPT_OUT_COOKIE = 'triad_dmp_optout';

/** The cookie lives 180 days after the last hit: every hit sets it again. */
export const DMP_COOKIE_MAX_AGE_SECONDS = 180 * 24 * 3600;
/** An opt-out is remembered for five years. */
export const OPT_OUT_MAX_AGE_SECONDS = 5 * 365 * 24 * 3600;

/**
 * A `Set-Cookie` value for the DMP's cookies. Pixels are embedded on other sites, so over HTTPS
 * the cookie is `SameSite=None; Secure` (the only way a browser sends it on third-party
 * requests); over plain HTTP, where `None` is refused by browsers, it falls back to `Lax`.
 */
export function dmpCookieHeader(
  name: string,
  value: string,
  maxAgeSeconds: number,
  secure: boolean,
): string {
  const site = secure ? 'SameSite=None; Secure' : 'SameSite=Lax';
  return `${name}=${value}; Max-Age=${maxAgeSeconds}; Path=/; HttpOnly; ${site}`;
}
