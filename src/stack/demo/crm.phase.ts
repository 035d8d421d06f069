import { chunks, type DemoClient, inParallel } from './client.js';
import { type DemoCompany, type DemoPerson, typo } from './company.js';
import type { Random } from './random.js';

const DAY = 86_400_000;
const assoc = (id: string, typeId: number) => ({
  to: { id },
  types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }],
});

interface Pipeline {
  id: string;
  stages: { id: string; metadata: Record<string, string> }[];
}
interface Batch {
  results: { id: string; properties: Record<string, string | null> }[];
}

export interface CrmResult {
  companies: number;
  contacts: number;
  deals: number;
  pipelines: number;
  tickets: number;
  calls: number;
  emails: number;
  notes: number;
}

async function createAll(
  client: DemoClient,
  type: string,
  inputs: { properties: Record<string, string>; associations?: unknown[] }[],
): Promise<number> {
  let created = 0;
  for (const batch of chunks(inputs, 100)) {
    const answer = await client.json<Batch>('POST', `/crm/v3/objects/${type}/batch/create`, {
      inputs: batch,
    });
    created += answer.results.length;
  }
  return created;
}

/** Companies, the contacts a CRM would hold (names as sales typed them), deals, support, activity. */
export async function buildCrm(
  client: DemoClient,
  people: DemoPerson[],
  companies: DemoCompany[],
  random: Random,
  now: number,
  tag: string,
): Promise<CrmResult> {
  const companyIds = new Map<string, string>();
  for (const batch of chunks(companies, 100)) {
    const answer = await client.json<Batch>('POST', '/crm/v3/objects/companies/batch/upsert', {
      inputs: batch.map((c) => ({
        id: c.domain,
        idProperty: 'domain',
        properties: { name: c.name, domain: c.domain, industry: c.industry, city: c.city },
      })),
    });
    for (const r of answer.results) companyIds.set(String(r.properties.domain), r.id);
  }

  const inCrm = people.filter((p) => p.inCrm || p.customer);
  const contactIds = new Map<number, string>();
  for (const batch of chunks(inCrm, 100)) {
    const answer = await client.json<Batch>('POST', '/crm/v3/objects/contacts/batch/upsert', {
      inputs: batch.map((p) => ({
        id: p.email,
        idProperty: 'email',
        properties: {
          email: p.email,
          firstname: random.chance(0.2) ? typo(p.firstName, random) : p.firstName,
          lastname: p.lastName,
          company: p.company.name,
          jobtitle: random.pick(['Buyer', 'Store manager', 'Head of sport', 'Founder', 'Coach']),
          lifecyclestage: p.customer ? 'customer' : random.pick(['lead', 'marketingqualifiedlead']),
        },
      })),
    });
    const byEmail = new Map(answer.results.map((r) => [String(r.properties.email), r.id]));
    for (const p of batch) {
      const id = byEmail.get(p.email);
      if (id !== undefined) contactIds.set(p.index, id);
    }
  }
  // Link each contact to its company with HubSpot's default (primary) association.
  await inParallel(inCrm, 6, async (p) => {
    const from = contactIds.get(p.index);
    const to = companyIds.get(p.company.domain);
    if (from && to)
      await client.call(
        'PUT',
        `/crm/v4/objects/contacts/${from}/associations/default/companies/${to}`,
      );
  });

  const partnerships = await client.json<Pipeline>('POST', '/crm/v3/pipelines/deals', {
    label: `Partnerships (${tag})`,
    displayOrder: 1,
    stages: [
      { label: 'Intro call', displayOrder: 0, metadata: { probability: 0.1 } },
      { label: 'Pilot', displayOrder: 1, metadata: { probability: 0.4 } },
      { label: 'Contract sent', displayOrder: 2, metadata: { probability: 0.8 } },
      { label: 'Signed', displayOrder: 3, metadata: { probability: 1, isClosed: 'true' } },
      { label: 'Lost', displayOrder: 4, metadata: { probability: 0, isClosed: 'true' } },
    ],
  });
  const sales = await client.json<Pipeline>('GET', '/crm/v3/pipelines/deals/default');
  const support = await client.json<Pipeline>('GET', '/crm/v3/pipelines/tickets/0');

  const contacts = inCrm.filter((p) => contactIds.has(p.index));
  const day = (n: number) => new Date(now - n * DAY).toISOString();
  const deals = contacts
    .filter(() => random.chance(0.5))
    .map((p) => {
      const pipeline = random.chance(0.7) ? sales : partnerships;
      const stage = random.pick(pipeline.stages);
      const contactId = contactIds.get(p.index) as string;
      const companyId = companyIds.get(p.company.domain);
      return {
        properties: {
          dealname: `${p.company.name} – ${random.pick(['Spring range', 'Team kit', 'Renewal', 'Store fit-out', 'Pilot'])}`,
          amount: String(random.int(5, 200) * 100),
          pipeline: pipeline.id,
          dealstage: stage.id,
          closedate: day(random.int(-60, 90)),
        },
        associations: [assoc(contactId, 3), ...(companyId ? [assoc(companyId, 341)] : [])],
      };
    });
  const tickets = contacts
    .filter(() => random.chance(0.25))
    .map((p) => ({
      properties: {
        subject: random.pick([
          'Order not delivered',
          'Wrong size',
          'Refund request',
          'Login problem',
          'Invoice copy',
        ]),
        content: `Reported by ${p.firstName} ${p.lastName}`,
        hs_pipeline: support.id,
        hs_pipeline_stage: random.pick(support.stages).id,
        hs_ticket_priority: random.pick(['LOW', 'MEDIUM', 'HIGH']),
      },
      associations: [assoc(contactIds.get(p.index) as string, 16)],
    }));
  const calls = contacts
    .filter(() => random.chance(0.5))
    .map((p) => ({
      properties: {
        hs_timestamp: day(random.int(0, 60)),
        hs_call_title: `Call with ${p.firstName}`,
        hs_call_body: 'Discussed the next order and delivery dates.',
        hs_call_direction: random.pick(['OUTBOUND', 'INBOUND']),
        hs_call_duration: String(random.int(60, 1800) * 1000),
        hs_call_status: 'COMPLETED',
      },
      associations: [assoc(contactIds.get(p.index) as string, 194)],
    }));
  const emails = contacts
    .filter(() => random.chance(0.4))
    .map((p) => ({
      properties: {
        hs_timestamp: day(random.int(0, 60)),
        hs_email_subject: 'Your quote',
        hs_email_text: `Hello ${p.firstName}, please find our quote attached.`,
        hs_email_direction: 'EMAIL',
        hs_email_status: 'SENT',
      },
      associations: [assoc(contactIds.get(p.index) as string, 198)],
    }));
  const notes = contacts
    .filter(() => random.chance(0.4))
    .map((p) => ({
      properties: {
        hs_timestamp: day(random.int(0, 90)),
        hs_note_body: `${p.firstName} prefers e-mail; interested in ${p.favourite}.`,
      },
      associations: [assoc(contactIds.get(p.index) as string, 202)],
    }));
  return {
    companies: companyIds.size,
    contacts: contactIds.size,
    pipelines: 2,
    deals: await createAll(client, 'deals', deals),
    tickets: await createAll(client, 'tickets', tickets),
    calls: await createAll(client, 'calls', calls),
    emails: await createAll(client, 'emails', emails),
    notes: await createAll(client, 'notes', notes),
  };
}
