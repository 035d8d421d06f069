import type { ExternalId } from './external-ids.js';

/**
 * How one identifier type behaves in matching: how many distinct values one profile may hold
 * (`user_id` 1: two different user IDs are two people), which identifier gives way first when
 * a merge would break a limit (higher `priority` number = dropped first), and values that
 * are placeholders rather than identifiers.
 */
export interface IdentityRule {
  type: string;
  maxPerProfile: number;
  priority: number;
  blocked: (string | RegExp)[];
  /**
   * When set, only values seen within this many days (of the event's time) count toward
   * `maxPerProfile`: a person may change devices over the years without tripping the limit.
   */
  windowDays?: number | undefined;
}

export interface IdentityRules {
  get(type: string): IdentityRule;
  /** Stops a placeholder value from ever acting as an identifier. */
  isBlocked(id: ExternalId): boolean;
}

/** Values that appear on many unrelated people and so identify no one. */
export const defaultBlocked: (string | RegExp)[] = [
  /^[0-]*$/,
  '-1',
  'null',
  'undefined',
  'nil',
  'none',
  'n/a',
  'na',
  'unknown',
  'anonymous',
  'guest',
  'test',
  /^(test|email|none|noemail|no-email|noreply|no-reply|nobody|null|abc|a|x|user)@(test|email|none|mail|abc|a|x|domain)\.(com|net|org)$/,
];

const defaultPriority: Record<string, number> = {
  user_id: 1,
  email: 2,
  phone: 3,
  device_id: 4,
  advertising_id: 5,
  anonymous_id: 6,
};

export function defaultRule(type: string): IdentityRule {
  return {
    type,
    maxPerProfile: type === 'user_id' ? 1 : 5,
    priority: defaultPriority[type] ?? 7,
    blocked: defaultBlocked,
  };
}

export function createRules(overrides: IdentityRule[] = []): IdentityRules {
  const byType = new Map(overrides.map((rule) => [rule.type, rule]));
  const get = (type: string) => byType.get(type) ?? defaultRule(type);
  return {
    get,
    isBlocked(id) {
      const lower = id.value.toLowerCase();
      return get(id.type).blocked.some((b) =>
        typeof b === 'string' ? b === lower : b.test(id.value),
      );
    },
  };
}

/** Parses a blocked-value entry as stored: `/pattern/flags` is a regex, anything else exact. */
export function parseBlocked(entry: string): string | RegExp {
  const match = /^\/(.+)\/([a-z]*)$/.exec(entry);
  if (!match?.[1]) return entry.toLowerCase();
  return new RegExp(match[1], match[2]);
}

export function formatBlocked(entry: string | RegExp): string {
  return typeof entry === 'string' ? entry : `/${entry.source}/${entry.flags}`;
}
