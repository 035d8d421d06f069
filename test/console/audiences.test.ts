import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeliveryWorker } from '../../src/cdp/destinations/delivery.worker.js';
import { systemClock } from '../../src/kernel/clock.js';
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
let writeKey: string;
const tag = Math.random().toString(36).slice(2, 8);

const send = (batch: unknown[]) =>
  fetch(`${h.baseUrl}/v1/batch`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ batch }),
  });

beforeAll(async () => {
  h = await startConsoleHarness({ identity: true });
  const source = (await (
    await h.api('/api/v1/sources', { method: 'POST', body: { name: 'Shop' } })
  ).json()) as { writeKey: string };
  writeKey = source.writeKey;
  // Five people: three on the pro plan, two of whom ordered.
  const people = ['a', 'b', 'c', 'd', 'e'].map((p, i) => ({
    userId: `${p}-${tag}`,
    plan: i < 3 ? 'pro' : 'free',
    orders: i < 2 ? 1 : 0,
  }));
  const batch = people.flatMap((p) => [
    { type: 'identify', userId: p.userId, traits: { plan: p.plan } },
    ...Array.from({ length: p.orders }, () => ({
      type: 'track',
      userId: p.userId,
      event: 'Order Completed',
      properties: { total: 30 },
    })),
  ]);
  expect((await send(batch)).status).toBe(200);
  await h.t.drain();
}, setupTimeoutMs);
afterAll(() => h?.close());

interface AudienceBody {
  id: string;
  key: string;
  size: number;
  status: string;
  text: string;
}

describe('audience builder', () => {
  it('builds an audience with the visual editor, following the live estimate', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    const previews: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/v1/audiences/preview')) previews.push(request.url());
    });
    await h.logIn(tracked, await h.userOf('marketer'), '/audiences');
    await page.getByRole('link', { name: 'New audience' }).click();
    await page.getByRole('heading', { name: 'New audience' }).waitFor();
    await page.getByLabel('Audience name').fill('Pro buyers');
    expect(await page.getByLabel('Key').inputValue()).toBe('pro_buyers');

    const rows = page.getByTestId('rule-row');
    await rows.nth(0).getByLabel('Trait', { exact: true }).pressSequentially('plan');
    await rows.nth(0).getByLabel('Value', { exact: true }).pressSequentially('pro');
    const estimate = page.getByTestId('estimate');
    await expect.poll(() => estimate.textContent()).toContain('3 profiles of 5');
    // Typing is debounced: far fewer estimates than keystrokes.
    expect(previews.length).toBeLessThanOrEqual(2);

    await page.getByRole('button', { name: 'Add event condition' }).click();
    await rows.nth(1).getByLabel('Event name', { exact: true }).fill('Order Completed');
    await expect.poll(() => estimate.textContent()).toContain('2 profiles of 5');
    expect(await page.getByTestId('definition-text').textContent()).toBe(
      'trait plan = "pro" and performed "Order Completed"',
    );

    // Any of: the group's combinator changes the estimate too.
    await page.getByLabel('Audience rules: how conditions combine').selectOption('or');
    await expect.poll(() => estimate.textContent()).toContain('3 profiles of 5');
    await page.getByLabel('Audience rules: how conditions combine').selectOption('and');
    await expect.poll(() => estimate.textContent()).toContain('2 profiles of 5');
    await expectLabelled(page);
    await screenshot(page, 'audience-builder');

    await page.getByRole('button', { name: 'Create audience' }).click();
    await page.getByRole('heading', { name: 'Pro buyers', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('audience-size').textContent()).toBe('2');
    const list = (await (await h.api('/api/v1/audiences')).json()) as { data: AudienceBody[] };
    const created = list.data.find((a) => a.key === 'pro_buyers');
    expect(created?.text).toBe('trait plan = "pro" and performed "Order Completed"');
    await expect
      .poll(async () => {
        const one = (await (
          await h.api(`/api/v1/audiences/${created?.id}`)
        ).json()) as AudienceBody;
        return one.size;
      })
      .toBe(2);
    await screenshot(page, 'audience-detail');
    expectNoProblems(tracked);
  });

  it('nests a group: (plan is pro or plan is free) and ordered', async () => {
    const tracked = await h.open({ width: 390, height: 844 });
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('marketer'), '/audiences/new');
    const rows = page.getByTestId('rule-row');
    await rows
      .nth(0)
      .getByLabel(/^Condition 1/)
      .selectOption('event');
    await rows.nth(0).getByLabel('Event name', { exact: true }).fill('Order Completed');
    await page.getByRole('button', { name: 'Add group' }).click();
    const group = page.getByRole('group', { name: /Nested group/ });
    await group.getByLabel('Trait', { exact: true }).fill('plan');
    await group.getByLabel('Value', { exact: true }).fill('free');
    await group.getByRole('button', { name: 'Add trait condition' }).click();
    await group.getByTestId('rule-row').nth(1).getByLabel('Trait', { exact: true }).fill('plan');
    await group.getByTestId('rule-row').nth(1).getByLabel('Value', { exact: true }).fill('pro');
    await expect
      .poll(() => page.getByTestId('definition-text').textContent())
      .toBe('performed "Order Completed" and (trait plan = "free" or trait plan = "pro")');
    await expect.poll(() => page.getByTestId('estimate').textContent()).toContain('2 profiles');
    await expectNoPageOverflow(page);
    await screenshot(page, 'audience-builder-phone');
    expectNoProblems(tracked);
  });

  it('creates a computed trait', async () => {
    const tracked = await h.open({ colorScheme: 'dark' });
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('marketer'), '/computed-traits');
    await page.getByLabel('Key').fill('orders_total');
    await page.getByLabel('Name', { exact: true }).fill('Order total');
    await page.getByLabel('Aggregation').selectOption('sum');
    await page.getByLabel('Event (empty: every track event)').fill('Order Completed');
    await page.getByLabel('Property').fill('total');
    await page.getByRole('button', { name: 'Create computed trait' }).click();
    await page.getByRole('cell', { name: 'orders_total' }).waitFor();
    expect(await page.locator('tbody tr').first().textContent()).toContain(
      'sum of total over “Order Completed”',
    );
    const traits = (await (await h.api('/api/v1/computed-traits')).json()) as {
      data: { key: string; definition: unknown }[];
    };
    expect(traits.data.find((t) => t.key === 'orders_total')?.definition).toMatchObject({
      aggregation: 'sum',
      event: 'Order Completed',
      property: 'total',
    });
    await screenshot(page, 'computed-traits-dark');
    expectNoProblems(tracked);
  });

  it('shows a destination’s dead letters and redrives them', async () => {
    // A loopback address is refused by the egress guard: the message goes straight to dead.
    const created = (await (
      await h.api('/api/v1/destinations', {
        method: 'POST',
        body: {
          name: 'Warehouse hook',
          kind: 'events',
          url: 'http://127.0.0.1:9/hook',
          settings: { types: ['track'], events: ['Refund'], consentPurpose: 'none' },
        },
      })
    ).json()) as { id: string };
    expect((await send([{ type: 'track', userId: `a-${tag}`, event: 'Refund' }])).status).toBe(200);
    await h.t.drain();
    const worker = startDeliveryWorker({ db: h.t.testStore.store.db, clock: systemClock });
    try {
      await expect
        .poll(async () => {
          await worker.runOnce();
          const page = (await (
            await h.api(`/api/v1/destinations/${created.id}/deliveries?status=dead`)
          ).json()) as { data: unknown[] };
          return page.data.length;
        })
        .toBe(1);
    } finally {
      await worker.stop();
    }

    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('marketer'), '/destinations');
    await page.getByRole('link', { name: 'Warehouse hook' }).click();
    await page.getByRole('heading', { name: 'Warehouse hook', level: 1 }).waitFor();
    await page.getByLabel('Status').selectOption('dead');
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('dead');
    await rows.first().getByRole('button', { name: /^evt-/ }).click();
    await page.getByLabel('Attempts').waitFor();
    await expectLabelled(page);
    await screenshot(page, 'destination-dead-letters');
    const deliveries = async () =>
      (
        (await (await h.api(`/api/v1/destinations/${created.id}/deliveries`)).json()) as {
          data: { id: string; status: string; attempts: number }[];
        }
      ).data;
    const [before] = await deliveries();
    await page.getByRole('button', { name: 'Redrive all dead letters' }).click();
    await page.getByText('1 dead message queued again.').waitFor();
    // Queued again: pending, or already re-attempted by the app's delivery worker (the address
    // is still refused, so it may be dead again, with one more attempt).
    await expect
      .poll(async () => {
        const [after] = await deliveries();
        return after?.status !== 'dead' || (after?.attempts ?? 0) > (before?.attempts ?? 0);
      })
      .toBe(true);
    expectNoProblems(tracked);
  });
});
