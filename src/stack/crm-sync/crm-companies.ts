import { getProfile } from '../../cdp/profiles/index.js';
import {
  type Actor,
  associateRecords,
  type CrmRecord,
  createRecord,
  getRecord,
  searchRecords,
} from '../../crm/index.js';
import type { Clock } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError } from '../../kernel/errors.js';
import type { LogConsumer } from '../../log/consumer.js';
import type { LoggedRecord } from '../../log/event-log.js';
import { writeOffset } from '../../log/table-log.js';

type SyncDeps = Pick<Deps, 'db'> & { clock: Clock };

export const companyConsumerName = 'stack-crm-companies';
const actor: Actor = { id: 'stack:crm-sync', role: 'sales' };

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' && v.length <= 200 ? v.trim() : undefined;

async function maybe<T>(find: () => Promise<T>): Promise<T | undefined> {
  try {
    return await find();
  } catch (error) {
    if (error instanceof AppError && (error.code === 'not_found' || error.code === 'bad_request'))
      return undefined;
    throw error;
  }
}

/** The company domain a group call names: `domain`, else the host of `website`. */
export function domainOf(traits: Json): string | undefined {
  const domain = text(traits.domain);
  if (domain) return domain.toLowerCase().replace(/^www\./, '');
  const website = text(traits.website);
  if (!website) return undefined;
  try {
    const url = new URL(website.includes('://') ? website : `https://${website}`);
    return url.hostname.toLowerCase().replace(/^www\./, '') || undefined;
  } catch {
    return undefined;
  }
}

/** Finds the company by domain (unique in the CRM), else by exact name; creates it if absent. */
async function upsertCompany(deps: SyncDeps, traits: Json): Promise<CrmRecord | undefined> {
  const name = text(traits.name);
  const domain = domainOf(traits);
  if (!name && !domain) return undefined;
  const existing = domain
    ? await maybe(() => getRecord(deps, 'companies', domain, { idProperty: 'domain' }))
    : (
        await searchRecords(deps, 'companies', {
          filterGroups: [{ filters: [{ propertyName: 'name', operator: 'EQ', value: name }] }],
          limit: 1,
        })
      ).records[0];
  if (existing) return existing;
  const properties: Record<string, string> = {
    ...(name ? { name } : { name: domain as string }),
    ...(domain ? { domain } : {}),
  };
  for (const key of ['industry', 'city', 'country'] as const) {
    const value = text(traits[key]);
    if (value) properties[key] = value;
  }
  const employees = traits.employees;
  if (typeof employees === 'number' && Number.isFinite(employees) && employees >= 0)
    properties.numberofemployees = String(Math.round(employees));
  return createRecord(deps, 'companies', { properties }, actor);
}

/** The person's CRM contact, by the e-mail on the event or on their profile. */
async function contactOf(deps: SyncDeps, event: Json): Promise<CrmRecord | undefined> {
  let email = text(asObject(asObject(event.context).traits).email);
  if (!email) {
    const key =
      text(event.userId) !== undefined
        ? `user_id:${text(event.userId)}`
        : `anonymous_id:${text(event.anonymousId) ?? ''}`;
    const profile = await maybe(() => getProfile(deps, key));
    email = profile?.identifiers.find((i) => i.type === 'email')?.value;
  }
  if (!email) return undefined;
  const address = email.toLowerCase();
  return maybe(() => getRecord(deps, 'contacts', address, { idProperty: 'email' }));
}

async function apply(deps: SyncDeps, records: LoggedRecord[]) {
  for (const record of records) {
    if (record.type !== 'group') continue;
    const event = JSON.parse(record.payload) as Json;
    let company: CrmRecord | undefined;
    try {
      company = await upsertCompany(deps, asObject(event.traits));
    } catch (error) {
      // A value the CRM refuses (an over-long name, say) must not stall the log.
      if (error instanceof AppError && error.code === 'validation_failed') continue;
      throw error;
    }
    if (!company) continue;
    const contact = await contactOf(deps, event);
    if (contact) {
      await associateRecords(
        deps,
        { type: 'contacts', id: String(contact.id) },
        { type: 'companies', id: String(company.id) },
        [],
      );
    }
  }
}

/**
 * CDP -> CRM for accounts: every `group` call creates the CRM company its traits describe
 * (matched by domain, else by name) and associates the caller's contact with it.
 * Idempotent, so a redelivered batch changes nothing.
 */
export function companyConsumer(deps: SyncDeps): LogConsumer {
  return {
    name: companyConsumerName,
    async process(records) {
      await apply(deps, records);
      const last = records.at(-1);
      if (last) await writeOffset(deps.db, deps.clock, companyConsumerName, last.seq);
    },
    replay: (records) => apply(deps, records),
  };
}
