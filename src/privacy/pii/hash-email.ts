import { createHash } from 'node:crypto';

/**
 * Email-derived identifiers. A SHA-256 of the normalised address is the only email-derived value
 * the DMP accepts: it lets audiences be matched with partners (UID2, RampID-style match keys)
 * without the DMP ever holding the address.
 */

const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** True for a 64-character hexadecimal string (the shape of a SHA-256 digest), any case. */
export function isSha256Hex(value: unknown): boolean {
  return typeof value === 'string' && SHA256_HEX.test(value);
}

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);
const SIMPLE_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Normalises an email the way UID2 does before hashing: trim, lower-case and, for gmail.com and
 * googlemail.com only, drop dots and any "+tag" from the local part (Gmail ignores both, so they
 * name the same mailbox). Other providers treat dots and tags as significant and are left alone.
 * Returns null when the input is not an email address.
 */
export function normalizeEmail(email: string): string | null {
  if (typeof email !== 'string') return null;
  const trimmed = email.trim().toLowerCase();
  if (!SIMPLE_EMAIL.test(trimmed)) return null;
  const at = trimmed.lastIndexOf('@');
  let local = trimmed.slice(0, at);
  const domain = trimmed.slice(at + 1);
  if (GMAIL_DOMAINS.has(domain)) {
    const plus = local.indexOf('+');
    if (plus >= 0) local = local.slice(0, plus);
    local = local.replaceAll('.', '');
    if (local === '') return null;
  }
  return `${local}@${domain}`;
}

/** SHA-256 (lowercase hex) of the normalised email, or null when the input is not an email. */
export function hashEmailForId(email: string): string | null {
  const normalized = normalizeEmail(email);
  if (normalized === null) return null;
  return createHash('sha256').update(normalized, 'utf8').digest('hex');
}
