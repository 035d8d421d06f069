import type { Kysely } from 'kysely';
import { AppError } from '../../kernel/errors.js';
import type { DB } from '../../storage/schema.js';
import type { ObjectType } from '../objects/object-types.js';
import type { PropertyDef, PropertyOption, PropertyType } from './property.js';
import { listCustomProperties } from './property.repository.js';
import type { CrmPropertyRow } from './property.table.js';
import { standardProperties } from './standard-properties.js';

/** The properties of one object type, standard and custom, as one lookup. */
export interface ObjectSchema {
  type: ObjectType;
  /** Live (non-archived) definitions by name. */
  defs: ReadonlyMap<string, PropertyDef>;
  /** Archived custom definitions, so listings with `archived=true` can show them. */
  archived: ReadonlyMap<string, PropertyDef>;
}

export function toPropertyDef(type: ObjectType, row: CrmPropertyRow): PropertyDef {
  return {
    objectType: type,
    name: row.name,
    label: row.label,
    type: row.type as PropertyType,
    fieldType: row.field_type,
    groupName: row.group_name,
    description: row.description,
    options: JSON.parse(row.options) as PropertyOption[],
    displayOrder: row.display_order,
    hasUniqueValue: row.has_unique_value === 1,
    hidden: row.hidden === 1,
    formField: row.form_field === 1,
    readOnly: false,
    standard: false,
    pii: false,
    searchable: false,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    archived: row.archived === 1,
  };
}

/**
 * Loads a type's schema. Custom definitions are read per request (a small indexed read) rather
 * than cached, so several API processes never disagree about which properties exist.
 */
export async function loadSchema(db: Kysely<DB>, type: ObjectType): Promise<ObjectSchema> {
  const defs = new Map(standardProperties(type));
  const archived = new Map<string, PropertyDef>();
  for (const row of await listCustomProperties(db, type)) {
    const def = toPropertyDef(type, row);
    (def.archived ? archived : defs).set(def.name, def);
  }
  return { type, defs, archived };
}

/** The definition of a property, or a 400 naming it (HubSpot's PROPERTY_DOESNT_EXIST). */
export function requireProperty(schema: ObjectSchema, name: string, field = name): PropertyDef {
  const def = schema.defs.get(name);
  if (!def) {
    throw new AppError('validation_failed', `Property "${name}" does not exist on ${schema.type}`, [
      { field, message: `PROPERTY_DOESNT_EXIST: ${name}` },
    ]);
  }
  return def;
}
