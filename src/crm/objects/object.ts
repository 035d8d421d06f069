import type { Role } from '../../access/roles.js';
import { canSeePii } from '../access.js';
import type { ObjectSchema } from '../properties/schema.js';
import { defaultProperties } from '../properties/standard-properties.js';
import type { CrmObjectRow } from './object.table.js';
import type { ObjectType } from './object-types.js';

/** A CRM record as the services handle it; property values are strings, as on the wire. */
export interface CrmRecord {
  id: number;
  type: ObjectType;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt: string | null;
  mergedInto: number | null;
}

export function toRecord(row: CrmObjectRow): CrmRecord {
  return {
    id: row.id,
    type: row.object_type as ObjectType,
    properties: JSON.parse(row.properties) as Record<string, string>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    archived: row.archived === 1,
    archivedAt: row.archived_at,
    mergedInto: row.merged_into,
  };
}

/** Who is acting: their id goes into the stage history, their role decides what they may do. */
export interface Actor {
  id: string;
  role: Role;
}

/** HubSpot's record shape: `{id, properties, createdAt, updatedAt, archived}`. */
export interface WireRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
}

/** The value of a system property, computed from the record rather than stored. */
export function systemValue(record: CrmRecord, name: string): string | undefined {
  switch (name) {
    case 'hs_object_id':
      return String(record.id);
    case 'createdate':
      return record.createdAt;
    case 'lastmodifieddate':
    case 'hs_lastmodifieddate':
      return record.updatedAt;
    default:
      return undefined;
  }
}

/** Which properties a response carries: those asked for (known ones), or the type's defaults. */
export function propertiesToReturn(
  schema: ObjectSchema,
  requested: string[] | undefined,
): string[] {
  const base =
    requested === undefined || requested.length === 0
      ? defaultProperties[schema.type]
      : requested.filter((name) => schema.defs.has(name));
  const always =
    schema.type === 'contacts'
      ? ['createdate', 'lastmodifieddate', 'hs_object_id']
      : ['createdate', 'hs_lastmodifieddate', 'hs_object_id'];
  return [...new Set([...base, ...always])];
}

/**
 * The wire form of a record. PII properties are left out entirely for roles that may not see
 * personal data (not even as null), so nothing about them leaks.
 */
export function toWire(
  record: CrmRecord,
  schema: ObjectSchema,
  names: string[],
  role: Role,
): WireRecord {
  const pii = !canSeePii(role);
  const properties: Record<string, string | null> = {};
  for (const name of names) {
    if (pii && schema.defs.get(name)?.pii) continue;
    properties[name] = systemValue(record, name) ?? record.properties[name] ?? null;
  }
  const wire: WireRecord = {
    id: String(record.id),
    properties,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    archived: record.archived,
  };
  if (record.archivedAt !== null) wire.archivedAt = record.archivedAt;
  return wire;
}
