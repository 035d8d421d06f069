import { type ObjectType, objectTypes } from '../objects/object-types.js';
import type { PropertyDef, PropertyOption, PropertyType } from './property.js';
import { defaultFieldType } from './property.js';

/**
 * The standard properties of each object type, with HubSpot's internal names so that scripts
 * written for HubSpot read and write the same keys.
 */
interface Spec {
  type?: PropertyType;
  label?: string;
  fieldType?: string;
  options?: readonly string[];
  unique?: boolean;
  pii?: boolean;
  searchable?: boolean;
  readOnly?: boolean;
}

const epoch = '2026-01-01T00:00:00.000Z';

/** HubSpot's internal lifecycle stage values, in their forward order. */
export const lifecycleStages = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
  'other',
] as const;

const text: Spec = { type: 'string' };
const textarea: Spec = { type: 'string', fieldType: 'textarea' };
const pii: Spec = { type: 'string', pii: true, searchable: true };
const num: Spec = { type: 'number' };
const money: Spec = { type: 'money' };
const datetime: Spec = { type: 'datetime' };
const owner: Spec = { type: 'string', label: 'Owner' };
const enumOf = (...options: string[]): Spec => ({ type: 'enumeration', options });

const activity = { hs_timestamp: datetime, hubspot_owner_id: owner } satisfies Record<string, Spec>;

const specs: Record<ObjectType, Record<string, Spec>> = {
  contacts: {
    email: { type: 'email', unique: true, pii: true, searchable: true },
    firstname: { ...pii, label: 'First name' },
    lastname: { ...pii, label: 'Last name' },
    phone: { type: 'phone_number', pii: true, searchable: true },
    mobilephone: { type: 'phone_number', pii: true },
    company: { ...text, searchable: true },
    jobtitle: text,
    website: { type: 'url' },
    address: { ...text, pii: true },
    city: text,
    state: text,
    zip: text,
    country: text,
    lifecyclestage: enumOf(...lifecycleStages),
    hubspot_owner_id: owner,
    hs_additional_emails: { ...text, pii: true, readOnly: true },
  },
  companies: {
    name: { ...text, searchable: true },
    domain: { ...text, unique: true, searchable: true },
    industry: text,
    phone: { type: 'phone_number', searchable: true },
    website: { type: 'url' },
    city: text,
    state: text,
    country: text,
    numberofemployees: num,
    annualrevenue: money,
    description: textarea,
    lifecyclestage: enumOf(...lifecycleStages),
    hubspot_owner_id: owner,
  },
  deals: {
    dealname: { ...text, searchable: true },
    amount: money,
    dealstage: text,
    pipeline: text,
    closedate: datetime,
    dealtype: enumOf('newbusiness', 'existingbusiness'),
    description: textarea,
    hubspot_owner_id: owner,
  },
  tickets: {
    subject: { ...text, searchable: true },
    content: { ...textarea, searchable: true },
    hs_pipeline: text,
    hs_pipeline_stage: text,
    hs_ticket_priority: enumOf('LOW', 'MEDIUM', 'HIGH', 'URGENT'),
    hs_ticket_category: text,
    hubspot_owner_id: owner,
  },
  products: {
    name: { ...text, searchable: true },
    description: { ...textarea, searchable: true },
    price: money,
    hs_sku: { ...text, searchable: true },
    hs_cost_of_goods_sold: money,
  },
  line_items: {
    name: { ...text, searchable: true },
    quantity: num,
    price: money,
    amount: money,
    discount: money,
    hs_product_id: text,
    hs_sku: text,
  },
  calls: {
    ...activity,
    hs_call_title: { ...text, searchable: true },
    hs_call_body: { ...textarea, searchable: true },
    hs_call_direction: enumOf('INBOUND', 'OUTBOUND'),
    hs_call_duration: num,
    hs_call_disposition: text,
    hs_call_status: enumOf(
      'BUSY',
      'CALLING_CRM_USER',
      'CANCELED',
      'COMPLETED',
      'CONNECTING',
      'FAILED',
      'IN_PROGRESS',
      'NO_ANSWER',
      'QUEUED',
      'RINGING',
    ),
    hs_call_recording_url: { type: 'url' },
    hs_call_from_number: { type: 'phone_number', pii: true },
    hs_call_to_number: { type: 'phone_number', pii: true },
  },
  emails: {
    ...activity,
    hs_email_subject: { ...text, searchable: true },
    hs_email_text: { ...textarea, searchable: true },
    hs_email_html: { ...textarea, fieldType: 'html' },
    hs_email_direction: enumOf('EMAIL', 'INCOMING_EMAIL', 'FORWARDED_EMAIL'),
    hs_email_status: enumOf('BOUNCED', 'FAILED', 'SCHEDULED', 'SENDING', 'SENT'),
    hs_email_headers: textarea,
  },
  meetings: {
    ...activity,
    hs_meeting_title: { ...text, searchable: true },
    hs_meeting_body: { ...textarea, searchable: true },
    hs_internal_meeting_notes: textarea,
    hs_meeting_external_url: { type: 'url' },
    hs_meeting_location: text,
    hs_meeting_start_time: datetime,
    hs_meeting_end_time: datetime,
    hs_meeting_outcome: enumOf('SCHEDULED', 'COMPLETED', 'RESCHEDULED', 'NO_SHOW', 'CANCELED'),
  },
  notes: {
    ...activity,
    hs_note_body: { ...textarea, searchable: true },
    hs_attachment_ids: text,
  },
  tasks: {
    ...activity,
    hs_task_subject: { ...text, searchable: true },
    hs_task_body: { ...textarea, searchable: true },
    hs_task_status: enumOf('NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'),
    hs_task_priority: enumOf('NONE', 'LOW', 'MEDIUM', 'HIGH'),
    hs_task_type: enumOf('TODO', 'CALL', 'EMAIL', 'LINKED_IN', 'MEETING'),
    hs_task_due_date: datetime,
    // HubSpot's shape: epoch-millisecond times separated by ";"; a reminder is due once its
    // time has passed, and dismissing one removes it from the list.
    hs_task_reminders: { type: 'string', label: 'Reminders' },
  },
};

/** System properties every record has; their values come from the record, never the client. */
const systemSpecs: Record<string, Spec> = {
  hs_object_id: { type: 'number', label: 'Record ID', readOnly: true },
  createdate: { ...datetime, label: 'Create date', readOnly: true },
  lastmodifieddate: { ...datetime, label: 'Last modified date', readOnly: true },
  hs_lastmodifieddate: { ...datetime, label: 'Last modified date', readOnly: true },
  hs_merged_object_ids: { type: 'string', label: 'Merged record IDs', readOnly: true },
};

export const systemProperties = new Set(Object.keys(systemSpecs));

function labelOf(name: string): string {
  const words = name.replace(/^hs_/, '').split('_').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function optionsOf(values: readonly string[] | undefined): PropertyOption[] {
  return (values ?? []).map((value, i) => ({
    label: labelOf(value.toLowerCase()),
    value,
    displayOrder: i,
    hidden: false,
  }));
}

function build(objectType: ObjectType, name: string, spec: Spec, order: number): PropertyDef {
  const type = spec.type ?? 'string';
  return {
    objectType,
    name,
    label: spec.label ?? labelOf(name),
    type,
    fieldType: spec.fieldType ?? (spec.options ? 'select' : defaultFieldType[type]),
    groupName: objectType === 'contacts' ? 'contactinformation' : `${objectType}information`,
    description: '',
    options: optionsOf(spec.options),
    displayOrder: order,
    hasUniqueValue: spec.unique ?? false,
    hidden: false,
    formField: !spec.readOnly,
    readOnly: spec.readOnly ?? false,
    standard: true,
    pii: spec.pii ?? false,
    searchable: spec.searchable ?? false,
    createdAt: epoch,
    updatedAt: epoch,
    archived: false,
  };
}

const standard = new Map<ObjectType, Map<string, PropertyDef>>();
for (const type of objectTypes) {
  const defs = new Map<string, PropertyDef>();
  const all = { ...specs[type], ...systemSpecs };
  Object.entries(all).forEach(([name, spec], i) => {
    defs.set(name, build(type, name, spec, i));
  });
  standard.set(type, defs);
}

/** The standard property definitions of a type, keyed by name. */
export function standardProperties(type: ObjectType): ReadonlyMap<string, PropertyDef> {
  return standard.get(type) ?? new Map();
}

/** Properties returned when a request names none (HubSpot's defaults per type). */
export const defaultProperties: Record<ObjectType, readonly string[]> = {
  contacts: ['email', 'firstname', 'lastname'],
  companies: ['name', 'domain'],
  deals: ['dealname', 'amount', 'dealstage', 'pipeline', 'closedate'],
  tickets: ['subject', 'content', 'hs_pipeline', 'hs_pipeline_stage', 'hs_ticket_priority'],
  products: ['name', 'description', 'price'],
  line_items: ['name', 'quantity', 'price', 'amount'],
  calls: ['hs_timestamp', 'hs_call_title', 'hs_call_direction'],
  emails: ['hs_timestamp', 'hs_email_subject', 'hs_email_direction'],
  meetings: ['hs_timestamp', 'hs_meeting_title'],
  notes: ['hs_timestamp', 'hs_note_body'],
  tasks: ['hs_timestamp', 'hs_task_subject', 'hs_task_status'],
};
