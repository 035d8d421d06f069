import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConsoleHarness,
  expectLabelled,
  expectNoPageOverflow,
  expectNoProblems,
  screenshot,
  setupTimeoutMs,
  startConsoleHarness,
} from './harness.js';

let h: ConsoleHarness;
const deals: Record<string, string> = {};
let contactId: string;

interface RecordBody {
  id: string;
  properties: Record<string, string | null>;
}

const create = async (type: string, properties: Record<string, string>) => {
  const res = await h.api(`/crm/v3/objects/${type}`, { method: 'POST', body: { properties } });
  expect(res.status).toBe(201);
  return ((await res.json()) as RecordBody).id;
};

const stageOf = async (id: string) => {
  const res = await h.api(`/crm/v3/objects/deals/${id}?properties=dealstage`);
  return ((await res.json()) as RecordBody).properties.dealstage;
};

beforeAll(async () => {
  h = await startConsoleHarness();
  for (const [name, amount] of [
    ['Acme renewal', '1200'],
    ['Globex pilot', '800.5'],
    ['Initech upgrade', '3000'],
  ] as const) {
    deals[name] = await create('deals', {
      dealname: name,
      amount,
      pipeline: 'default',
      dealstage: 'appointmentscheduled',
    });
  }
  contactId = await create('contacts', {
    email: 'grace@example.com',
    firstname: 'Grace',
    lastname: 'Hopper',
  });
  const note = await create('notes', {
    hs_timestamp: '2026-05-01T10:00:00.000Z',
    hs_note_body: 'Asked for a demo of the pipeline board',
  });
  const linked = await h.api(
    `/crm/v4/objects/notes/${note}/associations/default/contacts/${contactId}`,
    { method: 'PUT' },
  );
  expect(linked.status).toBeLessThan(300);
  const dealLink = await h.api(
    `/crm/v4/objects/deals/${deals['Acme renewal']}/associations/default/contacts/${contactId}`,
    { method: 'PUT' },
  );
  expect(dealLink.status).toBeLessThan(300);
}, setupTimeoutMs);
afterAll(() => h?.close());

describe('CRM', () => {
  it('moves a deal across the pipeline board by dragging it, and by keyboard', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('sales'), '/pipeline');
    await page.getByRole('heading', { name: 'Pipeline board' }).waitFor();
    const column = (stage: string) => page.locator(`[data-stage="${stage}"]`);
    const card = page.locator(`[data-deal="${deals['Acme renewal']}"]`);
    await expect.poll(() => column('appointmentscheduled').locator('.board-card').count()).toBe(3);
    expect(await column('appointmentscheduled').textContent()).toContain('5,000.5');
    await screenshot(page, 'board-before');

    await card.dragTo(column('qualifiedtobuy'));
    await expect.poll(() => column('qualifiedtobuy').locator('.board-card').count()).toBe(1);
    await expect.poll(() => stageOf(deals['Acme renewal'] ?? '')).toBe('qualifiedtobuy');
    expect(await column('qualifiedtobuy').textContent()).toContain('1,200');

    // The keyboard alternative: the card's stage menu.
    const stageMenu = page.getByLabel('Stage of Globex pilot');
    await stageMenu.focus();
    await stageMenu.selectOption('closedwon');
    await expect.poll(() => stageOf(deals['Globex pilot'] ?? '')).toBe('closedwon');
    await expect.poll(() => column('closedwon').locator('.board-card').count()).toBe(1);
    await expectLabelled(page);
    await expectNoPageOverflow(page);
    await screenshot(page, 'board-after');
    expectNoProblems(tracked);
  });

  it('lists deals with a filter, a sort and the amount total', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('sales'), '/deals');
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    const total = page.getByTestId('amount-total');
    await expect.poll(() => total.textContent()).toContain('5,000.5 over all 3');

    await page.getByRole('button', { name: 'Amount' }).click();
    await expect.poll(() => rows.first().textContent()).toContain('Initech upgrade');
    await page.getByRole('button', { name: 'Amount' }).click();
    await expect.poll(() => rows.first().textContent()).toContain('Globex pilot');

    await page.getByLabel(/^Property/).selectOption('amount');
    await page.getByLabel(/^Condition/).selectOption('GTE');
    await page.getByLabel('Value', { exact: true }).fill('1000');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => rows.count()).toBe(2);
    await expect.poll(() => total.textContent()).toContain('4,200 over all 2');
    await expectLabelled(page);
    await screenshot(page, 'deals-table');
    expectNoProblems(tracked);
  });

  it('opens a contact with its properties, associated deal and activity timeline', async () => {
    const tracked = await h.open({ colorScheme: 'dark' });
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('sales'), '/contacts');
    await page.getByRole('link', { name: 'Grace' }).click();
    await page.getByRole('heading', { name: 'Grace Hopper', level: 1 }).waitFor();
    expect(await page.getByTestId('properties').textContent()).toContain('grace@example.com');
    await page.getByRole('link', { name: 'Acme renewal' }).waitFor();
    const timeline = page.getByRole('list', { name: 'Activities, newest first' });
    await timeline.getByText('Asked for a demo of the pipeline board').waitFor();
    await expectLabelled(page);
    await screenshot(page, 'contact-record-dark');
    await page.getByRole('link', { name: 'Acme renewal' }).click();
    await page.getByRole('heading', { name: 'Acme renewal', level: 1 }).waitFor();
    expectNoProblems(tracked);
  });

  it('support agents see tickets and contacts, without refused calls', async () => {
    await create('tickets', { subject: 'Cannot log in', hs_pipeline: '0', hs_pipeline_stage: '1' });
    const tracked = await h.open({ width: 390, height: 844 });
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('support'), '/tickets');
    await page.getByRole('link', { name: 'Cannot log in' }).click();
    await page.getByRole('heading', { name: 'Cannot log in', level: 1 }).waitFor();
    await page.getByText('The support role may not read activities.').waitFor();
    await expectNoPageOverflow(page);
    await screenshot(page, 'ticket-phone');
    expectNoProblems(tracked);
  });
});

describe('duplicate suggestions', () => {
  it('a support agent merges one suggestion and dismisses another', async () => {
    const dup = await startConsoleHarness({ identity: true });
    try {
      const source = (await (
        await dup.api('/api/v1/sources', { method: 'POST', body: { name: 'Forms' } })
      ).json()) as { writeKey: string };
      const people = ['Jonathan Smith', 'Jon Smith', 'Mary Jones', 'Marie Jones'];
      const sent = await fetch(`${dup.baseUrl}/v1/batch`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          batch: people.map((name, i) => ({
            type: 'identify',
            anonymousId: `form-${i}`,
            traits: { name, city: 'London' },
          })),
        }),
      });
      expect(sent.status).toBe(200);
      await dup.t.drain();
      // The review band of a scan is put up directly, as a scan would (the matcher's scores on
      // four profiles are not a stable fixture).
      const db = dup.t.testStore.store.db;
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await dup.api(`/api/v1/profiles/anonymous_id:form-${i}`);
        ids.push(((await res.json()) as { id: string }).id);
      }
      const now = new Date().toISOString();
      const explanation = JSON.stringify([
        { field: 'name', level: 'jaro_winkler_0.88', weight: 4.2 },
        { field: 'city', level: 'exact', weight: 1.5 },
      ]);
      const row = (a: string, b: string) => ({
        id: `${a}|${b}`,
        profile_a: a,
        profile_b: b,
        probability: 0.72,
        explanation,
        status: 'open',
        created_at: now,
        updated_at: now,
      });
      await db
        .insertInto('identity_duplicates')
        .values([row(ids[0] ?? '', ids[1] ?? ''), row(ids[2] ?? '', ids[3] ?? '')])
        .execute();

      const tracked = await dup.open();
      const { page } = tracked;
      await dup.logIn(tracked, await dup.userOf('support'), '/duplicates');
      const cards = page.getByTestId('duplicate');
      await expect.poll(() => cards.count()).toBe(2);
      expect(await cards.first().textContent()).toContain('72% likely the same');
      await expectLabelled(page);
      await screenshot(page, 'duplicates');
      await cards
        .filter({ hasText: ids[0] ?? '' })
        .getByRole('button', { name: 'Merge' })
        .click();
      await expect.poll(() => cards.count()).toBe(1);
      await cards.getByRole('button', { name: 'Dismiss' }).click();
      await page.getByText('No open suggestions.').waitFor();
      const merged = (await (
        await dup.api('/api/v1/identity/duplicates?status=merged')
      ).json()) as {
        data: { id: string }[];
      };
      expect(merged.data.map((d) => d.id)).toEqual([`${ids[0]}|${ids[1]}`]);
      await dup.t.drain();
      const a = (await (await dup.api('/api/v1/profiles/anonymous_id:form-0')).json()) as {
        id: string;
      };
      const b = (await (await dup.api('/api/v1/profiles/anonymous_id:form-1')).json()) as {
        id: string;
      };
      expect(a.id).toBe(b.id);
      await page.getByRole('button', { name: 'dismissed' }).click();
      await expect.poll(() => cards.count()).toBe(1);
      expectNoProblems(tracked);
    } finally {
      await dup.close();
    }
  });
});
