import type { Kysely } from 'kysely';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import type { DB } from '../../storage/schema.js';
import { type ObjectType, resolveObjectType } from '../objects/object-types.js';
import { loadSchema } from '../properties/schema.js';

/** How a CSV file maps onto records, as the caller sends it. */
export interface ImportMapping {
  objectType: string;
  /** CSV header → property name. Columns not listed are ignored. */
  columns: Record<string, string>;
  /** The unique property rows are matched on (upsert); defaults to a mapped unique property. */
  idProperty?: string | undefined;
  /** A column holding the key of a record to associate each row with. */
  associations?: { column: string; toObjectType: string; idProperty?: string | undefined }[];
}

export interface CheckedMapping {
  type: ObjectType;
  columns: [header: string, property: string][];
  /** Undefined: rows are created (no unique property to match on). */
  idProperty: string | undefined;
  /** The column holding the idProperty's value. */
  idColumn: string | undefined;
  associations: { column: string; toType: ObjectType; idProperty: string | undefined }[];
}

const invalid = (errors: ErrorDetail[]) =>
  new AppError(
    'validation_failed',
    `The import mapping is not valid: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
    errors,
  );

/** Checks a mapping against the object's properties, naming every wrong field at once. */
export async function checkMapping(db: Kysely<DB>, raw: ImportMapping): Promise<CheckedMapping> {
  const errors: ErrorDetail[] = [];
  const type = resolveObjectType(raw.objectType);
  if (!type)
    throw invalid([{ field: 'objectType', message: `${raw.objectType} is not an object type` }]);
  const schema = await loadSchema(db, type);
  const columns = Object.entries(raw.columns ?? {});
  if (columns.length === 0) errors.push({ field: 'columns', message: 'map at least one column' });
  const seen = new Set<string>();
  for (const [header, property] of columns) {
    const def = schema.defs.get(property);
    const field = `columns.${header}`;
    if (!def) errors.push({ field, message: `${property} is not a property of ${type}` });
    else if (def.readOnly && property !== 'hs_object_id') {
      errors.push({ field, message: `${property} is read-only` });
    } else if (seen.has(property)) {
      errors.push({ field, message: `${property} is mapped twice` });
    }
    seen.add(property);
  }
  let idProperty = raw.idProperty;
  if (idProperty === undefined) {
    idProperty = columns.map(([, p]) => p).find((p) => schema.defs.get(p)?.hasUniqueValue);
  } else if (idProperty !== 'hs_object_id' && !schema.defs.get(idProperty)?.hasUniqueValue) {
    errors.push({
      field: 'idProperty',
      message: `${idProperty} is not a unique property of ${type}`,
    });
  }
  const idColumn =
    idProperty === undefined ? undefined : columns.find(([, p]) => p === idProperty)?.[0];
  if (idProperty !== undefined && idColumn === undefined && raw.idProperty !== undefined) {
    errors.push({ field: 'idProperty', message: `no column is mapped to ${idProperty}` });
  }
  const associations: CheckedMapping['associations'] = [];
  for (const [i, a] of (raw.associations ?? []).entries()) {
    const toType = resolveObjectType(a.toObjectType);
    if (!toType) {
      errors.push({
        field: `associations[${i}].toObjectType`,
        message: `${a.toObjectType} is not an object type`,
      });
      continue;
    }
    if (a.idProperty !== undefined && a.idProperty !== 'hs_object_id') {
      const target = await loadSchema(db, toType);
      if (!target.defs.get(a.idProperty)?.hasUniqueValue) {
        errors.push({
          field: `associations[${i}].idProperty`,
          message: `${a.idProperty} is not a unique property of ${toType}`,
        });
      }
    }
    associations.push({ column: a.column, toType, idProperty: a.idProperty });
  }
  if (errors.length > 0) throw invalid(errors);
  return {
    type,
    columns: columns.filter(([, p]) => p !== 'hs_object_id' || idProperty === 'hs_object_id'),
    idProperty,
    idColumn,
    associations,
  };
}

/** Columns the mapping names that the file's header lacks. */
export function missingColumns(mapping: CheckedMapping, header: string[]): string[] {
  const have = new Set(header);
  return [...mapping.columns.map(([h]) => h), ...mapping.associations.map((a) => a.column)].filter(
    (h) => !have.has(h),
  );
}

/** A JSON mapping from text (a query parameter or a CLI flag). */
export function parseMappingText(text: string, field = 'mapping'): ImportMapping {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid([{ field, message: 'is not JSON' }]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid([{ field, message: 'must be a JSON object' }]);
  }
  const m = value as Record<string, unknown>;
  const errors: ErrorDetail[] = [];
  if (typeof m.objectType !== 'string')
    errors.push({ field: 'objectType', message: 'is required' });
  const columns = m.columns;
  if (typeof columns !== 'object' || columns === null || Array.isArray(columns)) {
    errors.push({ field: 'columns', message: 'must be an object of CSV header → property' });
  } else if (Object.values(columns).some((v) => typeof v !== 'string')) {
    errors.push({ field: 'columns', message: 'property names must be strings' });
  }
  if (m.idProperty !== undefined && typeof m.idProperty !== 'string') {
    errors.push({ field: 'idProperty', message: 'must be a string' });
  }
  if (m.associations !== undefined) {
    const list = m.associations;
    if (!Array.isArray(list)) errors.push({ field: 'associations', message: 'must be an array' });
    else {
      list.forEach((a: unknown, i) => {
        const ok =
          typeof a === 'object' &&
          a !== null &&
          typeof (a as { column?: unknown }).column === 'string' &&
          typeof (a as { toObjectType?: unknown }).toObjectType === 'string';
        if (!ok) {
          errors.push({ field: `associations[${i}]`, message: 'needs column and toObjectType' });
        }
      });
    }
  }
  if (errors.length > 0) throw invalid(errors);
  return m as unknown as ImportMapping;
}
