import {
  type CrmChange,
  type CrmRecord,
  committedPrefix,
  crmChangesSince,
  getRecord,
  isWonStage,
  listAssociations,
  loadPipelines,
  type ObjectType,
  type Pipeline,
} from '../../crm/index.js';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError } from '../../kernel/errors.js';
import { appendCrmMessages, type ContactRef, contactIdentity } from './crm-events.js';
import * as repo from './crm-sync.repository.js';

type SyncDeps = Pick<Deps, 'db' | 'clock'>;

/** Track event names of the interactions created in the CRM, with the properties they carry. */
const createdEvents: Partial<Record<ObjectType, { event: string; properties: string[] }>> = {
  calls: {
    event: 'CRM Call Logged',
    properties: ['hs_call_title', 'hs_call_direction', 'hs_call_duration', 'hs_call_status'],
  },
  emails: {
    event: 'CRM Email Logged',
    properties: ['hs_email_subject', 'hs_email_direction', 'hs_email_status'],
  },
  meetings: {
    event: 'CRM Meeting Logged',
    properties: ['hs_meeting_title', 'hs_meeting_start_time', 'hs_meeting_outcome'],
  },
  // A note's body is free text about the person: it stays in the CRM.
  notes: { event: 'CRM Note Added', properties: [] },
  tickets: {
    event: 'CRM Ticket Opened',
    properties: ['subject', 'hs_pipeline', 'hs_pipeline_stage', 'hs_ticket_priority'],
  },
};

/**
 * Contact properties that become profile traits, under Segment's reserved trait names. A
 * contact created or edited in the CRM (imported, typed in by a seller) is thereby a profile
 * too, so the person's later web visits merge into it.
 */
const contactTraits: Record<string, string> = {
  email: 'email',
  phone: 'phone',
  firstname: 'first_name',
  lastname: 'last_name',
  company: 'company',
  jobtitle: 'title',
  lifecyclestage: 'lifecycle_stage',
};

/** An identify message for a contact's created or changed identity properties. */
function contactIdentify(change: CrmChange): Record<string, unknown> | undefined {
  if (change.objectType !== 'contacts') return undefined;
  if (change.kind !== 'created' && change.kind !== 'updated' && change.kind !== 'stage_changed')
    return undefined;
  const values = newValues(change);
  const traits: Record<string, string> = {};
  for (const [property, trait] of Object.entries(contactTraits)) {
    const value = values[property];
    if (value !== undefined && value !== null && value !== '') traits[trait] = value;
  }
  if (Object.keys(traits).length === 0) return undefined;
  const identity = contactIdentity({ id: change.objectId, email: values.email || undefined });
  return {
    type: 'identify',
    messageId: `crm-${change.id}-identify`,
    timestamp: change.at,
    traits,
    anonymousId: identity.anonymousId,
    context: { externalIds: identity.context.externalIds },
  };
}

const offsetKey = 'changes_offset';
const maxContacts = 20;

/** The live contacts associated with a record (none when it is gone). */
async function contactsOf(deps: SyncDeps, type: ObjectType, id: number): Promise<ContactRef[]> {
  let ids: number[];
  try {
    const page = await listAssociations(deps, { type, id: String(id) }, 'contacts', {
      after: undefined,
      limit: maxContacts,
    });
    ids = page.results.map((r) => r.toObjectId);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return [];
    throw error;
  }
  const contacts: ContactRef[] = [];
  for (const contactId of ids) {
    const contact = await findRecord(deps, 'contacts', contactId);
    if (contact) contacts.push({ id: contact.id, email: contact.properties.email || undefined });
  }
  return contacts;
}

async function findRecord(deps: SyncDeps, type: ObjectType, id: number) {
  try {
    return await getRecord(deps, type, String(id), { archived: true });
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return undefined;
    throw error;
  }
}

function pick(values: Record<string, string | null | undefined>, names: string[]) {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = values[name];
    if (value !== undefined && value !== null && value !== '') out[name] = value;
  }
  return out;
}

function newValues(change: CrmChange): Record<string, string | null> {
  return Object.fromEntries(Object.entries(change.changes).map(([k, v]) => [k, v.new]));
}

interface Built {
  event: string;
  suffix: string;
  properties: Record<string, unknown>;
}

/** The events one change produces (before they are addressed to its contacts). */
function eventsOf(change: CrmChange, deal: CrmRecord | undefined, pipelines: Pipeline[]): Built[] {
  const objectId = String(change.objectId);
  const spec = createdEvents[change.objectType];
  if (spec && change.kind === 'created') {
    const properties = {
      crm_object_type: change.objectType,
      crm_object_id: objectId,
      ...pick(newValues(change), spec.properties),
    };
    return [{ event: spec.event, suffix: '', properties }];
  }
  if (change.objectType !== 'deals' || !deal) return [];
  const stage = change.changes.dealstage;
  if (!stage?.new || (change.kind !== 'stage_changed' && change.kind !== 'created')) return [];
  const pipelineId = deal.properties.pipeline ?? change.changes.pipeline?.new ?? '';
  const pipeline = pipelines.find((p) => p.id === pipelineId);
  const stageDef = pipeline?.stages.find((s) => s.id === stage.new);
  const amount = Number(deal.properties.amount);
  const common = {
    deal_id: objectId,
    pipeline: pipelineId,
    stage: stage.new,
    ...(deal.properties.dealname ? { deal_name: deal.properties.dealname } : {}),
    ...(deal.properties.deal_currency_code ? { currency: deal.properties.deal_currency_code } : {}),
  };
  const out: Built[] = [];
  // A deal created in a stage has not changed stage; only a move is a `Deal Stage Changed`.
  if (change.kind === 'stage_changed') {
    out.push({
      event: 'Deal Stage Changed',
      suffix: '',
      properties: {
        ...common,
        previous_stage: stage.old,
        ...(deal.properties.amount && Number.isFinite(amount) ? { amount } : {}),
      },
    });
  }
  if (stageDef && isWonStage(stageDef)) {
    out.push({
      event: 'Order Completed',
      suffix: '-won',
      properties: {
        ...common,
        order_id: `deal-${objectId}`,
        ...(deal.properties.amount && Number.isFinite(amount) ? { revenue: amount } : {}),
      },
    });
  }
  return out;
}

/** The track messages of one change, one per associated contact. */
async function messagesOf(deps: SyncDeps, change: CrmChange, pipelines: Pipeline[]) {
  const identify = contactIdentify(change);
  if (identify) return [identify];
  const relevant =
    (createdEvents[change.objectType] && change.kind === 'created') ||
    (change.objectType === 'deals' && change.changes.dealstage !== undefined);
  if (!relevant) return [];
  const deal =
    change.objectType === 'deals' ? await findRecord(deps, 'deals', change.objectId) : undefined;
  const built = eventsOf(change, deal, pipelines);
  if (built.length === 0) return [];
  const contacts = await contactsOf(deps, change.objectType, change.objectId);
  const messages: Record<string, unknown>[] = [];
  for (const [i, contact] of contacts.entries()) {
    for (const b of built) {
      // The first contact keeps the plain id so one-contact records read `crm-<changeId>`.
      const who = i === 0 ? '' : `-c${contact.id}`;
      messages.push({
        type: 'track',
        event: b.event,
        messageId: `crm-${change.id}${b.suffix}${who}`,
        timestamp: change.at,
        properties: b.properties,
        ...contactIdentity(contact),
      });
    }
  }
  return messages;
}

/**
 * One pass of the CRM -> CDP flow: follows the CRM change feed from its stored offset and
 * appends contacts (created or edited: an identify with their identity traits) and the interactions (calls, e-mails, meetings, notes, tickets opened, deal stage moves,
 * closed-won deals as `Order Completed`) as track events of the `crm` source, addressed to the
 * associated contacts by e-mail and `crm_contact_id`. Returns the number of events appended.
 */
export async function syncCrmToCdp(deps: SyncDeps, batchSize = 200): Promise<number> {
  let appended = 0;
  let pipelines: Pipeline[] | undefined;
  for (;;) {
    const offset = Number((await repo.readState(deps.db, offsetKey)) ?? '0');
    const fetched = await crmChangesSince(deps.db, offset, batchSize);
    const changes = committedPrefix(fetched, offset, deps.clock.now());
    const last = changes.at(-1);
    if (!last) return appended;
    pipelines ??= await loadPipelines(deps.db, 'deals');
    const messages: Record<string, unknown>[] = [];
    for (const change of changes) messages.push(...(await messagesOf(deps, change, pipelines)));
    const outcomes: repo.SyncOutcome[] = [];
    for (let i = 0; i < messages.length; i += 100) {
      const result = await appendCrmMessages(deps, messages.slice(i, i + 100));
      appended += result.appended;
      for (const r of result.rejections) {
        outcomes.push({
          direction: 'crm_to_cdp',
          ref: r.messageId ?? '',
          outcome: 'refused',
          detail: `${r.code}: ${r.reason}`,
        });
      }
    }
    const at = iso(deps.clock.now());
    // The offset moves only after the events are durable; a crash in between replays the
    // batch, and the deterministic message ids make the replay append nothing new.
    await deps.db.transaction().execute(async (trx) => {
      await repo.recordOutcomes(trx, outcomes, at);
      await repo.writeState(trx, offsetKey, String(last.id), at);
    });
    if (changes.length < batchSize) return appended;
  }
}
