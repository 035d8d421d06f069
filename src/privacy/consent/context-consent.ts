/**
 * Segment-style consent (`context.consent.categoryPreferences`, e.g. `{ Advertising: true,
 * Analytics: false }`) translated into TCF purpose ids, so first-party events that carry a
 * consent-manager's category choices can be judged with the same vocabulary as TC strings.
 *
 * Category names are free-form, so they are matched after normalisation (lower case, letters
 * and digits only). Known names are those of common consent managers, including OneTrust's
 * default group ids (C0001 strictly necessary, C0002 performance, C0003 functional, C0004
 * targeting, C0005 social media). Only booleans count; a
 * category with any other value is reported as unmapped rather than guessed.
 */

/** TCF purposes granted by each normalised category name. */
const CATEGORY_PURPOSES: Record<string, readonly number[]> = {};

function define(names: string[], purposes: readonly number[]): void {
  for (const name of names) CATEGORY_PURPOSES[name] = purposes;
}

// Advertising covers storage, basic and personalised ads, and ad measurement.
const ADVERTISING = [1, 2, 3, 4, 7] as const;
// Analytics covers storage and content/audience measurement and product development.
const ANALYTICS = [1, 8, 9, 10] as const;
// Personalisation of content (not ads).
const PERSONALISATION = [1, 5, 6] as const;

define([
  'advertising',
  'ads',
  'advertisement',
  'marketing',
  'targeting',
  'targetedadvertising',
  'personalizedadvertising',
  'personalisedadvertising',
  'c0004',
], ADVERTISING);
define(['analytics', 'performance', 'statistics', 'measurement', 'c0002'], ANALYTICS);
define(['personalization', 'personalisation'], PERSONALISATION);
// Known categories that grant a DMP nothing: strictly necessary and functional cookies serve the
// site itself, social media buttons serve the networks.
define([
  'necessary',
  'strictlynecessary',
  'essential',
  'required',
  'functional',
  'preferences',
  'socialmedia',
  'c0001',
  'c0003',
  'c0005',
], []);

/** Purposes with their resolved value, plus the categories that could not be used. */
export interface ContextConsentPurposes {
  /** TCF purpose id -> granted. Purposes no category mentions are absent (unknown). */
  purposes: Partial<Record<number, boolean>>;
  /** Category names (as sent) that are unknown or whose value is not a boolean. */
  unmapped: string[];
}

function normalise(category: string): string {
  return category.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Maps `context.consent` to TCF purposes. A purpose is true when at least one granted category
 * covers it (consent to analytics does allow device storage even if advertising was refused,
 * exactly as separate TCF purposes would) and false when every category covering it was refused.
 * Input of the wrong shape yields no purposes rather than an error.
 */
export function normalizeContextConsent(consent: unknown): ContextConsentPurposes {
  const result: ContextConsentPurposes = { purposes: {}, unmapped: [] };
  if (typeof consent !== 'object' || consent === null) return result;
  const preferences = (consent as { categoryPreferences?: unknown }).categoryPreferences;
  if (typeof preferences !== 'object' || preferences === null || Array.isArray(preferences)) {
    return result;
  }
  for (const [category, value] of Object.entries(preferences)) {
    const purposes = CATEGORY_PURPOSES[normalise(category)];
    if (purposes === undefined || typeof value !== 'boolean') {
      result.unmapped.push(category);
      continue;
    }
    for (const purpose of purposes) {
      result.purposes[purpose] = (result.purposes[purpose] ?? false) || value;
    }
  }
  return result;
}
