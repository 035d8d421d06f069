import type { Role } from '../../access/roles.js';
import { getProfile } from '../../cdp/profiles/index.js';
import { type CrmRecord, can, listAssociations, searchRecords } from '../../crm/index.js';
import { type DmpDeps, segmentNamesOf } from '../../dmp/index.js';
import { type ConsentDecision, consentAllows, consentsFor } from '../../privacy/index.js';

/** CRM object types shown on a customer, in this order. */
const crmTypes = ['contacts', 'companies', 'deals', 'tickets'] as const;
type CrmType = (typeof crmTypes)[number];

/** Traits the intelligence layer writes: shown apart from what the customer told us. */
const predictionTrait = /^(predicted_|recommended_items$)/;

export interface CustomerView {
  profile: {
    id: string;
    firstSeen: string;
    lastSeen: string;
    identifiers: { type: string; value: string }[];
    traits: Record<string, unknown>;
    computedTraits: Record<string, unknown>;
  };
  audiences: string[];
  predictions: Record<string, unknown>;
  consents: ConsentDecision[];
  /** CRM records of the person (found by e-mail and CRM contact ID), by type; only types the caller may read. */
  crm: Partial<Record<CrmType, { id: string; properties: Record<string, string> }[]>>;
  /**
   * DMP segments the person is in, by name only, and only with advertising and profiling
   * consent; otherwise `withheld` says why.
   */
  advertising: { segments: string[] } | { withheld: string };
}

const maxRecords = 50;

/**
 * Everything Triad knows about one person in one call: the unified profile, its audiences,
 * predictions and consents, the CRM records that are theirs (and the companies, deals and
 * tickets those contacts are associated with), and the names of their DMP segments.
 */
export async function customer360(deps: DmpDeps, key: string, role: Role): Promise<CustomerView> {
  const profile = await getProfile(deps, key);
  const identifiers = profile.identifiers.map((i) => ({ type: i.type, value: i.value }));
  const traits: Record<string, unknown> = {};
  const predictions: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(profile.traits)) {
    (predictionTrait.test(name) ? predictions : traits)[name] = value;
  }
  const consents = await consentsFor(deps.db, identifiers);
  const crm = await crmRecordsOf(deps, identifiers, role);
  const dmpIds = identifiers.filter((i) => i.type === 'dmp_id').map((i) => i.value);
  const advertisingAllowed =
    consentAllows(consents, 'advertising') && consentAllows(consents, 'profiling');
  const advertising = advertisingAllowed
    ? { segments: await segmentNamesOf(deps, dmpIds) }
    : { withheld: 'no consent for advertising and profiling' };
  return {
    profile: {
      id: profile.id,
      firstSeen: profile.firstSeen,
      lastSeen: profile.lastSeen,
      identifiers,
      traits,
      computedTraits: profile.computedTraits,
    },
    audiences: profile.audiences,
    predictions,
    consents,
    crm,
    advertising,
  };
}

async function crmRecordsOf(
  deps: DmpDeps,
  identifiers: { type: string; value: string }[],
  role: Role,
): Promise<CustomerView['crm']> {
  const emails = identifiers.filter((i) => i.type === 'email').map((i) => i.value);
  const contactIds = identifiers.filter((i) => i.type === 'crm_contact_id').map((i) => i.value);
  const out: CustomerView['crm'] = {};
  if (!can(role, 'contacts', 'read')) return out;
  const groups = [
    ...(emails.length > 0
      ? [{ filters: [{ propertyName: 'email', operator: 'IN', values: emails }] }]
      : []),
    ...(contactIds.length > 0
      ? [{ filters: [{ propertyName: 'hs_object_id', operator: 'IN', values: contactIds }] }]
      : []),
  ];
  if (groups.length === 0) return out;
  const contacts = await searchRecords(deps, 'contacts', {
    filterGroups: groups,
    limit: maxRecords,
  });
  out.contacts = contacts.records.map(view);
  if (contacts.records.length === 0) return out;
  for (const type of crmTypes.slice(1)) {
    if (!can(role, type, 'read')) continue;
    const ids = new Set<string>();
    for (const contact of contacts.records) {
      const linked = await listAssociations(
        deps,
        { type: 'contacts', id: String(contact.id) },
        type,
        { after: undefined, limit: maxRecords },
      );
      for (const l of linked.results) ids.add(String(l.toObjectId));
    }
    if (ids.size === 0) {
      out[type] = [];
      continue;
    }
    const page = await searchRecords(deps, type, {
      filterGroups: [
        { filters: [{ propertyName: 'hs_object_id', operator: 'IN', values: [...ids] }] },
      ],
      limit: maxRecords,
    });
    out[type] = page.records.map(view);
  }
  return out;
}

function view(record: CrmRecord) {
  return { id: String(record.id), properties: record.properties };
}
