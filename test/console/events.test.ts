import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConsoleHarness,
  expectLabelled,
  expectNoProblems,
  screenshot,
  setupTimeoutMs,
  startConsoleHarness,
} from './harness.js';

let h: ConsoleHarness;
let writeKey: string;
const userId = `user-${Math.random().toString(36).slice(2, 10)}`;
const messageId = `msg-${Math.random().toString(36).slice(2, 10)}`;

const send = (path: string, body: unknown) =>
  fetch(`${h.baseUrl}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  h = await startConsoleHarness();
  const source = (await (
    await h.api('/api/v1/sources', { method: 'POST', body: { name: 'Shop' } })
  ).json()) as { writeKey: string };
  writeKey = source.writeKey;
  // The client's clock is an hour fast: the stored timestamp is corrected by the skew.
  const now = Date.now();
  const hourAhead = (ms: number) => new Date(ms + 3_600_000).toISOString();
  const tracked = await send('/v1/track', {
    userId,
    messageId,
    event: 'Order Completed',
    properties: { total: 42, currency: 'EUR' },
    timestamp: hourAhead(now - 5_000),
    sentAt: hourAhead(now),
  });
  expect(tracked.status).toBe(200);
  // Someone else's events must not show up under the filter.
  expect((await send('/v1/track', { userId: 'someone-else', event: 'Noise' })).status).toBe(200);
  // A track without an event name is refused and kept with its reason.
  expect((await send('/v1/track', { userId, properties: { lost: true } })).status).toBe(400);
}, setupTimeoutMs);
afterAll(() => h?.close());

describe('event explorer', () => {
  it('finds an event by user ID and opens its payload', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('marketer'), '/events');
    await page.getByRole('heading', { name: 'Event explorer' }).waitFor();
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);

    await page.getByLabel('User ID', { exact: true }).fill(userId);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Order Completed');
    expect(new URL(page.url()).searchParams.get('userId')).toBe(userId);
    // The per-minute chart is drawn from the listed page.
    await page.getByRole('figure', { name: 'Events per minute on this page' }).waitFor();
    const curve = page.locator('.recharts-area-curve').first();
    await curve.waitFor();
    expect(await curve.getAttribute('d')).toMatch(/^M/);
    await expectLabelled(page);
    await screenshot(page, 'explorer-filtered');

    await rows.first().getByRole('button').click();
    const drawer = page.getByRole('dialog', { name: 'track: Order Completed' });
    await drawer.waitFor();
    const payload = JSON.parse(
      (await drawer.getByLabel('Event payload (JSON)').textContent()) ?? '',
    );
    expect(payload).toMatchObject({ userId, messageId, properties: { total: 42 } });
    expect(await drawer.textContent()).toContain('Received at (server clock)');
    // Corrected timestamp: 5 s before it was received, despite the client's fast clock.
    expect(await drawer.textContent()).toMatch(/5\.\d s earlier/);
    await screenshot(page, 'explorer-detail');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    expectNoProblems(tracked);
  });

  it('global search finds the user and the message, and leads to the explorer', async () => {
    const tracked = await h.open({ colorScheme: 'dark' });
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('marketer'));
    const box = page.getByRole('searchbox', {
      name: 'Search by email, user ID, anonymous ID or message ID',
    });
    await box.fill(userId);
    await box.press('Enter');
    const group = page.getByRole('region', { name: 'Events by user ID' });
    await group.waitFor();
    expect(await group.getByRole('listitem').count()).toBe(1);
    await screenshot(page, 'search-dark');
    await group.getByRole('link', { name: 'Open in the explorer' }).click();
    await page.getByRole('heading', { name: 'Event explorer' }).waitFor();
    expect(new URL(page.url()).searchParams.get('userId')).toBe(userId);
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);

    await box.fill(messageId);
    await box.press('Enter');
    await page.getByRole('region', { name: 'Event by message ID' }).waitFor();
    await box.fill('nobody-has-this-id');
    await box.press('Enter');
    await page.getByText('Nothing matches “nobody-has-this-id”').waitFor();
    expectNoProblems(tracked);
  });

  it('lists rejected events with their reason', async () => {
    const tracked = await h.open({ colorScheme: 'dark' });
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('marketer'), '/events/rejected');
    await page.getByRole('heading', { name: 'Rejected events' }).waitFor();
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    const stored = (await (await h.api('/api/v1/events/rejected')).json()) as {
      data: { code: string; reason: string }[];
    };
    const first = stored.data[0];
    expect(first).toBeDefined();
    expect(await rows.first().textContent()).toContain(first?.reason);
    expect(await rows.first().textContent()).toContain(first?.code);
    await screenshot(page, 'rejected-dark');
    await rows.first().getByRole('button').click();
    const drawer = page.getByRole('dialog');
    await drawer.waitFor();
    expect(await drawer.getByLabel('The rejected input (JSON)').textContent()).toContain(
      '"lost": true',
    );
    expectNoProblems(tracked);
  });

  it('pages through events with the cursor, forwards and back', async () => {
    // 60 more events than a page holds (50), all for one user.
    const pagedUser = `paged-${Math.random().toString(36).slice(2, 8)}`;
    const batch = Array.from({ length: 60 }, (_, i) => ({
      type: 'track',
      userId: pagedUser,
      event: `Step ${i}`,
    }));
    expect((await send('/v1/batch', { batch })).status).toBe(200);
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('marketer'), `/events?userId=${pagedUser}`);
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(50);
    const pager = page.getByRole('navigation', { name: 'Event pages' });
    await pager.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => rows.count()).toBe(10);
    expect(await pager.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await pager.getByRole('button', { name: 'Previous' }).click();
    await expect.poll(() => rows.count()).toBe(50);
    expectNoProblems(tracked);
  });
});
