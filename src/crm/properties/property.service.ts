import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError, conflict, notFound } from '../../kernel/errors.js';
import type { ObjectType } from '../objects/object-types.js';
import {
  defaultFieldType,
  fieldTypes,
  type PropertyDef,
  type PropertyOption,
  type PropertyType,
  propertyTypes,
} from './property.js';
import * as repo from './property.repository.js';
import { loadSchema, toPropertyDef } from './schema.js';
import { standardProperties } from './standard-properties.js';

type PropertyDeps = Pick<Deps, 'db' | 'clock'>;

export interface OptionInput {
  label: string;
  value: string;
  displayOrder?: number | undefined;
  hidden?: boolean | undefined;
  description?: string | undefined;
}

export interface PropertyInput {
  name: string;
  label: string;
  type: string;
  fieldType?: string | undefined;
  groupName?: string | undefined;
  description?: string | undefined;
  options?: OptionInput[] | undefined;
  displayOrder?: number | undefined;
  hasUniqueValue?: boolean | undefined;
  hidden?: boolean | undefined;
  formField?: boolean | undefined;
  showCurrencySymbol?: boolean | undefined;
}

export type PropertyPatch = Partial<Omit<PropertyInput, 'name' | 'hasUniqueValue'>>;

const namePattern = /^[a-z][a-z0-9_]{0,99}$/;
// Values a unique property can hold are compared as text; numbers and dates cannot be unique.
const uniqueCapable: readonly PropertyType[] = ['string', 'email', 'phone_number', 'url'];

const invalid = (field: string, message: string) =>
  new AppError('validation_failed', `${field}: ${message}`, [{ field, message }]);

function parseType(raw: string, showCurrencySymbol: boolean | undefined): PropertyType {
  const aliases: Record<string, PropertyType> = { text: 'string', phone: 'phone_number' };
  const type = aliases[raw] ?? raw;
  if (!(propertyTypes as readonly string[]).includes(type)) {
    throw invalid('type', `must be one of ${propertyTypes.join(', ')}`);
  }
  // HubSpot models currency as a number shown with a currency symbol.
  return type === 'number' && showCurrencySymbol ? 'money' : (type as PropertyType);
}

function parseFieldType(type: PropertyType, raw: string | undefined): string {
  if (raw === undefined) return defaultFieldType[type];
  if (!(fieldTypes as readonly string[]).includes(raw)) {
    throw invalid('fieldType', `must be one of ${fieldTypes.join(', ')}`);
  }
  return raw;
}

function parseOptions(type: PropertyType, options: OptionInput[] | undefined): PropertyOption[] {
  if (type !== 'enumeration') {
    if (options && options.length > 0) throw invalid('options', 'only enumerations have options');
    return [];
  }
  if (!options || options.length === 0) {
    throw invalid('options', 'an enumeration needs at least one option');
  }
  const seen = new Set<string>();
  return options.map((o, i) => {
    if (o.value === '' || o.value.includes(';')) {
      throw invalid(`options[${i}].value`, 'must be non-empty and contain no ";"');
    }
    if (seen.has(o.value)) throw invalid(`options[${i}].value`, `duplicate value ${o.value}`);
    seen.add(o.value);
    return {
      label: o.label,
      value: o.value,
      displayOrder: o.displayOrder ?? i,
      hidden: o.hidden ?? false,
      ...(o.description === undefined ? {} : { description: o.description }),
    };
  });
}

export async function listProperties(
  deps: Pick<Deps, 'db'>,
  type: ObjectType,
  archived: boolean,
): Promise<PropertyDef[]> {
  const schema = await loadSchema(deps.db, type);
  return [...(archived ? schema.archived : schema.defs).values()];
}

export async function getProperty(
  deps: Pick<Deps, 'db'>,
  type: ObjectType,
  name: string,
  archived = false,
): Promise<PropertyDef> {
  const schema = await loadSchema(deps.db, type);
  const def = schema.defs.get(name) ?? (archived ? schema.archived.get(name) : undefined);
  if (!def) throw notFound(`property ${name} of ${type}`);
  return def;
}

export async function createProperty(
  deps: PropertyDeps,
  type: ObjectType,
  input: PropertyInput,
): Promise<PropertyDef> {
  if (!namePattern.test(input.name)) {
    throw invalid('name', 'must start with a lower-case letter and hold only a-z, 0-9 and _');
  }
  if (standardProperties(type).has(input.name) || input.name.startsWith('hs_')) {
    throw conflict(`${input.name} is a standard property of ${type}`);
  }
  const propertyType = parseType(input.type, input.showCurrencySymbol);
  const fieldType = parseFieldType(propertyType, input.fieldType);
  const options = parseOptions(propertyType, input.options);
  if (input.hasUniqueValue && !uniqueCapable.includes(propertyType)) {
    throw invalid('hasUniqueValue', `a ${propertyType} property cannot be unique`);
  }
  const now = iso(deps.clock.now());
  return deps.db.transaction().execute(async (trx) => {
    if (await repo.findCustomProperty(trx, type, input.name)) {
      throw conflict(`Property ${input.name} already exists on ${type}`);
    }
    const row = {
      object_type: type,
      name: input.name,
      label: input.label,
      type: propertyType,
      field_type: fieldType,
      group_name: input.groupName ?? `${type === 'contacts' ? 'contact' : type}information`,
      description: input.description ?? '',
      options: JSON.stringify(options),
      display_order: input.displayOrder ?? -1,
      has_unique_value: input.hasUniqueValue ? 1 : 0,
      hidden: input.hidden ? 1 : 0,
      form_field: input.formField === false ? 0 : 1,
      created_at: now,
      updated_at: now,
      archived: 0,
      archived_at: null,
    };
    await repo.insertCustomProperty(trx, row);
    return toPropertyDef(type, row);
  });
}

export async function updateProperty(
  deps: PropertyDeps,
  type: ObjectType,
  name: string,
  patch: PropertyPatch,
): Promise<PropertyDef> {
  if (standardProperties(type).has(name)) {
    throw invalid(name, 'standard property definitions are read-only');
  }
  return deps.db.transaction().execute(async (trx) => {
    const row = await repo.findCustomProperty(trx, type, name);
    if (!row || row.archived === 1) throw notFound(`property ${name} of ${type}`);
    const current = toPropertyDef(type, row);
    const propertyType =
      patch.type === undefined ? current.type : parseType(patch.type, patch.showCurrencySymbol);
    if (propertyType !== current.type) {
      // Stored values were validated against the old type; re-typing would strand them.
      throw invalid('type', 'the type of a property cannot change');
    }
    const fieldType =
      patch.fieldType === undefined
        ? current.fieldType
        : parseFieldType(propertyType, patch.fieldType);
    const options =
      patch.options === undefined ? current.options : parseOptions(propertyType, patch.options);
    const changes = {
      label: patch.label ?? current.label,
      field_type: fieldType,
      group_name: patch.groupName ?? current.groupName,
      description: patch.description ?? current.description,
      options: JSON.stringify(options),
      display_order: patch.displayOrder ?? current.displayOrder,
      hidden: (patch.hidden ?? current.hidden) ? 1 : 0,
      form_field: (patch.formField ?? current.formField) ? 1 : 0,
      updated_at: iso(deps.clock.now()),
    };
    await repo.updateCustomProperty(trx, type, name, changes);
    return toPropertyDef(type, { ...row, ...changes });
  });
}

/** Archives a custom property: it leaves the schema; stored values are kept, as in HubSpot. */
export async function archiveProperty(
  deps: PropertyDeps,
  type: ObjectType,
  name: string,
): Promise<void> {
  if (standardProperties(type).has(name)) {
    throw invalid(name, 'standard properties cannot be archived');
  }
  const row = await repo.findCustomProperty(deps.db, type, name);
  if (!row || row.archived === 1) throw notFound(`property ${name} of ${type}`);
  const now = iso(deps.clock.now());
  await repo.updateCustomProperty(deps.db, type, name, {
    archived: 1,
    archived_at: now,
    updated_at: now,
  });
}
