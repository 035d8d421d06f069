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
const tag = Math.random().toString(36).slice(2, 8);
const day = 86_400_000;
const at = (daysAgo: number, minute = 0) =>
  new Date(Date.now() - daysAgo * day + minute * 60_000).toISOString();

beforeAll(async () => {
  h = await startConsoleHarness({ identity: true });
  const source = (await (
    await h.api('/api/v1/sources', { method: 'POST', body: { name: 'Shop' } })
  ).json()) as { writeKey: string };
  const track = (user: string, event: string, timestamp: string) => ({
    type: 'track',
    userId: `${user}-${tag}`,
    event,
    timestamp,
  });
  const batch = [
    // Ann was first seen nine days ago and came back to buy.
    track('ann', 'Signed Up', at(9)),
    track('ann', 'Product Viewed', at(2)),
    track('ann', 'Added to Cart', at(2, 5)),
    track('ann', 'Order Completed', at(2, 10)),
    track('bob', 'Product Viewed', at(2)),
    track('bob', 'Added to Cart', at(2, 3)),
    track('cy', 'Product Viewed', at(2)),
    track('dee', 'Product Viewed', at(2)),
  ];
  const sent = await fetch(`${h.baseUrl}/v1/batch`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ batch }),
  });
  expect(sent.status).toBe(200);
  await h.t.drain();
  const model = await h.api('/api/v1/predictions', { method: 'POST', body: { kind: 'purchase' } });
  expect(model.status).toBe(201);
}, setupTimeoutMs);
afterAll(() => h?.close());

describe('insights', () => {
  it('charts event volume, a funnel and retention cohorts', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('marketer'), '/insights');
    await page.getByRole('heading', { name: 'Insights', level: 1 }).waitFor();
    const volume = page.getByTestId('caption-Event volume');
    await expect.poll(() => volume.textContent()).toMatch(/^8 events from/);
    expect(await volume.textContent()).toContain('Product Viewed 4');
    await expect
      .poll(() =>
        page
          .getByRole('figure', { name: 'Event volume' })
          .locator('.recharts-bar-rectangle')
          .count(),
      )
      .toBeGreaterThan(0);
    await page.getByRole('combobox', { name: /^Event/ }).selectOption('Added to Cart');
    await expect.poll(() => volume.textContent()).toMatch(/^2 events from/);

    await page.getByLabel('Step 1').fill('Product Viewed');
    await page.getByLabel('Step 2').fill('Added to Cart');
    await page.getByLabel('Step 3').fill('Order Completed');
    await page.getByRole('button', { name: 'Show funnel' }).click();
    const funnel = page.getByTestId('caption-Funnel');
    await expect
      .poll(() => funnel.textContent())
      .toContain('1. Product Viewed: 4 (100% of step 1)');
    expect(await funnel.textContent()).toContain('2. Added to Cart: 2 (50% of step 1');
    expect(await funnel.textContent()).toContain(
      '3. Order Completed: 1 (25% of step 1, 50% of the step before)',
    );

    const cohorts = page.getByTestId('retention').locator('tbody tr');
    await expect.poll(() => cohorts.count()).toBe(2);
    // Ann's week: one profile, back the next week (7 days later); the others' week: three.
    expect(await cohorts.nth(0).textContent()).toMatch(/^\d{4}-\d\d-\d\d1100%100%$/);
    expect(await cohorts.nth(1).textContent()).toMatch(/^\d{4}-\d\d-\d\d3100%$/);
    await expectLabelled(page);
    await expectNoPageOverflow(page);
    await screenshot(page, 'insights');
    expectNoProblems(tracked);
  });

  it('lists prediction models with their quality for analysts', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('analyst'), '/predictions');
    await page.getByRole('heading', { name: 'Prediction quality', level: 1 }).waitFor();
    const row = page.locator('tbody tr', { hasText: 'predicted_purchase_30d' });
    await expect.poll(() => row.textContent()).toContain('purchase 30d');
    expect(await row.textContent()).toContain('not yet');
    // Not trained: no AUC to draw yet.
    expect(await page.getByRole('figure', { name: 'AUC against the baseline' }).count()).toBe(0);
    await screenshot(page, 'predictions');
    expectNoProblems(tracked);
  });
});
