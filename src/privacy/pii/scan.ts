import { detectPiiKey, type PiiKeyKind } from './detect-key.js';
import { detectAllPii } from './detect-value.js';
import { isSha256Hex } from './hash-email.js';
import { findIp } from './ip.js';

/**
 * Walks a JSON-like payload and reports every place personal data appears, combining three
 * signals per property:
 * - `key`: the property name says PII ("email", "first_name") and the value is plausible for it;
 * - `value`: the value text contains PII whatever the key ("note: call 415-555-2671");
 * - `key-text`: the property *name* itself contains PII ({ "jane@example.com": true }).
 */

export interface PiiFinding {
  /** JSONPath-like location: `$.user.emails[0]`. */
  path: string;
  kind: PiiKeyKind;
  via: 'key' | 'value' | 'key-text';
  /** The offending text. It is personal data: never log it. */
  match: string;
}

export interface ScanOptions {
  /** Deepest nesting inspected (root = 0). Default 10. */
  maxDepth?: number;
  /** Stop after this many findings. Default 100. */
  maxFindings?: number;
  /** Stop after visiting this many values. Default 10,000. */
  maxNodes?: number;
}

export interface ScanReport {
  findings: PiiFinding[];
  /** False when a limit stopped the walk: unvisited parts were not checked. */
  complete: boolean;
}

/** Parents under which a bare "name" is a person's name (Segment traits, CRM-style records). */
const PERSON_PARENTS = new Set([
  'traits',
  'user',
  'customer',
  'contact',
  'person',
  'profile',
  'identity',
  'member',
  'buyer',
  'recipient',
  'billing',
  'shipping',
  'owner',
  'author',
  'sender',
  'patient',
  'lead',
  'account',
]);

const IDENTIFIER_KEY = /^[A-Za-z_$][\w$]*$/;

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return IDENTIFIER_KEY.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** Whether a value under a PII-naming key is plausibly that PII (not a flag, count or hash). */
function plausible(kind: PiiKeyKind, value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return kind === 'phone' ||
      kind === 'national_id' ||
      kind === 'credit_card' ||
      kind === 'date_of_birth'
      ? String(value)
      : null;
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '' || isSha256Hex(text)) return null;
  const digits = text.replace(/\D/g, '').length;
  switch (kind) {
    case 'phone':
      return digits >= 6 ? text : null;
    case 'credit_card':
      return digits >= 12 ? text : null;
    case 'national_id':
    case 'date_of_birth':
      return digits >= 4 || /[a-z]/i.test(text) ? text : null;
    case 'ip':
      // Truncated addresses are the anonymised form the DMP may keep.
      return findIp(text) !== null ? text : null;
    case 'name':
    case 'postal_address':
      return /\p{L}/u.test(text) ? text : null;
    case 'email':
      return text.length >= 3 ? text : null;
  }
}

/**
 * Scans `input` for personal data; see `scanForPiiReport` for the walk and its limits.
 * Returns the findings only.
 */
export function scanForPii(input: unknown, options: ScanOptions = {}): PiiFinding[] {
  return scanForPiiReport(input, options).findings;
}

/**
 * Depth-first walk over objects and arrays (cycles are skipped), bounded by depth, node count
 * and finding count. When a bound is hit the report says `complete: false`: a firewall should
 * then reject the payload rather than let unchecked data through.
 */
export function scanForPiiReport(input: unknown, options: ScanOptions = {}): ScanReport {
  const maxDepth = options.maxDepth ?? 10;
  const maxFindings = options.maxFindings ?? 100;
  const maxNodes = options.maxNodes ?? 10_000;
  const findings: PiiFinding[] = [];
  const seen = new WeakSet<object>();
  let nodes = 0;
  let complete = true;

  const add = (finding: PiiFinding) => {
    if (findings.length >= maxFindings) {
      complete = false;
      return;
    }
    findings.push(finding);
  };

  const visit = (
    value: unknown,
    path: string,
    key: string | null,
    parentKey: string | null,
    depth: number,
    inherited = false,
  ) => {
    if (++nodes > maxNodes) {
      complete = false;
      return;
    }
    let keyKind: PiiKeyKind | null = null;
    if (key !== null) {
      keyKind = detectPiiKey(key);
      if (
        keyKind === null &&
        key.toLowerCase() === 'name' &&
        PERSON_PARENTS.has(parentKey?.toLowerCase() ?? '')
      ) {
        keyKind = 'name';
      }
      if (!inherited) {
        for (const hit of detectAllPii(key)) {
          add({ path, kind: hit.kind, via: 'key-text', match: hit.match });
        }
      }
    }

    if (typeof value === 'string' || typeof value === 'number') {
      const keyMatch = keyKind === null ? null : plausible(keyKind, value);
      if (keyKind !== null && keyMatch !== null)
        add({ path, kind: keyKind, via: 'key', match: keyMatch });
      if (typeof value === 'string' && !isSha256Hex(value)) {
        for (const hit of detectAllPii(value)) {
          // Already reported through its key: one finding per kind and place is enough.
          if (hit.kind === keyKind && keyMatch !== null) continue;
          add({ path, kind: hit.kind, via: 'value', match: hit.match });
        }
      }
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if (seen.has(value)) return;
    if (depth >= maxDepth) {
      complete = false;
      return;
    }
    seen.add(value);
    if (Array.isArray(value)) {
      // Array elements inherit the array's key, so `emails: ["a@b.c"]` is judged by "emails".
      for (let i = 0; i < value.length; i++) {
        visit(value[i], childPath(path, i), key, parentKey, depth + 1, true);
      }
      return;
    }
    for (const [childKey, child] of Object.entries(value)) {
      visit(child, childPath(path, childKey), childKey, key, depth + 1);
    }
  };

  visit(input, '$', null, null, 0);
  return { findings, complete };
}
