import { FORBIDDEN_KEYS } from '../pipeline/index.js';

/** How a column's text becomes a JSON value. CSV cells are text unless told otherwise. */
export type ValueKind = 'string' | 'number' | 'boolean' | 'json';

/** One `target=column` pair of `--map`. */
export interface FieldMapping {
  /** Path in the Segment message, e.g. ['traits', 'email']. */
  target: string[];
  kind: ValueKind;
  /** CSV header name, or a dotted key path in a JSONL object. */
  column: string;
}

export type ImportType = 'identify' | 'track';

// Where imported values may go: the identity and time fields of a message, and anything under
// its objects. The message type comes from --type (or the JSONL line), never from a column.
const topLevel = new Set(['userId', 'anonymousId', 'event', 'timestamp', 'messageId', 'name']);
const containers = new Set(['traits', 'properties', 'context', 'integrations']);
const kinds = new Set<ValueKind>(['string', 'number', 'boolean', 'json']);

/** A mistake in a mapping: reported to the caller before any row is read. */
export class MappingError extends Error {
  override name = 'MappingError';
}

/** Reads `userId=id,traits.email=mail,properties.total:number=amount`. */
export function parseMapSpec(spec: string): FieldMapping[] {
  const out: FieldMapping[] = [];
  for (const pair of spec.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) {
      throw new MappingError(`--map takes TARGET=COLUMN pairs; got "${pair}"`);
    }
    const left = pair.slice(0, eq).trim();
    const column = pair.slice(eq + 1).trim();
    const [path = '', kindText = 'string'] = left.split(':');
    if (!kinds.has(kindText as ValueKind)) {
      throw new MappingError(
        `unknown value kind "${kindText}"; use string, number, boolean or json`,
      );
    }
    out.push({ target: parseTarget(path), kind: kindText as ValueKind, column });
  }
  if (out.length === 0) throw new MappingError('--map is empty');
  return out;
}

/** Target paths a header names by itself, for files whose columns already carry them. */
export function mappingFromHeader(header: string[]): FieldMapping[] {
  const out: FieldMapping[] = [];
  for (const column of header) {
    try {
      out.push({ target: parseTarget(column), kind: 'string', column });
    } catch {
      // Columns that are not message fields are simply not imported.
    }
  }
  return out;
}

function parseTarget(path: string): string[] {
  const segments = path.split('.');
  const [head, ...rest] = segments;
  if (segments.some((s) => s === '' || FORBIDDEN_KEYS.has(s))) {
    throw new MappingError(`invalid target "${path}"`);
  }
  if (head && topLevel.has(head) && rest.length === 0) return segments;
  if (head && containers.has(head) && rest.length > 0) return segments;
  throw new MappingError(
    `invalid target "${path}"; use userId, anonymousId, event, timestamp, messageId, name or traits.X, properties.X, context.X`,
  );
}

/** Converts a cell; throws with a reason the error file can show. */
function convert(raw: unknown, kind: ValueKind): unknown {
  if (typeof raw !== 'string') return raw;
  switch (kind) {
    case 'string':
      return raw;
    case 'number': {
      const n = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(n))
        throw new Error(`"${raw.slice(0, 40)}" is not a number`);
      return n;
    }
    case 'boolean': {
      const t = raw.trim().toLowerCase();
      if (t === 'true' || t === '1' || t === 'yes') return true;
      if (t === 'false' || t === '0' || t === 'no') return false;
      throw new Error(`"${raw.slice(0, 40)}" is not a boolean`);
    }
    case 'json':
      try {
        return JSON.parse(raw);
      } catch {
        throw new Error(`"${raw.slice(0, 40)}" is not JSON`);
      }
  }
}

/**
 * Builds one Segment message from a row. `read` returns a column's value (undefined when the
 * row lacks it); empty cells are left out rather than sent as empty strings.
 */
export function buildMessage(
  type: ImportType | undefined,
  mapping: FieldMapping[],
  read: (column: string) => unknown,
): Record<string, unknown> {
  const message: Record<string, unknown> = type ? { type } : {};
  for (const m of mapping) {
    const raw = read(m.column);
    if (raw === undefined || raw === null || raw === '') continue;
    let value: unknown;
    try {
      value = convert(raw, m.kind);
    } catch (error) {
      throw new Error(`column "${m.column}": ${(error as Error).message}`);
    }
    setPath(message, m.target, value);
  }
  return message;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown) {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const next = Object.hasOwn(node, key) ? node[key] : undefined;
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
      node = next as Record<string, unknown>;
    } else {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    }
  }
  node[path[path.length - 1] as string] = value;
}

/** A dotted key path in a parsed JSON object (own keys only). */
export function readPath(obj: unknown, dotted: string): unknown {
  let node = obj;
  for (const key of dotted.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
