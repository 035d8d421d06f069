import type { ErrorDetail } from '../../kernel/errors.js';
import type { ConsentChannel, ConsentDecision, ConsentPurpose } from '../../privacy/index.js';
import { consentAllows, consentChannels, consentPurposes } from '../../privacy/index.js';
import type { Filter, Value } from '../audiences/definition.js';
import { matchesFilter, readPath } from '../audiences/filters.js';

/** Operators of content conditions; `in` is a list of accepted values. */
export const contentOperators = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'exists',
  'not_exists',
  'contains',
] as const;
export type ContentOperator = (typeof contentOperators)[number];

/**
 * A content condition, as sent by the caller:
 * `{all: [...]}`, `{any: [...]}`, `{not: c}`, `{trait, op, value}` (profile traits, predictions
 * included), `{prediction, op, value}` (a predicted trait: `purchase_30d` reads
 * `predicted_purchase_30d`), `{audience, member?}` and `{consent, channel?, granted?}`.
 */
export type ContentCondition =
  | { kind: 'all' | 'any'; conditions: ContentCondition[] }
  | { kind: 'not'; condition: ContentCondition }
  | { kind: 'trait'; filter: Filter }
  | { kind: 'audience'; key: string; member: boolean }
  | { kind: 'consent'; purpose: ConsentPurpose; channel: ConsentChannel; granted: boolean };

export interface Facts {
  traits: Record<string, unknown>;
  audiences: Set<string>;
  consents: ConsentDecision[];
}

const maxNodes = 200;
const maxDepth = 8;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/**
 * Parses a condition tree, collecting every problem with a JSON pointer (so one 400 lists them
 * all) and the audience keys it names (checked against stored audiences by the caller).
 */
export function parseContentCondition(
  input: unknown,
  at: string,
  errors: ErrorDetail[],
  audiences: Set<string>,
): ContentCondition | undefined {
  let nodes = 0;
  const fail = (field: string, message: string) => {
    errors.push({ field, message });
    return undefined;
  };
  const walk = (node: unknown, path: string, depth: number): ContentCondition | undefined => {
    if (++nodes > maxNodes) return fail(path, `conditions hold more than ${maxNodes} nodes`);
    if (depth > maxDepth) return fail(path, `conditions nest deeper than ${maxDepth}`);
    if (Array.isArray(node)) return walk({ all: node }, path, depth);
    if (!isObject(node)) return fail(path, 'must be a condition object');
    const keys = Object.keys(node);
    const allowedWith = (allowed: string[]) => {
      const extra = keys.filter((k) => !allowed.includes(k));
      if (extra.length > 0) fail(path, `unknown field(s) ${extra.join(', ')}`);
      return extra.length === 0;
    };
    for (const group of ['all', 'any'] as const) {
      if (group in node) {
        if (!allowedWith([group])) return undefined;
        const list = node[group];
        if (!Array.isArray(list) || list.length === 0)
          return fail(`${path}/${group}`, 'must be a non-empty list of conditions');
        const conditions = list.map((c, i) => walk(c, `${path}/${group}/${i}`, depth + 1));
        if (conditions.some((c) => c === undefined)) return undefined;
        return { kind: group, conditions: conditions as ContentCondition[] };
      }
    }
    if ('not' in node) {
      if (!allowedWith(['not'])) return undefined;
      const condition = walk(node.not, `${path}/not`, depth + 1);
      return condition && { kind: 'not', condition };
    }
    if ('audience' in node) {
      if (!allowedWith(['audience', 'member'])) return undefined;
      if (typeof node.audience !== 'string' || node.audience === '')
        return fail(`${path}/audience`, 'must be an audience key');
      if (node.member !== undefined && typeof node.member !== 'boolean')
        return fail(`${path}/member`, 'must be a boolean');
      audiences.add(node.audience);
      return { kind: 'audience', key: node.audience, member: node.member !== false };
    }
    if ('consent' in node) {
      if (!allowedWith(['consent', 'channel', 'granted'])) return undefined;
      if (!(consentPurposes as readonly unknown[]).includes(node.consent))
        return fail(`${path}/consent`, `must be one of ${consentPurposes.join(', ')}`);
      const channel = node.channel ?? '*';
      if (!(consentChannels as readonly unknown[]).includes(channel))
        return fail(`${path}/channel`, `must be one of ${consentChannels.join(', ')}`);
      if (node.granted !== undefined && typeof node.granted !== 'boolean')
        return fail(`${path}/granted`, 'must be a boolean');
      return {
        kind: 'consent',
        purpose: node.consent as ConsentPurpose,
        channel: channel as ConsentChannel,
        granted: node.granted !== false,
      };
    }
    for (const field of ['trait', 'prediction'] as const) {
      if (field in node) {
        if (!allowedWith([field, 'op', 'value'])) return undefined;
        const name = node[field];
        if (
          typeof name !== 'string' ||
          !/^[A-Za-z0-9_$-]{1,100}(\.[A-Za-z0-9_$-]{1,100})*$/.test(name)
        )
          return fail(`${path}/${field}`, 'must be a trait name (dotted for nested values)');
        const filter = parseOperator(node, path, fail);
        if (!filter) return undefined;
        const traitPath =
          field === 'prediction' && !name.startsWith('predicted_') ? `predicted_${name}` : name;
        return { kind: 'trait', filter: { path: traitPath, ...filter } };
      }
    }
    return fail(path, 'must hold one of all, any, not, trait, prediction, audience, consent');
  };
  return walk(input, at, 0);
}

function parseOperator(
  node: Json,
  path: string,
  fail: (field: string, message: string) => undefined,
): Omit<Filter, 'path'> | undefined {
  const op = node.op;
  if (!(contentOperators as readonly unknown[]).includes(op))
    return fail(`${path}/op`, `must be one of ${contentOperators.join(', ')}`);
  if (op === 'exists' || op === 'not_exists') {
    if (node.value !== undefined) return fail(`${path}/value`, `${op} takes no value`);
    return { op };
  }
  if (!('value' in node)) return fail(`${path}/value`, `${String(op)} needs a value`);
  const value = node.value;
  if (op === 'in') {
    if (
      !Array.isArray(value) ||
      value.length === 0 ||
      value.length > 1000 ||
      !value.every(isScalar)
    )
      return fail(`${path}/value`, 'in needs a non-empty list of at most 1000 scalars');
    return { op: 'one_of', value: value as Value };
  }
  if (!isScalar(value)) return fail(`${path}/value`, 'must be a string, number, boolean or null');
  if (
    ['gt', 'gte', 'lt', 'lte'].includes(op as string) &&
    (value === null || typeof value === 'boolean')
  )
    return fail(`${path}/value`, `${String(op)} compares numbers or strings`);
  return { op: op as Filter['op'], value: value as Value };
}

/** Evaluates a parsed condition over one profile's facts (pure, no I/O). */
export function evaluateContentCondition(c: ContentCondition, facts: Facts): boolean {
  switch (c.kind) {
    case 'all':
      return c.conditions.every((x) => evaluateContentCondition(x, facts));
    case 'any':
      return c.conditions.some((x) => evaluateContentCondition(x, facts));
    case 'not':
      return !evaluateContentCondition(c.condition, facts);
    case 'trait':
      return matchesFilter(readPath(facts.traits, c.filter.path), c.filter);
    case 'audience':
      return facts.audiences.has(c.key) === c.member;
    case 'consent':
      return consentAllows(facts.consents, c.purpose, c.channel) === c.granted;
  }
}
