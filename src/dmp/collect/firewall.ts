import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { detectAllPii, detectPiiKey, isSha256Hex, scanForPii } from '../../privacy/pii/index.js';
import type { Signals, SignalValue } from '../traits/trait-rule.js';

/**
 * The DMP's PII firewall. Every signal key and value is inspected before anything is stored:
 * e-mails, phones, names, postal addresses, IPs, card and national ID numbers are refused
 * (`reject`, the default) or left out (`drop`), never kept. SHA-256 digests (hashed e-mails)
 * are refused as signal values too: they are accepted as IDs only, where the ID resolver knows
 * what they are. Messages name the field and the kind of data, never the value itself, since
 * they end up in responses and logs.
 */

export type PiiMode = 'reject' | 'drop';

export interface FirewallResult {
  kept: Signals;
  /** One entry per refused key: where and why (no values). */
  refused: ErrorDetail[];
}

const KIND_LABEL: Record<string, string> = {
  email: 'an e-mail address',
  phone: 'a phone number',
  ip: 'an IP address',
  name: "a person's name",
  postal_address: 'a postal address',
  credit_card: 'a payment card number',
  national_id: 'a national ID number',
  date_of_birth: 'a date of birth',
};

const label = (kind: string) => KIND_LABEL[kind] ?? 'personal data';

/** Why one key/value pair may not be stored, or null when it may. */
export function piiReason(key: string, value: SignalValue): string | null {
  const keyKind = detectPiiKey(key);
  if (keyKind !== null) return `the key names ${label(keyKind)}`;
  const inKey = detectAllPii(key)[0];
  if (inKey) return `the key contains ${label(inKey.kind)}`;
  if (typeof value === 'string' && isSha256Hex(value.trim())) {
    return 'hashed identifiers (SHA-256) are accepted as IDs only, never as signal values';
  }
  const finding = scanForPii({ [key]: value })[0];
  if (finding) return `the value looks like ${label(finding.kind)}`;
  return null;
}

/** Applies the firewall to one set of signals; `path` prefixes the reported field names. */
export function screenSignals(signals: Signals, path: string): FirewallResult {
  const kept: Signals = {};
  const refused: ErrorDetail[] = [];
  for (const [key, value] of Object.entries(signals)) {
    const reason = piiReason(key, value);
    if (reason === null) kept[key] = value;
    else
      refused.push({
        field: `${path}.${safeKey(key)}`,
        message: `${reason}; personal data is never accepted`,
      });
  }
  return { kept, refused };
}

/**
 * A key fit for an error message: a key that itself holds PII is not echoed back.
 */
function safeKey(key: string): string {
  return detectAllPii(key).length > 0 ? '<redacted key>' : key;
}

/** The error a `reject`-mode firewall answers with. */
export function piiRejected(refused: ErrorDetail[]): AppError {
  return new AppError(
    'bad_request',
    `Refused: ${refused.length} signal value(s) look like personal data, which the DMP never stores; nothing was recorded`,
    refused,
  );
}

/** Refuses free text (names, descriptions, partner IDs) that carries personal data. */
export function assertNoPiiText(text: string, field: string): void {
  const hit = detectAllPii(text)[0];
  if (hit) {
    throw new AppError(
      'bad_request',
      `${field} looks like ${label(hit.kind)}; the DMP stores no personal data`,
      [{ field, message: `looks like ${label(hit.kind)}` }],
    );
  }
}
