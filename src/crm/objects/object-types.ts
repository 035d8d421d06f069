import { AppError } from '../../kernel/errors.js';

/** The CRM object types, by the plural names HubSpot's API uses in paths. */
export const objectTypes = [
  'contacts',
  'companies',
  'deals',
  'tickets',
  'products',
  'line_items',
  'calls',
  'emails',
  'meetings',
  'notes',
  'tasks',
] as const;

export type ObjectType = (typeof objectTypes)[number];

export const activityTypes: readonly ObjectType[] = [
  'calls',
  'emails',
  'meetings',
  'notes',
  'tasks',
];

/** HubSpot's object type ids (`0-1` is contacts...) and singular names, both accepted in paths. */
const aliases: Record<ObjectType, readonly string[]> = {
  contacts: ['0-1', 'contact'],
  companies: ['0-2', 'company'],
  deals: ['0-3', 'deal'],
  tickets: ['0-5', 'ticket'],
  products: ['0-7', 'product'],
  line_items: ['0-8', 'line_item', 'lineitem', 'lineitems'],
  calls: ['0-48', 'call'],
  emails: ['0-49', 'email'],
  meetings: ['0-47', 'meeting', 'meeting_event', 'meeting_events'],
  notes: ['0-46', 'note'],
  tasks: ['0-27', 'task'],
};

const byName = new Map<string, ObjectType>();
for (const type of objectTypes) {
  byName.set(type, type);
  for (const alias of aliases[type]) byName.set(alias, type);
}

/** HubSpot's object type id of a type, e.g. `0-1` for contacts. */
export function objectTypeId(type: ObjectType): string {
  return aliases[type][0] ?? type;
}

/** The singular name, as HubSpot's association type names use it (`contact_to_company`). */
export function singularOf(type: ObjectType): string {
  return aliases[type][1] ?? type;
}

export function resolveObjectType(raw: string): ObjectType | undefined {
  return byName.get(raw.trim().toLowerCase());
}

/** The object type a path segment names, or a 400 naming it (HubSpot's wording). */
export function requireObjectType(raw: string): ObjectType {
  const type = resolveObjectType(raw);
  if (!type) {
    throw new AppError('bad_request', `Unable to infer object type from: ${raw}`, [
      { field: 'objectType', message: `unknown object type ${raw}` },
    ]);
  }
  return type;
}

/** The types whose records move through a pipeline, and the properties that hold it. */
export const pipelineProperties: Partial<Record<ObjectType, { pipeline: string; stage: string }>> =
  {
    deals: { pipeline: 'pipeline', stage: 'dealstage' },
    tickets: { pipeline: 'hs_pipeline', stage: 'hs_pipeline_stage' },
  };

export function isPipelineType(type: ObjectType): boolean {
  return pipelineProperties[type] !== undefined;
}
