import type { ObjectType } from '../objects/object-types.js';

/**
 * Property types. HubSpot's own (`string`, `number`, `date`, `datetime`, `bool`,
 * `enumeration`, `phone_number`) plus typed strings Triad validates (`email`, `url`) and
 * `money` (a number HubSpot marks with `showCurrencySymbol`).
 */
export const propertyTypes = [
  'string',
  'number',
  'date',
  'datetime',
  'bool',
  'enumeration',
  'phone_number',
  'email',
  'url',
  'money',
] as const;

export type PropertyType = (typeof propertyTypes)[number];

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

/** A property definition, standard or custom, as the CRM reasons about it. */
export interface PropertyDef {
  objectType: ObjectType;
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  hasUniqueValue: boolean;
  hidden: boolean;
  formField: boolean;
  /** Set by the system only (hs_object_id, createdate...). */
  readOnly: boolean;
  /** Declared by Triad (HubSpot's "hubspotDefined"); cannot be edited or archived. */
  standard: boolean;
  /** Personal data: never sent to roles that may not see PII. */
  pii: boolean;
  /** Its words are indexed for `query` and CONTAINS_TOKEN. */
  searchable: boolean;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

/** fieldType of each type when the client gives none (HubSpot's form field names). */
export const defaultFieldType: Record<PropertyType, string> = {
  string: 'text',
  number: 'number',
  date: 'date',
  datetime: 'date',
  bool: 'booleancheckbox',
  enumeration: 'select',
  phone_number: 'phonenumber',
  email: 'text',
  url: 'text',
  money: 'number',
};

export const fieldTypes = [
  'text',
  'textarea',
  'html',
  'number',
  'date',
  'booleancheckbox',
  'select',
  'radio',
  'checkbox',
  'phonenumber',
  'calculation_equation',
] as const;

/** Multi-select enumerations hold several options joined by ';' (as in HubSpot). */
export function isMultiValued(def: Pick<PropertyDef, 'type' | 'fieldType'>): boolean {
  return def.type === 'enumeration' && def.fieldType === 'checkbox';
}

/** Numeric types are indexed and compared as numbers; dates as epoch milliseconds. */
export function isNumericType(type: PropertyType): boolean {
  return type === 'number' || type === 'money' || type === 'date' || type === 'datetime';
}

/** HubSpot's wire shape of a property definition. */
export interface WireProperty {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  hasUniqueValue: boolean;
  hidden: boolean;
  formField: boolean;
  calculated: boolean;
  externalOptions: boolean;
  hubspotDefined: boolean;
  showCurrencySymbol: boolean;
  modificationMetadata: {
    archivable: boolean;
    readOnlyDefinition: boolean;
    readOnlyValue: boolean;
  };
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export function toWireProperty(def: PropertyDef): WireProperty {
  return {
    name: def.name,
    label: def.label,
    type: def.type,
    fieldType: def.fieldType,
    groupName: def.groupName,
    description: def.description,
    options: def.options,
    displayOrder: def.displayOrder,
    hasUniqueValue: def.hasUniqueValue,
    hidden: def.hidden,
    formField: def.formField,
    calculated: false,
    externalOptions: false,
    hubspotDefined: def.standard,
    showCurrencySymbol: def.type === 'money',
    modificationMetadata: {
      archivable: !def.standard,
      readOnlyDefinition: def.standard,
      readOnlyValue: def.readOnly,
    },
    createdAt: def.createdAt,
    updatedAt: def.updatedAt,
    archived: def.archived,
  };
}
