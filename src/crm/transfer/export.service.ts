import { Readable } from 'node:stream';
import type { Principal } from '../../access/roles.js';
import type { Deps } from '../../kernel/deps.js';
import { assertCan, canSeePii, visibilityOf } from '../access.js';
import { requireObjectType } from '../objects/object-types.js';
import { present, presentation } from '../objects/present.js';
import { loadSchema } from '../properties/schema.js';
import type { SearchRequest } from '../search/search.js';
import { searchRecords } from '../search/search.service.js';

/** One CSV field: quoted when it holds a delimiter, a quote or a line break (RFC 4180). */
export function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  // A leading =, +, - or @ makes spreadsheets run the cell as a formula: keep it as text.
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const csvLine = (fields: (string | null | undefined)[]) =>
  `${fields.map(csvField).join(',')}\r\n`;

/**
 * Any filtered list as CSV, streamed page by page through the search (same filter groups,
 * sorts and query, no result cap), with the caller's visibility and PII rules applied.
 * The first column is the record id; the others are the requested properties (or the type's
 * defaults).
 */
export async function exportCsv(
  deps: Pick<Deps, 'db'>,
  principal: Principal,
  req: { objectType: string; properties?: string[] | undefined } & Omit<
    SearchRequest,
    'after' | 'limit' | 'properties'
  >,
): Promise<Readable> {
  const type = requireObjectType(req.objectType);
  assertCan(principal, type, 'read');
  const scope = await visibilityOf(deps.db, principal);
  const schema = await loadSchema(deps.db, type);
  const p = presentation(schema, principal, req.properties);
  // Roles without access to personal data get no PII column at all, not even a header.
  const columns = ['hs_object_id', ...p.names.filter((n) => n !== 'hs_object_id')].filter(
    (name) => canSeePii(principal.role) || !schema.defs.get(name)?.pii,
  );
  const search = { filterGroups: req.filterGroups, sorts: req.sorts, query: req.query };
  // The first page is read before the response starts: a bad filter is a 400, not a cut stream.
  const first = await searchRecords(deps, type, { ...search, limit: 200 }, scope);
  async function* lines() {
    yield csvLine(columns);
    let page = first;
    for (;;) {
      for (const record of await present(deps.db, p, page.records)) {
        yield csvLine(
          columns.map((c) => (c === 'hs_object_id' ? record.id : record.properties[c])),
        );
      }
      if (page.after === undefined) break;
      page = await searchRecords(deps, type, { ...search, limit: 200, after: page.after }, scope);
    }
  }
  return Readable.from(lines());
}
