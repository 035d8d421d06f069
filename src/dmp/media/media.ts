import type { ErrorDetail } from '../../kernel/errors.js';
import { detectAllPii, isSha256Hex } from '../../privacy/pii/index.js';

/**
 * Media events as ad servers send them, and the checks they pass before anything is stored.
 * Every check returns issues (field + reason, never the value) instead of throwing, so a batch
 * can report all its problems at once.
 */

export const mediaKinds = ['impression', 'click', 'conversion'] as const;
export type MediaKind = (typeof mediaKinds)[number];

/**
 * How far back a click or conversion looks for the impression it follows. Longer than a typical
 * post-click window (7-30 days), far shorter than the 120-day ID retention.
 */
export const ATTRIBUTION_LOOKBACK_DAYS = 30;
/** Most segments one event may name (an ad server targets a handful). */
export const MAX_EVENT_SEGMENTS = 50;
/** Largest cost or value of one event: one million currency units, in micros. */
export const MAX_MICROS = 1_000_000_000_000;
/** Server-to-server events may be stamped this far in the future (clock skew). */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

/**
 * Campaign and creative IDs: short tokens such as `cmp-2026-q1` or `12345`. Short enough that a
 * SHA-256 digest (64 hex characters) can never pass as one.
 */
const TOKEN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,47}$/;
/** Segment IDs as the DMP mints them. */
const SEGMENT_ID = /^seg_[0-9a-z]{26}$/;

/** A validated event, before its ID is resolved and its segments attributed. */
export interface MediaEvent {
  kind: MediaKind;
  campaign: string;
  creative: string;
  /** The segments the ad server says it targeted; undefined when it did not say. */
  segments: string[] | undefined;
  costMicros: number;
  valueMicros: number;
}

const isKind = (value: unknown): value is MediaKind =>
  typeof value === 'string' && (mediaKinds as readonly string[]).includes(value);

/** Checks a campaign or creative token: strict shape, and nothing that reads as personal data. */
export function checkToken(value: unknown, field: string, issues: ErrorDetail[]): string {
  if (typeof value !== 'string' || !TOKEN.test(value)) {
    issues.push({ field, message: 'must be 1-48 letters, digits, ".", "_", ":" or "-"' });
    return '';
  }
  // Digits-only tokens pass the shape yet may be phone or card numbers.
  const pii = detectAllPii(value)[0];
  if (pii || isSha256Hex(value)) {
    issues.push({ field, message: 'looks like personal data, which the DMP never stores' });
    return '';
  }
  return value;
}

/** Checks a list of segment IDs (shape only; whether they exist is checked against the store). */
export function checkSegmentIds(value: unknown, field: string, issues: ErrorDetail[]): string[] {
  if (!Array.isArray(value)) {
    issues.push({ field, message: 'must be a list of segment IDs' });
    return [];
  }
  if (value.length > MAX_EVENT_SEGMENTS) {
    issues.push({ field, message: `at most ${MAX_EVENT_SEGMENTS} segments` });
    return [];
  }
  const out = new Set<string>();
  for (const id of value) {
    if (typeof id !== 'string' || !SEGMENT_ID.test(id)) {
      issues.push({ field, message: 'segment IDs look like seg_ + 26 characters' });
      return [];
    }
    out.add(id);
  }
  return [...out];
}

/**
 * A money amount. Whole numbers are micros (`1500` = 0.0015 units, as ad servers' price macros
 * usually are); numbers with a decimal point are currency units (`1.25` = 1,250,000 micros,
 * at most six decimals).
 */
export function parseMicros(value: unknown, field: string, issues: ErrorDetail[]): number {
  const fail = () => {
    issues.push({
      field,
      message: 'must be whole micros (1500) or a decimal amount (1.25), 0 to 1,000,000 units',
    });
    return 0;
  };
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 && value <= MAX_MICROS ? value : fail();
  }
  if (typeof value !== 'string') return fail();
  const m = /^(\d{1,13})(?:\.(\d{1,6}))?$/.exec(value);
  if (!m) return fail();
  const micros =
    m[2] === undefined ? Number(m[1]) : Number(m[1]) * 1_000_000 + Number(m[2].padEnd(6, '0'));
  return micros <= MAX_MICROS ? micros : fail();
}

/** The fields common to the pixel and the server-to-server API, in raw form. */
export interface RawMediaEvent {
  event: unknown;
  campaign: unknown;
  creative: unknown;
  segments: unknown;
  cost: unknown;
  value: unknown;
}

/** Validates one event; `at(name)` names a field in the caller's terms (query or JSON path). */
export function checkMediaEvent(
  raw: RawMediaEvent,
  at: (name: string) => string,
  issues: ErrorDetail[],
): MediaEvent | undefined {
  const before = issues.length;
  if (!isKind(raw.event)) {
    issues.push({ field: at('event'), message: `must be one of ${mediaKinds.join(', ')}` });
  }
  const campaign = checkToken(raw.campaign, at('campaign'), issues);
  const creative = checkToken(raw.creative, at('creative'), issues);
  const segments =
    raw.segments === undefined ? undefined : checkSegmentIds(raw.segments, at('segments'), issues);
  if (segments !== undefined && raw.event !== 'impression') {
    // Clicks and conversions inherit the segments of the impression they follow.
    issues.push({ field: at('segments'), message: 'only impressions name targeted segments' });
  }
  const costMicros = raw.cost === undefined ? 0 : parseMicros(raw.cost, at('cost'), issues);
  const valueMicros = raw.value === undefined ? 0 : parseMicros(raw.value, at('value'), issues);
  if (raw.value !== undefined && raw.event !== 'conversion') {
    issues.push({ field: at('value'), message: 'only conversions carry a value' });
  }
  if (issues.length > before || !isKind(raw.event)) return undefined;
  return { kind: raw.event, campaign, creative, segments, costMicros, valueMicros };
}

/** Query parameters of the media pixel besides the consent macros and cache busters. */
const PIXEL_PARAMS = new Set(['e', 'cmp', 'cr', 'seg', 'cost', 'value']);
const PIXEL_IGNORED = new Set(['gdpr', 'gdpr_consent', 'gpp', 'gpp_sid', 'cb', 'ord', 'rnd']);

/**
 * Reads the media pixel's query: `e`, `cmp`, `cr`, optional `seg` (comma-separated), `cost`,
 * `value`. Unknown or repeated parameters are refused: an ad-server macro that was not expanded,
 * or a tag that appends user data, must not be half-understood.
 */
export function pixelEvent(
  query: Record<string, unknown>,
  issues: ErrorDetail[],
): MediaEvent | undefined {
  const one = (name: string): unknown => {
    const value = query[name];
    if (Array.isArray(value)) {
      issues.push({ field: name, message: 'given more than once' });
      return undefined;
    }
    return value;
  };
  for (const key of Object.keys(query)) {
    if (!PIXEL_PARAMS.has(key) && !PIXEL_IGNORED.has(key)) {
      const safe = detectAllPii(key).length > 0 ? '<redacted key>' : key.slice(0, 32);
      issues.push({ field: safe, message: 'unknown parameter' });
    }
  }
  const seg = one('seg');
  const raw: RawMediaEvent = {
    event: one('e'),
    campaign: one('cmp'),
    creative: one('cr'),
    segments:
      // An empty `seg` is a targeting macro that expanded to nothing: the ad server did not say.
      seg === undefined || seg === '' ? undefined : typeof seg === 'string' ? seg.split(',') : seg,
    cost: one('cost'),
    value: one('value'),
  };
  const names: Record<string, string> = {
    event: 'e',
    campaign: 'cmp',
    creative: 'cr',
    segments: 'seg',
    cost: 'cost',
    value: 'value',
  };
  if (issues.length > 0) return undefined;
  return checkMediaEvent(raw, (name) => names[name] ?? name, issues);
}

/** Reads an event time: ISO-8601 with a zone, not in the future, not older than `oldest`. */
export function checkEventTime(
  value: unknown,
  field: string,
  now: Date,
  oldest: Date,
  issues: ErrorDetail[],
): Date {
  if (value === undefined) return now;
  const at =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(value)
      ? new Date(value)
      : undefined;
  if (at === undefined || Number.isNaN(at.getTime())) {
    issues.push({ field, message: 'must be an ISO-8601 time with a zone' });
    return now;
  }
  if (at.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS) {
    issues.push({ field, message: 'is in the future' });
  } else if (at < oldest) {
    issues.push({ field, message: 'is older than the retention period' });
  }
  return at;
}
