import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, scanSqliteFile } from './journey/scan.js';
import { launchChromium, type Shop, startShop, trackedContext, triadHost } from './journey/site.js';
import { apiClient, startRole, type TriadProcess, until } from './journey/triad.js';

/**
 * The stack's journey, end to end, with real processes: `triad start --role api` and
 * `--role worker` on one SQLite file, headless Chromium running analytics.js from Triad on a
 * shop's pages, and the public APIs only. An anonymous browser gets a DMP ID and a DMP
 * segment from a campaign, browses and identifies; the CDP merges it into the profile a CRM
 * import made; it becomes marketing qualified, a CRM contact with an owner and a deal; the deal
 * is won, the purchase reaches the timeline, the DMP suppresses the browser as a customer and
 * attribution credits the campaign. Then an erase request, and a scan of every table.
 */
const root = resolve(fileURLToPath(import.meta.url), '../../..');
const artifacts = join(root, '.artifacts', 'journey');
const adminToken = 'journey-admin-token-0123456789';

// The person. Spelled by the CRM export with capitals, as CRM exports do.
const run = Date.now().toString(36);
const email = `grace.journey.${run}@example.org`;
const crmEmail = `Grace.Journey.${run}@Example.org`;
const phone = '+14155550187';
// The sales team typed the number its own way; the website has it in E.164.
const crmPhone = '(415) 555-0187';
const lastName = `Hopperjourney${run}`;
const userId = `shop-user-${run}`;
const campaign = { source: 'google', medium: 'cpc', name: `spring-${run}` };

interface Identifier {
  type: string;
  value: string;
}
interface Profile {
  id: string;
  traits: Record<string, unknown>;
  identifiers: Identifier[];
  mergedFrom: string[];
  audiences: string[];
}
interface TimelineEvent {
  type: string;
  event: string | null;
  sourceId: string;
  payload: Record<string, unknown> & { properties?: Record<string, unknown> };
}
interface CrmRecord {
  id: string;
  properties: Record<string, string | null>;
}

let dataDir: string;
let api: TriadProcess | undefined;
let worker: TriadProcess | undefined;
let workerStarting: Promise<TriadProcess>;
let call: ReturnType<typeof apiClient>;
let browserUrl: string;
let shop: Shop | undefined;
let browser: Browser | undefined;
let context: BrowserContext;
let tab: Page;
let problems: string[] = [];
let requested: string[] = [];
let stopped = false;

// What the journey learns along the way.
const ids = {
  webSource: '',
  writeKey: '',
  dmpSegment: '',
  dmpId: '',
  anonymousId: '',
  profileId: '',
  salesUserId: '',
  teamId: '',
  mqlAudience: '',
  customersAudience: '',
  contactId: '',
  dealId: '',
};

async function ok<T>(
  method: string,
  path: string,
  body?: unknown,
  status = method === 'POST' ? 201 : 200,
  contentType?: string,
): Promise<T> {
  const res = await call<T>(method, path, body, contentType);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}

async function shot(name: string) {
  await tab.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

const profileOf = async (key: string) => {
  const res = await call<Profile>('GET', `/api/v1/profiles/${encodeURIComponent(key)}`);
  return res.status === 200 ? res.body : undefined;
};

const timeline = async (key: string) =>
  (
    await ok<{ data: TimelineEvent[] }>(
      'GET',
      `/api/v1/profiles/${encodeURIComponent(key)}/events?limit=100`,
    )
  ).data;

const dmpSegmentsOf = async (dmpId: string) =>
  (await ok<{ segments: string[] }>('GET', `/dmp/v1/ids/${dmpId}/segments`)).segments;

beforeAll(async () => {
  // Screenshots of an earlier run must not pass for this one's.
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'triad-journey-'));
  // The API process migrates the store; the worker joins it once that is done.
  api = await startRole('api', { dataDir, adminToken });
  // The setup below needs the API only; the worker's consumers catch up from the log.
  workerStarting = startRole('worker', { dataDir, adminToken });
  workerStarting.then(
    (w) => {
      worker = w;
    },
    () => {},
  );
  call = apiClient(api.url, adminToken);
  browserUrl = `http://${triadHost}:${new URL(api.url).port}`;
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
  if (!stopped)
    await Promise.all([
      api?.stop(),
      workerStarting?.then(
        (w) => w.stop(),
        () => {},
      ),
    ]);
  // JOURNEY_KEEP=1 keeps the store for a look at what went wrong.
  if (process.env.JOURNEY_KEEP) console.log(`journey store kept in ${dataDir}`);
  else rmSync(dataDir, { recursive: true, force: true });
});

// Each step builds on the one before: after a failure the rest are skipped, not failed again.
let broken = false;
function step(name: string, fn: () => Promise<void>, timeout = 60_000) {
  it(
    name,
    async (ctx) => {
      if (broken) ctx.skip();
      try {
        await fn();
      } catch (error) {
        broken = true;
        throw error;
      }
    },
    timeout,
  );
}

describe('the stack journey: DMP visitor -> CDP profile -> CRM deal -> erasure', () => {
  step(
    'sets up the stack through its APIs',
    async () => {
      // CDP sources: the website, and the CDP side of the CRM import.
      const web = await ok<{ id: string; writeKey: string }>('POST', '/api/v1/sources', {
        name: 'Website',
      });
      ids.webSource = web.id;
      ids.writeKey = web.writeKey;

      // DMP: a trait realized by the campaign's visitors, a segment of them, the shop as a sync
      // partner so its pages can read the DMP ID back.
      const trait = await ok<{ id: string }>('POST', '/api/v1/dmp/traits', {
        name: 'Spring campaign click',
        rule: { conditions: [{ key: 'utm_campaign', op: 'eq', value: campaign.name }] },
      });
      ids.dmpSegment = (
        await ok<{ id: string }>('POST', '/api/v1/dmp/segments', {
          name: 'Spring campaign visitors',
          expression: trait.id,
        })
      ).id;
      await ok('POST', '/api/v1/dmp/partners', {
        id: 'shop',
        name: 'Shop',
        domains: ['shop.example.com'],
      });

      // CRM: a sales rep in an inbound team.
      ids.salesUserId = (
        await ok<{ user: { id: string } }>('POST', '/api/v1/users', {
          email: `sam.seller.${run}@triad-staff.example.net`,
          role: 'sales',
          name: 'Sam Seller',
        })
      ).user.id;
      ids.teamId = (
        await ok<{ id: string }>('POST', '/api/v1/crm/teams', {
          name: 'Inbound',
          members: [{ userId: ids.salesUserId }],
        })
      ).id;

      // CDP audiences: marketing qualified (known e-mail, asked for a demo) and customers.
      ids.mqlAudience = (
        await ok<{ id: string }>('POST', '/api/v1/audiences', {
          key: 'marketing_qualified',
          name: 'Marketing qualified',
          text: 'trait email exists and performed "Demo Requested"',
        })
      ).id;
      ids.customersAudience = (
        await ok<{ id: string }>('POST', '/api/v1/audiences', {
          key: 'customers',
          name: 'Customers',
          text: 'performed "Order Completed"',
        })
      ).id;
      for (const id of [ids.mqlAudience, ids.customersAudience]) {
        await until(`audience ${id} ready`, async () => {
          const a = await ok<{ status: string }>('GET', `/api/v1/audiences/${id}`);
          return a.status === 'ready' ? true : undefined;
        });
      }

      // CDP -> CRM: marketing qualified people become contacts owned by the team; entering the
      // audience opens a deal, and a new deal gets an owner from the same team.
      await ok('PUT', '/api/v1/stack/crm-sync', {
        rules: [
          {
            audienceKey: 'marketing_qualified',
            lifecycleStage: 'marketingqualifiedlead',
            ownerTeamId: ids.teamId,
          },
        ],
      });
      await ok('POST', '/api/v1/crm/workflows', {
        name: 'Open a deal for new MQLs',
        trigger: { type: 'audience_entered', audienceId: 'marketing_qualified' },
        steps: [
          {
            id: 'deal',
            type: 'create_record',
            objectType: 'deals',
            properties: {
              dealname: 'Team plan',
              pipeline: 'default',
              dealstage: 'appointmentscheduled',
              amount: '1200',
            },
          },
        ],
      });
      // `create_record` leaves the deal without an owner (it does not take the contact's), so
      // a second workflow routes new deals.
      await ok('POST', '/api/v1/crm/workflows', {
        name: 'Route new deals',
        trigger: { type: 'record_created', objectType: 'deals' },
        steps: [{ id: 'owner', type: 'assign_owner', teamId: ids.teamId }],
      });

      // CDP -> DMP: customers are suppressed from advertising.
      await ok('PUT', '/api/v1/stack/dmp-sync', {
        lists: [{ name: 'existing-customers', audience: 'customers', kind: 'suppression' }],
      });
    },
    60_000,
  );

  step(
    'imports the person into the CRM, which makes them a CDP profile',
    async () => {
      worker = await workerStarting;
      const csv = `Email,First name,Last name,Phone,Stage\n${crmEmail},Grace,${lastName},"${crmPhone}",lead\n`;
      const mapping = {
        objectType: 'contacts',
        columns: {
          Email: 'email',
          'First name': 'firstname',
          'Last name': 'lastname',
          Phone: 'phone',
          Stage: 'lifecyclestage',
        },
        idProperty: 'email',
      };
      const crmImport = await ok<{ id: string }>(
        'POST',
        `/api/v1/crm/imports?mapping=${encodeURIComponent(JSON.stringify(mapping))}`,
        csv,
        202,
        'text/csv',
      );
      const done = await until('the CRM import', async () => {
        const s = await ok<{ status: string; rowsCreated: number; rowsFailed: number }>(
          'GET',
          `/api/v1/crm/imports/${crmImport.id}`,
        );
        return s.status === 'done' || s.status === 'failed' ? s : undefined;
      });
      expect(done).toMatchObject({ status: 'done', rowsCreated: 1, rowsFailed: 0 });
      const contact = await ok<CrmRecord>(
        'GET',
        `/crm/v3/objects/contacts/${encodeURIComponent(email)}?idProperty=email&properties=email,lifecyclestage,hubspot_owner_id`,
      );
      ids.contactId = contact.id;
      expect(contact.properties.email?.toLowerCase()).toBe(email);
      expect(contact.properties.lifecyclestage).toBe('lead');

      // The CRM -> CDP flow turns the new contact into an identify of the `crm` source: the
      // import alone makes the profile the visitor will later merge into.
      await ok('POST', '/api/v1/stack/crm-sync/run', undefined, 200);
      const profile = await until('the profile of the imported contact', () =>
        profileOf(`email:${email}`),
      );
      expect(profile.identifiers).toContainEqual(
        expect.objectContaining({ type: 'crm_contact_id', value: String(ids.contactId) }),
      );
      ids.profileId = profile.id;
    },
    150_000,
  );

  step(
    'the anonymous browser lands from the campaign, gets a DMP ID and the DMP segment',
    async () => {
      shop = await startShop({ triadUrl: browserUrl, writeKey: ids.writeKey, userId });
      ({ context, problems, requested } = await trackedContext(browser as Browser));
      tab = await context.newPage();
      const query = `utm_source=${campaign.source}&utm_medium=${campaign.medium}&utm_campaign=${campaign.name}`;
      await tab.goto(`${shop.url}/?${query}`);
      await tab.getByText('DMP ID synced').waitFor();

      const cookies = await until('the first-party copy of the DMP ID', async () => {
        const all = await context.cookies();
        const firstParty = all.find(
          (c) => c.name === 'triad_dmp_id' && c.domain === 'shop.example.com',
        );
        return firstParty ? all : undefined;
      });
      const dmpCookie = cookies.find((c) => c.name === 'triad_dmp_id' && c.domain === triadHost);
      const firstParty = cookies.find(
        (c) => c.name === 'triad_dmp_id' && c.domain === 'shop.example.com',
      );
      expect(dmpCookie?.httpOnly).toBe(true);
      expect(dmpCookie?.value).toMatch(/^td_[0-9a-z]{26}$/);
      expect(firstParty?.value).toBe(dmpCookie?.value);
      ids.dmpId = dmpCookie?.value ?? '';
      ids.anonymousId =
        cookies.find((c) => c.name === 'ajs_anonymous_id')?.value.replaceAll('"', '') ?? '';
      expect(ids.anonymousId).not.toBe('');
      await shot('1-landing');

      // The campaign click realized the trait: the anonymous ID is in the segment.
      expect(await dmpSegmentsOf(ids.dmpId)).toEqual([ids.dmpSegment]);
    },
    60_000,
  );

  step(
    'browses and identifies; the CDP merges the visitor into the imported profile',
    async () => {
      await tab.getByRole('link', { name: 'See team pricing' }).click();
      await tab.getByRole('heading', { name: 'Team pricing' }).waitFor();
      await shot('2-pricing');
      await tab.getByLabel('Work e-mail').fill(email);
      await tab.getByRole('button', { name: 'Request a demo' }).click();
      await tab.getByText('Thanks, we will be in touch.').waitFor();
      await shot('3-demo-requested');

      // page (landing), page (pricing), identify, track.
      const events = await until('the four browser events', async () => {
        const page = await ok<{ data: TimelineEvent[] }>(
          'GET',
          `/api/v1/events?sourceId=${ids.webSource}&limit=50`,
        );
        return page.data.length >= 4 ? page.data : undefined;
      });
      expect(events.map((e) => e.type).sort()).toEqual(['identify', 'page', 'page', 'track']);
      const identify = events.find((e) => e.type === 'identify');
      expect(identify?.payload).toMatchObject({
        userId,
        anonymousId: ids.anonymousId,
        context: {
          library: { name: 'analytics.js' },
          externalIds: [{ id: ids.dmpId, type: 'dmp_id', collection: 'users', encoding: 'none' }],
          consent: { categoryPreferences: { Advertising: true } },
        },
      });

      const merged = await until('one profile for the visitor and the CRM import', async () => {
        const p = await profileOf(`dmp_id:${ids.dmpId}`);
        return p?.identifiers.some((i) => i.type === 'crm_contact_id') ? p : undefined;
      });
      expect(merged.identifiers).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'email', value: email }),
          expect.objectContaining({ type: 'user_id', value: userId }),
          expect.objectContaining({ type: 'anonymous_id', value: ids.anonymousId }),
          expect.objectContaining({ type: 'crm_contact_id', value: String(ids.contactId) }),
          expect.objectContaining({ type: 'dmp_id', value: ids.dmpId }),
        ]),
      );
      // The CRM import's traits are on the unified profile.
      // (A phone typed without a country code cannot be made E.164; it is kept as typed.)
      expect(merged.traits).toMatchObject({
        first_name: 'Grace',
        last_name: lastName,
        phone: crmPhone,
      });
      ids.profileId = merged.id;

      // The browser's part is over: nothing went wrong in it and nothing left the two hosts.
      await context.close();
      expect(problems).toEqual([]);
      expect(
        requested.filter((u) => !u.startsWith(shop?.url ?? '-') && !u.startsWith(browserUrl)),
      ).toEqual([]);
      expect(requested).toContain(`${browserUrl}/analytics.js/v1/${ids.writeKey}/analytics.min.js`);
      for (const name of ['1-landing', '2-pricing', '3-demo-requested']) {
        expect(existsSync(join(artifacts, `${name}.png`)), name).toBe(true);
      }
    },
    60_000,
  );

  step(
    'enters marketing qualified; the CRM contact gets the stage, an owner and a deal',
    async () => {
      await until('the marketing qualified audience', async () => {
        const p = await profileOf(`email:${email}`);
        return p?.audiences.includes('marketing_qualified') ? p : undefined;
      });
      await ok('POST', '/api/v1/stack/crm-sync/run', undefined, 200);
      const contact = await until('the contact as an owned MQL', async () => {
        const c = await ok<CrmRecord>(
          'GET',
          `/crm/v3/objects/contacts/${ids.contactId}?properties=email,lifecyclestage,hubspot_owner_id,firstname,lastname`,
        );
        return c.properties.lifecyclestage === 'marketingqualifiedlead' ? c : undefined;
      });
      // The imported contact was found by e-mail, not duplicated.
      expect(contact.properties.email?.toLowerCase()).toBe(email);
      expect(contact.properties).toMatchObject({
        firstname: 'Grace',
        lastname: lastName,
        hubspot_owner_id: ids.salesUserId,
      });
      const search = await ok<{ total: number }>(
        'POST',
        '/crm/v3/objects/contacts/search',
        { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: email }] }] },
        200,
      );
      expect(search.total).toBe(1);
      // The contact's record ID is now one of the profile's identifiers.
      await until('the crm_contact_id identifier', async () => {
        const p = await profileOf(`email:${email}`);
        return p?.identifiers.some((i) => i.type === 'crm_contact_id' && i.value === ids.contactId)
          ? p
          : undefined;
      });

      const deal = await until(
        'a deal with an owner, associated with the contact',
        async () => {
          const assoc = await ok<{ results: { toObjectId: string | number }[] }>(
            'GET',
            `/crm/v4/objects/contacts/${ids.contactId}/associations/deals`,
          );
          const first = assoc.results[0];
          if (!first) return undefined;
          const d = await ok<CrmRecord>(
            'GET',
            `/crm/v3/objects/deals/${first.toObjectId}?properties=dealname,dealstage,amount,hubspot_owner_id`,
          );
          return d.properties.hubspot_owner_id ? d : undefined;
        },
        30_000,
        300,
      );
      expect(deal.properties).toMatchObject({
        dealname: 'Team plan',
        dealstage: 'appointmentscheduled',
        hubspot_owner_id: ids.salesUserId,
      });
      ids.dealId = deal.id;
    },
    60_000,
  );

  step(
    'the deal is won: the purchase is on the timeline and the DMP suppresses the customer',
    async () => {
      await ok('PATCH', `/crm/v3/objects/deals/${ids.dealId}`, {
        properties: { dealstage: 'closedwon', closedate: new Date().toISOString() },
      });
      await ok('POST', '/api/v1/stack/crm-sync/run', undefined, 200);
      const events = await until('Order Completed on the profile timeline', async () => {
        const list = await timeline(`email:${email}`);
        return list.some((e) => e.event === 'Order Completed') ? list : undefined;
      });
      const order = events.find((e) => e.event === 'Order Completed');
      expect(order?.payload.properties).toMatchObject({
        order_id: `deal-${ids.dealId}`,
        deal_id: ids.dealId,
        revenue: 1200,
        stage: 'closedwon',
      });
      expect(events.map((e) => e.event)).toEqual(
        expect.arrayContaining(['Demo Requested', 'Deal Stage Changed', 'Order Completed']),
      );

      await until('the customers audience', async () => {
        const p = await profileOf(`email:${email}`);
        return p?.audiences.includes('customers') ? p : undefined;
      });
      // The dmp-sync job (worker, every 15 s) puts the browser on the suppression list; the API
      // process then stops activating it.
      const lists = await until(
        'the DMP ID on the existing-customers list',
        async () => {
          const status = await ok<{ lists: { name: string; size: number }[] }>(
            'GET',
            '/api/v1/stack/dmp-sync',
          );
          return status.lists.find((l) => l.name === 'existing-customers' && l.size === 1)
            ? status.lists
            : undefined;
        },
        35_000,
        500,
      );
      expect(lists).toHaveLength(1);
      await until(
        'no segments for the suppressed DMP ID',
        async () => ((await dmpSegmentsOf(ids.dmpId)).length === 0 ? true : undefined),
        5_000,
      );
      const c360 = await ok<{ audiences: string[]; advertising: { segments?: string[] } }>(
        'GET',
        `/api/v1/customers/email:${encodeURIComponent(email)}`,
      );
      expect(c360.audiences).toEqual(expect.arrayContaining(['marketing_qualified', 'customers']));
      expect(c360.advertising).toEqual({ segments: [] });
    },
    60_000,
  );

  step('attribution credits the campaign and the DMP segment', async () => {
    const day = new Date().toISOString().slice(0, 10);
    const byCampaign = await ok<{
      rows: { key: string; label: string; deals: number; revenue: number }[];
      unattributed: { deals: number };
    }>('GET', `/api/v1/stack/attribution?from=${day}&to=${day}&by=campaign`);
    expect(byCampaign.rows).toEqual([
      { key: `${campaign.source}/${campaign.name}`, label: campaign.name, deals: 1, revenue: 1200 },
    ]);
    expect(byCampaign.unattributed.deals).toBe(0);
    const bySegment = await ok<{ rows: { key: string; label: string; revenue: number }[] }>(
      'GET',
      `/api/v1/stack/attribution?from=${day}&to=${day}&by=dmp_segment`,
    );
    expect(bySegment.rows).toEqual([
      expect.objectContaining({
        key: ids.dmpSegment,
        label: 'Spring campaign visitors',
        revenue: 1200,
      }),
    ]);
  });

  step(
    'an erase request removes the person from every store; no table holds an identifier',
    async () => {
      const filed = await ok<{ id: string }>(
        'POST',
        '/api/v1/privacy/requests',
        { type: 'erase', identity: { type: 'email', value: email } },
        202,
      );
      const done = await until('the erase request', async () => {
        const r = await ok<{
          status: string;
          receipts: { store: string; status: string; affected: number }[];
        }>('GET', `/api/v1/privacy/requests/${filed.id}`);
        return r.status === 'completed' || r.status === 'failed' ? r : undefined;
      });
      expect(done.status).toBe('completed');
      expect(done.receipts.filter((r) => r.status !== 'completed')).toEqual([]);
      const affected = Object.fromEntries(done.receipts.map((r) => [r.store, r.affected]));
      for (const store of ['events', 'crm', 'dmp', 'identity', 'audiences', 'consents']) {
        expect(affected[store], store).toBeGreaterThan(0);
      }
      expect(
        (await call('GET', `/api/v1/profiles/email:${encodeURIComponent(email)}`)).status,
      ).toBe(404);
      expect((await call('GET', `/crm/v3/objects/contacts/${ids.contactId}`)).status).toBe(404);

      // The browser comes back with its old cookie. Every HTTP process reloads the erased
      // identifiers every 10 s (the privacy-suppressions job); after that, the DMP must give the
      // browser a fresh, unlinked ID instead of bringing the erased one back.
      await new Promise((r) => setTimeout(r, 11_000));
      const hit = await fetch(`${api?.url}/dmp/v1/px?page=home`, {
        headers: { cookie: `triad_dmp_id=${ids.dmpId}` },
      });
      expect(hit.status).toBe(200);
      const fresh = /triad_dmp_id=(td_[0-9a-z]{26})/.exec(hit.headers.get('set-cookie') ?? '')?.[1];
      expect(fresh).toBeDefined();
      expect(fresh).not.toBe(ids.dmpId);

      // Stop both processes (the store is checkpointed), then read every table of the file.
      const codes = await Promise.all([api?.stop(), worker?.stop()]);
      stopped = true;
      expect(codes).toEqual([0, 0]);
      const file = join(dataDir, 'triad.db');
      const needles = [
        email,
        userId,
        ids.anonymousId,
        ids.dmpId,
        phone,
        phone.slice(1),
        crmPhone,
        lastName,
        `crm-contact-${ids.contactId}`,
      ];
      const scan = scanSqliteFile(file, needles);
      expect(scan.tables).toBeGreaterThan(40);
      expect(scan.hits).toEqual([]);
      // Deleted content does not linger in free pages either (`secure_delete`), nor in a WAL.
      for (const bytesOf of [file, `${file}-wal`].filter((f) => existsSync(f))) {
        const raw = readFileSync(bytesOf);
        for (const needle of needles) {
          expect(raw.includes(Buffer.from(needle)), `${needle} in ${bytesOf}`).toBe(false);
        }
      }

      // Kept on purpose (docs/privacy.md): the suppression list, as salted digests only.
      const suppressed = rowsOf(file, 'privacy_suppressions');
      const types = new Set(suppressed.map((r) => r.identity_type));
      for (const type of ['email', 'user_id', 'anonymous_id', 'dmp_id'])
        expect(types).toContain(type);
      // HMAC-SHA-256, base64url: 43 characters, none of them the value.
      for (const row of suppressed) expect(String(row.digest)).toMatch(/^[\w-]{43}$/);
    },
    60_000,
  );
});
