import { chunks, type DemoClient, inParallel } from './client.js';
import { CATEGORIES, type DemoPerson, mistypedEmail, typo } from './company.js';
import type { Random } from './random.js';

/** Segment-shaped messages, as analytics.js and the mobile SDKs put them in `/v1/batch`. */
type Message = Record<string, unknown>;

export interface SourceKeys {
  web: string;
  app: string;
  crm: string;
}

const DAY = 86_400_000;
const PRODUCTS = Array.from({ length: 40 }, (_, i) => ({
  sku: `sku-${i + 1}`,
  category: CATEGORIES[i % CATEGORIES.length] as string,
  price: 15 + ((i * 37) % 180),
}));

function at(now: number, daysAgo: number, random: Random): string {
  return new Date(now - daysAgo * DAY - random.int(0, DAY - 1)).toISOString();
}

const web = { library: { name: 'analytics.js', version: 'next-1.84.3' }, locale: 'en-GB' };
const app = { library: { name: 'analytics-ios', version: '4.1.8' }, os: { name: 'iOS' } };

/** One person's web and app history: anonymous browsing, identify, shopping; ordered by time. */
function historyOf(
  person: DemoPerson,
  random: Random,
  now: number,
  dmpId: string | undefined,
): { web: Message[]; app: Message[]; crm: Message[] } {
  const anonymousId = random.uuid();
  const base = (daysAgo: number): Message => ({
    messageId: `demo-${random.hex(20)}`,
    anonymousId,
    timestamp: at(now, daysAgo, random),
    context: {
      ...web,
      page: { url: 'https://shop.example.com/' },
      ...(dmpId
        ? { externalIds: [{ id: dmpId, type: 'dmp_id', collection: 'users', encoding: 'none' }] }
        : {}),
    },
  });
  const out = { web: [] as Message[], app: [] as Message[], crm: [] as Message[] };
  let day = random.int(20, 85);
  const visits = random.int(2, 6);
  for (let v = 0; v < visits; v++) {
    const product = random.pick(
      PRODUCTS.filter((p) => p.category === person.favourite || random.chance(0.2)),
    );
    out.web.push({
      ...base(day),
      type: 'page',
      name: 'Product',
      properties: { path: `/p/${product.sku}`, category: product.category },
    });
    out.web.push({
      ...base(day),
      type: 'track',
      event: 'Product Viewed',
      properties: { sku: product.sku, category: product.category, price: product.price },
    });
    if (random.chance(0.4))
      out.web.push({
        ...base(day),
        type: 'track',
        event: 'Product Added',
        properties: { sku: product.sku, category: product.category, price: product.price },
      });
    day = Math.max(0, day - random.int(1, 12));
  }
  if (!person.identified) return out;
  const userId = person.userId;
  const traits = {
    email: person.email,
    first_name: person.firstName,
    last_name: person.lastName,
    plan: person.plan,
    city: person.city,
    country: person.country,
    company: person.company.name,
  };
  const consent = random.chance(0.6)
    ? {
        consent: {
          categoryPreferences: {
            Advertising: random.chance(0.5),
            Analytics: random.chance(0.8),
            Personalization: random.chance(0.7),
          },
        },
      }
    : {};
  const identify = base(day);
  out.web.push({
    ...identify,
    type: 'identify',
    userId,
    traits,
    context: { ...(identify.context as object), ...consent },
  });
  if (person.customer) {
    for (let o = random.int(1, 4); o > 0; o--) {
      const items = [random.pick(PRODUCTS), random.pick(PRODUCTS)];
      const total = items.reduce((sum, p) => sum + p.price, 0);
      out.web.push({
        ...base(Math.max(0, day - o * random.int(1, 10))),
        type: 'track',
        userId,
        event: 'Order Completed',
        properties: {
          order_id: `ord-${random.hex(8)}`,
          total,
          currency: 'EUR',
          category: items[0]?.category,
          products: items.map((p) => ({ product_id: p.sku, price: p.price, quantity: 1 })),
        },
      });
    }
  }
  if (person.usesApp) {
    const device = random.uuid();
    const appBase = (daysAgo: number): Message => ({
      messageId: `demo-${random.hex(20)}`,
      userId,
      anonymousId: device,
      timestamp: at(now, daysAgo, random),
      context: { ...app, device: { id: device, type: 'ios' } },
    });
    out.app.push({ ...appBase(day), type: 'identify', traits: { email: person.email } });
    for (let s = random.int(1, 5); s > 0; s--) {
      const when = Math.max(0, day - random.int(0, 20));
      out.app.push({ ...appBase(when), type: 'track', event: 'Application Opened' });
      out.app.push({ ...appBase(when), type: 'screen', name: 'Home' });
    }
  }
  if (person.inCrm) {
    // The CRM export spells names its own way; the e-mail (case, spaces) still links the records.
    // A private address: only the name, city and local part link the two records.
    const crmEmail = person.crmMoved
      ? `${person.email.split('@')[0]}@mail.example.net`
      : person.crmEmailTypo
        ? mistypedEmail(person, random)
        : person.email;
    out.crm.push({
      messageId: `demo-${random.hex(20)}`,
      type: 'identify',
      anonymousId: `crm-${random.hex(12)}`,
      timestamp: at(now, random.int(30, 120), random),
      traits: {
        email: ` ${crmEmail.toUpperCase().charAt(0)}${crmEmail.slice(1)} `,
        first_name: random.chance(0.5) ? typo(person.firstName, random) : person.firstName,
        last_name: person.lastName,
        city: person.city,
        // Mistyped records also lack the phone, so the matcher sees only a near-identical person.
        ...(person.crmEmailTypo
          ? {}
          : { phone: `+33 6 ${String(10_000_000 + person.index * 7919).slice(0, 8)}` }),
        lifecycle_stage: person.customer ? 'customer' : 'lead',
      },
      context: { library: { name: 'triad-crm-import', version: '1' } },
    });
  }
  return out;
}

export interface EventsResult {
  accepted: number;
  rejected: number;
}

/** Sends every history in `/v1/batch` requests of up to 200 messages, per source. */
export async function sendEvents(
  client: DemoClient,
  keys: SourceKeys,
  people: DemoPerson[],
  dmpIds: string[],
  random: Random,
  now: number,
): Promise<EventsResult> {
  const all = { web: [] as Message[], app: [] as Message[], crm: [] as Message[] };
  for (const person of people) {
    const history = historyOf(person, random, now, dmpIds[person.index]);
    all.web.push(...history.web);
    all.app.push(...history.app);
    all.crm.push(...history.crm);
  }
  // A mobile build that forgot its IDs: what the rejected-events screen is for.
  for (let i = 0; i < Math.max(1, Math.floor(people.length / 50)); i++) {
    all.app.push({
      messageId: `demo-${random.hex(20)}`,
      type: 'track',
      event: 'Application Backgrounded',
      timestamp: new Date(now - i * 3_600_000).toISOString(),
      context: app,
    });
  }
  const result: EventsResult = { accepted: 0, rejected: 0 };
  const jobs = (['web', 'app', 'crm'] as const).flatMap((source) =>
    chunks(all[source], 200).map((batch) => ({ key: keys[source], batch })),
  );
  await inParallel(jobs, 4, async ({ key, batch }) => {
    const answer = await client.call('POST', '/v1/batch', {
      auth: { writeKey: key },
      body: { batch, sentAt: new Date(now).toISOString() },
    });
    const body = answer.body as { accepted?: number; rejected?: unknown[] };
    result.accepted += body.accepted ?? 0;
    result.rejected += body.rejected?.length ?? 0;
  });
  return result;
}
