import { AppError } from './errors.js';

/** A page of results in Triad's own API: `next` is an opaque cursor, or null on the last page. */
export interface Page<T> {
  data: T[];
  next: string | null;
}

export const defaultPageSize = 50;
export const maxPageSize = 200;

/**
 * Cursors are opaque to clients (base64url JSON) so their contents can change without breaking
 * anyone; they carry the sort key of the last row returned (keyset pagination, no OFFSET).
 */
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<K extends string>(
  cursor: string,
  keys: readonly K[],
): Record<K, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalidCursor();
  const out = {} as Record<K, string>;
  for (const key of keys) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value !== 'string') throw invalidCursor();
    out[key] = value;
  }
  return out;
}

/** Fetch `limit + 1` rows, then call this: the extra row only tells whether a next page exists. */
export function toPage<Row, T>(
  rows: Row[],
  limit: number,
  map: (row: Row) => T,
  cursorOf: (row: Row) => Record<string, string | number>,
): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    data: pageRows.map(map),
    next: hasMore && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}

function invalidCursor() {
  return new AppError('bad_request', 'The cursor is not one this API issued', [
    { field: 'cursor', message: 'invalid cursor' },
  ]);
}

/** The keyset arguments of a list request whose cursor holds the last row's `id`. */
export function pageByIdArgs(query: { limit?: number | undefined; cursor?: string | undefined }): {
  limit: number;
  after?: string;
} {
  const limit = query.limit ?? defaultPageSize;
  if (query.cursor === undefined) return { limit };
  return { limit, after: decodeCursor(query.cursor, ['id'] as const).id };
}
