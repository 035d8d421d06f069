import { AppError } from '../../kernel/errors.js';
import { indexName, isCounted } from '../objects/index-rows.js';
import type { ObjectType } from '../objects/object-types.js';
import { isNumericType, type PropertyDef } from '../properties/property.js';
import type { ObjectSchema } from '../properties/schema.js';
import { indexedTextLength, parseTime, tokensOf } from '../properties/values.js';

/** HubSpot's search request body. */
export interface SearchRequest {
  filterGroups?: { filters: FilterInput[] }[] | undefined;
  sorts?: (SortInput | string)[] | undefined;
  query?: string | undefined;
  properties?: string[] | undefined;
  limit?: number | undefined;
  after?: string | undefined;
}

export interface FilterInput {
  propertyName: string;
  operator: string;
  value?: string | number | boolean | undefined;
  highValue?: string | number | boolean | undefined;
  values?: (string | number | boolean)[] | undefined;
}

export interface SortInput {
  propertyName: string;
  direction?: 'ASCENDING' | 'DESCENDING' | undefined;
}

/**
 * A condition every candidate must meet, in a form the planner can run either as a driver
 * (an index range that produces candidates) or as a probe on one candidate.
 */
export type Probe =
  | { kind: 'id'; op: RangeOp; values: number[] }
  | {
      kind: 'value';
      /** Values of this property are counted per value (see crm_value_counts). */
      counted?: boolean;
      property: string;
      column: 'v_text' | 'v_num';
      op: RangeOp;
      values: (string | number)[];
    }
  | { kind: 'has'; property: string }
  | { kind: 'token'; properties: string[]; token: string; prefix: boolean }
  | { kind: 'like'; property: string; pattern: string }
  | { kind: 'always' };

export type RangeOp = 'eq' | 'in' | 'lt' | 'lte' | 'gt' | 'gte' | 'between';

export interface Condition {
  probe: Probe;
  negated: boolean;
}

export interface SortKey {
  /** 'id' sorts by record id; otherwise the index name of the property. */
  property: string;
  column: 'id' | 'v_text' | 'v_num';
  descending: boolean;
}

export interface ParsedSearch {
  type: ObjectType;
  /** OR of ANDs; an empty list of groups means every record. */
  groups: Condition[][];
  sort: SortKey;
  limit: number;
}

export const maxSearchLimit = 200;

const operators = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;

const bad = (field: string, message: string) =>
  new AppError('validation_failed', `${field}: ${message}`, [{ field, message }]);

const systemTimes = new Set(['createdate', 'lastmodifieddate', 'hs_lastmodifieddate']);

/** One filter value as its index column holds it (lower-cased text, number, epoch ms). */
function indexed(def: PropertyDef, raw: string | number | boolean, field: string): string | number {
  const text = String(raw).trim();
  if (def.type === 'date' || def.type === 'datetime') {
    const ms = parseTime(text);
    if (ms === undefined) throw bad(field, `${text} is not a date (epoch ms or ISO 8601)`);
    return ms;
  }
  if (isNumericType(def.type)) {
    const n = Number(text);
    if (text === '' || !Number.isFinite(n)) throw bad(field, `${text} is not a number`);
    return n;
  }
  return text.toLowerCase().slice(0, indexedTextLength);
}

function likePattern(value: string): string {
  return value
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`)
    .replaceAll('*', '%');
}

function parseFilter(schema: ObjectSchema, f: FilterInput, field: string): Condition[] {
  const op = f.operator.toUpperCase();
  if (!(operators as readonly string[]).includes(op)) {
    throw bad(`${field}.operator`, `${f.operator} is not one of ${operators.join(', ')}`);
  }
  const def = schema.defs.get(f.propertyName);
  if (!def)
    throw bad(`${field}.propertyName`, `${f.propertyName} is not a property of ${schema.type}`);
  const negated =
    op === 'NEQ' || op === 'NOT_IN' || op === 'NOT_HAS_PROPERTY' || op === 'NOT_CONTAINS_TOKEN';
  const isId = def.name === 'hs_object_id';
  if (op === 'HAS_PROPERTY' || op === 'NOT_HAS_PROPERTY') {
    const always = isId || systemTimes.has(def.name);
    return [
      {
        negated,
        probe: always ? { kind: 'always' } : { kind: 'has', property: indexName(def.name) },
      },
    ];
  }
  if (op === 'CONTAINS_TOKEN' || op === 'NOT_CONTAINS_TOKEN') {
    const value = String(f.value ?? '');
    if (value.includes('*')) {
      return [
        { negated, probe: { kind: 'like', property: def.name, pattern: likePattern(value) } },
      ];
    }
    const tokens = tokensOf(value);
    if (tokens.length === 0) throw bad(`${field}.value`, 'CONTAINS_TOKEN needs a word');
    return tokens.map((token) => ({
      negated,
      probe: def.searchable
        ? { kind: 'token', properties: [def.name], token, prefix: false }
        : { kind: 'like', property: def.name, pattern: `%${likePattern(token)}%` },
    }));
  }
  const one = (raw: unknown, where: string) => {
    if (raw === undefined || raw === null) throw bad(where, `${op} needs a value`);
    return isId ? Number(raw) : indexed(def, raw as string, where);
  };
  let rangeOp: RangeOp;
  let values: (string | number)[];
  switch (op) {
    case 'IN':
    case 'NOT_IN': {
      if (!f.values || f.values.length === 0) throw bad(`${field}.values`, `${op} needs values`);
      rangeOp = 'in';
      values = f.values.map((v, i) => one(v, `${field}.values[${i}]`));
      break;
    }
    case 'BETWEEN':
      rangeOp = 'between';
      values = [one(f.value, `${field}.value`), one(f.highValue, `${field}.highValue`)];
      break;
    default:
      rangeOp = op === 'NEQ' ? 'eq' : (op.toLowerCase() as RangeOp);
      values = [one(f.value, `${field}.value`)];
  }
  if (isId) {
    if (values.some((v) => typeof v !== 'number' || !Number.isSafeInteger(v))) {
      throw bad(`${field}.value`, 'hs_object_id values are record ids');
    }
    return [{ negated, probe: { kind: 'id', op: rangeOp, values: values as number[] } }];
  }
  const column = isNumericType(def.type) ? 'v_num' : 'v_text';
  return [
    {
      negated,
      probe: {
        kind: 'value',
        property: indexName(def.name),
        column,
        op: rangeOp,
        values,
        counted: isCounted(def),
      },
    },
  ];
}

function parseSort(schema: ObjectSchema, sorts: SearchRequest['sorts']): SortKey {
  const first = sorts?.[0];
  if (first === undefined) return { property: 'id', column: 'id', descending: false };
  // HubSpot also takes sorts as strings: "createdate" or "-createdate" for descending.
  const spec =
    typeof first === 'string'
      ? {
          propertyName: first.replace(/^-/, ''),
          direction: first.startsWith('-') ? 'DESCENDING' : 'ASCENDING',
        }
      : first;
  const descending = spec.direction === 'DESCENDING';
  const def = schema.defs.get(spec.propertyName);
  if (!def)
    throw bad('sorts[0].propertyName', `${spec.propertyName} is not a property of ${schema.type}`);
  if (def.name === 'hs_object_id') return { property: 'id', column: 'id', descending };
  return {
    property: indexName(def.name),
    column: isNumericType(def.type) ? 'v_num' : 'v_text',
    descending,
  };
}

/** Validates a search request against the type's schema, naming the offending field. */
export function parseSearch(schema: ObjectSchema, body: SearchRequest): ParsedSearch {
  let groups = (body.filterGroups ?? []).map((g, i) =>
    g.filters.flatMap((f, j) => parseFilter(schema, f, `filterGroups[${i}].filters[${j}]`)),
  );
  // A group without filters matches every record, and so does the whole OR.
  if (groups.some((g) => g.length === 0)) groups = [];
  const words = tokensOf(body.query ?? '');
  if (words.length > 0) {
    const searchable = [...schema.defs.values()].filter((d) => d.searchable).map((d) => d.name);
    const queryConds: Condition[] = words.map((token) => ({
      negated: false,
      probe: { kind: 'token', properties: searchable, token, prefix: true },
    }));
    groups = groups.length === 0 ? [queryConds] : groups.map((g) => [...g, ...queryConds]);
  }
  return {
    type: schema.type,
    groups,
    sort: parseSort(schema, body.sorts),
    limit: Math.min(body.limit ?? 10, maxSearchLimit),
  };
}
