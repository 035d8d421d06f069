import { field, isJsonObject, type JsonObject, objectField } from './json.js';
import { type CollectedEvent, ok, type StepResult } from './types.js';

/** UTM query parameters and the `context.campaign` keys the Segment spec maps them to. */
export const UTM_TO_CAMPAIGN: readonly (readonly [string, string])[] = [
  ['utm_source', 'source'],
  ['utm_medium', 'medium'],
  ['utm_campaign', 'name'],
  ['utm_term', 'term'],
  ['utm_content', 'content'],
];

/**
 * Step 8: fills `context.campaign` from the UTM parameters of `context.page.url` (or of
 * `context.page.search` when there is no URL). Keys the client already sent win one by one,
 * so analytics.js's own campaign parsing is never overwritten. A `context.campaign` that is not
 * an object is left alone, and nothing is added when the page has no UTM parameters.
 */
export function campaignStep(event: CollectedEvent): StepResult<CollectedEvent> {
  const page = objectField(event.context, 'page');
  if (!page) return ok(event);
  const found = utmFromPageMemo(page);
  if (Object.keys(found).length === 0) return ok(event);

  const existing = field(event.context, 'campaign');
  if (existing !== undefined && existing !== null && !isJsonObject(existing)) return ok(event);
  const current: JsonObject = existing ?? {};
  const additions: JsonObject = {};
  for (const [key, value] of Object.entries(found)) {
    if (field(current, key) === undefined) additions[key] = value;
  }
  if (Object.keys(additions).length === 0) return ok(event);
  return ok({ ...event, context: { ...event.context, campaign: { ...current, ...additions } } });
}

// Sites send the same landing URLs over and over; parsing a URL costs more than the rest of
// the step, so results are remembered per URL (callers never mutate them).
const utmByUrl = new Map<string, Readonly<Record<string, string>>>();

function utmFromPageMemo(page: JsonObject): Readonly<Record<string, string>> {
  const url = field(page, 'url');
  if (typeof url !== 'string' || url === '') return utmFromPage(page);
  let found = utmByUrl.get(url);
  if (found === undefined) {
    found = Object.freeze(utmFromPage(page));
    if (utmByUrl.size >= 2000) utmByUrl.clear();
    utmByUrl.set(url, found);
  }
  return found;
}

/** Campaign fields from a page's URL or query string; first value wins, empty values skipped. */
export function utmFromPage(page: JsonObject): Record<string, string> {
  const params = queryOf(page);
  const out: Record<string, string> = {};
  if (!params) return out;
  for (const [utm, key] of UTM_TO_CAMPAIGN) {
    const value = params.get(utm);
    if (value !== null && value !== '') out[key] = value;
  }
  return out;
}

function queryOf(page: JsonObject): URLSearchParams | null {
  const url = field(page, 'url');
  if (typeof url === 'string' && url !== '') {
    try {
      return new URL(url).searchParams;
    } catch {
      // Not an absolute URL (some apps send a path): fall back to whatever follows the `?`.
      const at = url.indexOf('?');
      return at === -1 ? null : new URLSearchParams(url.slice(at + 1).split('#')[0]);
    }
  }
  const search = field(page, 'search');
  return typeof search === 'string' && search !== '' ? new URLSearchParams(search) : null;
}
