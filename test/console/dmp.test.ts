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
const ids: Record<string, string> = {};

interface ReachBody {
  suppressed: boolean;
  reach: { estimate: number; low: number; high: number; confidence: number } | null;
}

const post = async (path: string, body: unknown) => {
  const res = await h.api(path, { method: 'POST', body });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
};

beforeAll(async () => {
  h = await startConsoleHarness({ dmp: { minSegmentSize: 50 } });
  const sports = await post('/api/v1/dmp/traits', {
    name: 'Sports reader',
    rule: { conditions: [{ key: 'section', op: 'eq', value: 'sports' }] },
  });
  const cars = await post('/api/v1/dmp/traits', {
    name: 'Car shopper',
    rule: { conditions: [{ key: 'intent', op: 'eq', value: 'car' }] },
  });
  ids.sports = await post('/api/v1/dmp/segments', { name: 'Sports fans', expression: sports });
  ids.cars = await post('/api/v1/dmp/segments', {
    name: 'Car intenders',
    expression: cars,
    taxonomyIds: [1],
  });
  ids.both = await post('/api/v1/dmp/segments', {
    name: 'Sporty drivers',
    expression: `${sports} AND ${cars}`,
  });
  // 200 devices read sports, 120 of them (and 30 others) shop for cars: 150 car shoppers,
  // 120 in both; "Sporty drivers" is all of them too.
  const signals = Array.from({ length: 230 }, (_, i) => ({
    id: { type: 'ifa', value: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}` },
    signals:
      i < 200
        ? i < 120
          ? { section: 'sports', intent: 'car' }
          : { section: 'sports' }
        : { intent: 'car' },
  }));
  const res = await h.api('/dmp/v1/signals', {
    method: 'POST',
    body: { signals: signals.slice(0, 230) },
  });
  expect(res.status).toBeLessThan(300);
}, setupTimeoutMs);
afterAll(() => h?.close());

describe('DMP', () => {
  it('lists segments with reach intervals, compares them and opens one’s reach', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('advertiser'), '/advertising/segments');
    await page.getByRole('heading', { name: 'Segments', level: 1 }).waitFor();
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    const chart = page.getByRole('figure', {
      name: 'Reach of each segment with its confidence interval',
    });
    await chart.locator('.recharts-bar-rectangle').first().waitFor();
    expect(await chart.locator('.recharts-errorBar').count()).toBeGreaterThan(0);
    expect(await chart.textContent()).toContain('Sports fans: 200');

    await page.getByLabel('Compare Sports fans').check();
    await page.getByLabel('Compare Car intenders').check();
    const heatmap = page.getByTestId('overlap-heatmap');
    await heatmap.waitFor();
    const overlap = (await (
      await h.api(`/api/v1/dmp/segments/${ids.sports}/overlap?with=${ids.cars}`)
    ).json()) as { overlap: { estimate: number } };
    await expect
      .poll(() => heatmap.locator('td.heat').allTextContents())
      .toEqual(['200', String(overlap.overlap.estimate), String(overlap.overlap.estimate), '150']);
    await expectLabelled(page);
    await screenshot(page, 'segments');

    await page.getByRole('link', { name: 'Car intenders' }).click();
    await page.getByRole('heading', { name: 'Car intenders', level: 1 }).waitFor();
    const reach = page.getByTestId('reach');
    await expect.poll(() => reach.textContent()).toContain('150');
    expect(await page.getByText('Taxonomy IDs: 1').count()).toBe(1);
    await page.getByLabel('Confidence level').selectOption('0.99');
    const at99 = (await (
      await h.api(`/api/v1/dmp/segments/${ids.cars}/reach?confidence=0.99`)
    ).json()) as ReachBody;
    await expect.poll(() => reach.textContent()).toContain('99% interval');
    expect(await reach.textContent()).toContain(`${at99.reach?.low}`);
    await page
      .getByRole('figure', { name: 'Reach of Car intenders with its confidence interval' })
      .waitFor();
    await screenshot(page, 'segment-reach');
    expectNoProblems(tracked);
  });

  it('analysts see reach without the rules they may not read', async () => {
    const tracked = await h.open({ width: 390, height: 844, colorScheme: 'dark' });
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('analyst'), `/advertising/segments/${ids.sports}`);
    await page.getByRole('heading', { name: 'Sports fans', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('reach').textContent()).toContain('200');
    expect(await page.getByRole('heading', { name: 'Rule' }).count()).toBe(0);
    await expectNoPageOverflow(page);
    await screenshot(page, 'segment-reach-analyst-phone');
    expectNoProblems(tracked);
  });

  it('browses and searches the taxonomy; lists traits', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('advertiser'), '/advertising/taxonomy');
    const tree = page.getByRole('region', { name: 'Taxonomy tree' });
    await tree.getByRole('button', { name: 'Demographic' }).click();
    await tree.getByRole('button', { name: 'Age Range' }).click();
    await tree.getByText('18-20', { exact: true }).waitFor();
    expect(
      await tree.getByRole('button', { name: 'Demographic' }).getAttribute('aria-expanded'),
    ).toBe('true');
    await screenshot(page, 'taxonomy-tree');
    await page.getByLabel('Search nodes').fill('Age Range');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const results = page.getByRole('region', { name: 'Search results' });
    await results.getByText('Demographic › Age Range', { exact: true }).waitFor();
    await expectLabelled(page);

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Traits' })
      .click();
    await page.getByRole('cell', { name: 'Car shopper' }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(2);
    expect(await page.locator('tbody').textContent()).toContain('intent eq "car"');
    expectNoProblems(tracked);
  });
});
