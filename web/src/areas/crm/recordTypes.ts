import type { RecordType } from './crm.api';

export interface Column {
  name: string;
  label: string;
  numeric?: boolean;
}

export interface TypeConfig {
  type: RecordType;
  title: string;
  singular: string;
  columns: Column[];
  /** The property that names a record in links and headings. */
  titleOf: (p: Record<string, string | null>) => string;
}

const fullName = (p: Record<string, string | null>) =>
  [p.firstname, p.lastname].filter(Boolean).join(' ') || p.email || '';

export const recordTypes: Record<RecordType, TypeConfig> = {
  contacts: {
    type: 'contacts',
    title: 'Contacts',
    singular: 'contact',
    columns: [
      { name: 'firstname', label: 'First name' },
      { name: 'lastname', label: 'Last name' },
      { name: 'email', label: 'E-mail' },
      { name: 'company', label: 'Company' },
      { name: 'lifecyclestage', label: 'Lifecycle stage' },
      { name: 'createdate', label: 'Created' },
    ],
    titleOf: fullName,
  },
  companies: {
    type: 'companies',
    title: 'Companies',
    singular: 'company',
    columns: [
      { name: 'name', label: 'Name' },
      { name: 'domain', label: 'Domain' },
      { name: 'industry', label: 'Industry' },
      { name: 'createdate', label: 'Created' },
    ],
    titleOf: (p) => p.name || p.domain || '',
  },
  deals: {
    type: 'deals',
    title: 'Deals',
    singular: 'deal',
    columns: [
      { name: 'dealname', label: 'Deal' },
      { name: 'dealstage', label: 'Stage' },
      { name: 'pipeline', label: 'Pipeline' },
      { name: 'amount', label: 'Amount', numeric: true },
      { name: 'closedate', label: 'Close date' },
      { name: 'createdate', label: 'Created' },
    ],
    titleOf: (p) => p.dealname || '',
  },
  tickets: {
    type: 'tickets',
    title: 'Tickets',
    singular: 'ticket',
    columns: [
      { name: 'subject', label: 'Subject' },
      { name: 'hs_pipeline_stage', label: 'Stage' },
      { name: 'hs_ticket_priority', label: 'Priority' },
      { name: 'createdate', label: 'Created' },
    ],
    titleOf: (p) => p.subject || '',
  },
};

export const operators = [
  { op: 'EQ', label: 'equals' },
  { op: 'NEQ', label: 'does not equal' },
  { op: 'CONTAINS_TOKEN', label: 'contains word' },
  { op: 'GT', label: 'greater than' },
  { op: 'GTE', label: 'at least' },
  { op: 'LT', label: 'less than' },
  { op: 'LTE', label: 'at most' },
  { op: 'HAS_PROPERTY', label: 'has a value' },
  { op: 'NOT_HAS_PROPERTY', label: 'has no value' },
] as const;
