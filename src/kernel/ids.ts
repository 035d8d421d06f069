import { randomBytes } from 'node:crypto';

/** Prefixes say what an ID names wherever it shows up: logs, URLs, support tickets. */
export const idPrefixes = {
  user: 'usr',
  session: 'ses',
  apiToken: 'tok',
  source: 'src',
  request: 'req',
  profile: 'prof',
  merge: 'mrg',
  separation: 'sep',
} as const;

export type IdKind = keyof typeof idPrefixes;

const crockford = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A prefixed, time-ordered ID: 10 characters of millisecond time then 16 random ones
 * (a ULID body in lower-case Crockford base32). Sorting IDs sorts by creation time, which is
 * what cursor pagination and B-tree locality want.
 */
export function newId(kind: IdKind, now: number = Date.now()): string {
  return `${idPrefixes[kind]}_${encodeTime(now)}${encodeRandom(16)}`;
}

export function isId(kind: IdKind, value: string): boolean {
  return new RegExp(`^${idPrefixes[kind]}_[0-9a-hjkmnp-tv-z]{26}$`).test(value);
}

function encodeTime(ms: number): string {
  let out = '';
  let rest = Math.max(0, Math.floor(ms));
  for (let i = 0; i < 10; i++) {
    out = crockford[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeRandom(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += crockford[byte & 31];
  return out;
}

/** A random secret in URL-safe base64 with a readable prefix (so leaked tokens are recognisable). */
export function newSecret(prefix: string, bytes = 32): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}
