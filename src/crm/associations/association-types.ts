import { type ObjectType, objectTypes } from '../objects/object-types.js';

export type AssociationCategory = 'HUBSPOT_DEFINED' | 'USER_DEFINED' | 'INTEGRATOR_DEFINED';

/** One kind of association from one type to another, and its inverse seen from the other side. */
export interface AssociationKind {
  category: AssociationCategory;
  typeId: number;
  inverseTypeId: number;
  label: string | null;
}

/**
 * HubSpot's published association type ids for the common pairs, [from, to, id, inverse id],
 * so scripts that hard-code `associationTypeId: 279` (contact to company) keep working.
 */
const published: [ObjectType, ObjectType, number, number][] = [
  ['contacts', 'companies', 279, 280],
  ['deals', 'contacts', 3, 4],
  ['deals', 'companies', 341, 342],
  ['tickets', 'contacts', 16, 15],
  ['tickets', 'companies', 339, 340],
  ['tickets', 'deals', 28, 27],
  ['line_items', 'deals', 20, 19],
  ['calls', 'contacts', 194, 193],
  ['calls', 'companies', 182, 181],
  ['calls', 'deals', 206, 205],
  ['calls', 'tickets', 220, 219],
  ['emails', 'contacts', 198, 197],
  ['emails', 'companies', 186, 185],
  ['emails', 'deals', 210, 209],
  ['emails', 'tickets', 224, 223],
  ['meetings', 'contacts', 200, 199],
  ['meetings', 'companies', 188, 187],
  ['meetings', 'deals', 212, 211],
  ['meetings', 'tickets', 226, 225],
  ['notes', 'contacts', 202, 201],
  ['notes', 'companies', 190, 189],
  ['notes', 'deals', 214, 213],
  ['notes', 'tickets', 228, 227],
  ['tasks', 'contacts', 204, 203],
  ['tasks', 'companies', 192, 191],
  ['tasks', 'deals', 216, 215],
  ['tasks', 'tickets', 230, 229],
];

/** HubSpot's "Primary" company labels (contact, deal, ticket to their primary company). */
const primary: [ObjectType, ObjectType, number, number][] = [
  ['contacts', 'companies', 1, 2],
  ['deals', 'companies', 5, 6],
  ['tickets', 'companies', 26, 25],
];

const defaults = new Map<string, { typeId: number; inverseTypeId: number }>();
const primaries = new Map<string, { typeId: number; inverseTypeId: number }>();
const key = (from: ObjectType, to: ObjectType) => `${from}>${to}`;

for (const [from, to, id, inverse] of published) {
  defaults.set(key(from, to), { typeId: id, inverseTypeId: inverse });
  defaults.set(key(to, from), { typeId: inverse, inverseTypeId: id });
}
for (const [from, to, id, inverse] of primary) {
  primaries.set(key(from, to), { typeId: id, inverseTypeId: inverse });
  primaries.set(key(to, from), { typeId: inverse, inverseTypeId: id });
}

// Every other pair gets a stable id of its own, far from HubSpot's published range.
const generatedBase = 20_000;
const indexOf = (type: ObjectType) => objectTypes.indexOf(type);

/** The unlabeled (default) association between two types. */
export function defaultKind(from: ObjectType, to: ObjectType): AssociationKind {
  const known = defaults.get(key(from, to));
  const typeId = known?.typeId ?? generatedBase + indexOf(from) * 32 + indexOf(to);
  const inverseTypeId = known?.inverseTypeId ?? generatedBase + indexOf(to) * 32 + indexOf(from);
  return { category: 'HUBSPOT_DEFINED', typeId, inverseTypeId, label: null };
}

/** The HubSpot-defined kinds of a pair: the default one, plus "Primary" where HubSpot has it. */
export function builtInKinds(from: ObjectType, to: ObjectType): AssociationKind[] {
  const kinds = [defaultKind(from, to)];
  const p = primaries.get(key(from, to));
  if (p) kinds.push({ category: 'HUBSPOT_DEFINED', ...p, label: 'Primary' });
  return kinds;
}

/** First id given to user-defined labels (HubSpot's own ids stay below it). */
export const firstLabelTypeId = 1_000;
