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
const ids: Record<string, string> = {};
const ifa = (i: number) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;

const post = async (path: string, body: unknown) => {
  const res = await h.api(path, { method: 'POST', body });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as Record<string, unknown>;
};

beforeAll(async () => {
  h = await startConsoleHarness({ dmp: { minSegmentSize: 20 } });
  const trait = async (name: string, key: string, value: string) =>
    (await post('/api/v1/dmp/traits', {
      name,
      rule: { conditions: [{ key, op: 'eq', value }] },
    })) as { id: string };
  const sports = await trait('Sports reader', 'section', 'sports');
  await trait('Runner', 'interest', 'running');
  await trait('News reader', 'page', 'news');
  ids.sports = (
    (await post('/api/v1/dmp/segments', { name: 'Sports fans', expression: sports.id })) as {
      id: string;
    }
  ).id;
  // 100 sports fans, 80 of them runners; of 300 others, 60 run and the rest read the news:
  // runners who do not read sports are the lookalikes to find.
  const signals = Array.from({ length: 400 }, (_, i) => ({
    id: { type: 'ifa', value: ifa(i) },
    signals:
      i < 100
        ? { section: 'sports', ...(i < 80 ? { interest: 'running' } : { page: 'news' }) }
        : i < 160
          ? { interest: 'running' }
          : { page: 'news' },
  }));
  for (let i = 0; i < signals.length; i += 200) {
    await post('/dmp/v1/signals', { signals: signals.slice(i, i + 200) });
  }
  // Campaign "spring" targeted the sports fans: 30 reached, 6 clicked, 3 bought; "teaser"
  // reached 5 of them, under the minimum audience size.
  const event = (i: number, kind: string, campaign: string, extra: Record<string, unknown>) => ({
    id: { type: 'ifa', value: ifa(i) },
    event: kind,
    campaign,
    creative: 'c1',
    ...extra,
  });
  await post('/dmp/v1/media/events', {
    events: [
      ...Array.from({ length: 30 }, (_, i) =>
        event(i, 'impression', 'spring', { segments: [ids.sports], costMicros: 2_000_000 }),
      ),
      ...Array.from({ length: 6 }, (_, i) => event(i, 'click', 'spring', {})),
      ...Array.from({ length: 3 }, (_, i) =>
        event(i, 'conversion', 'spring', { valueMicros: 50_000_000 }),
      ),
      ...Array.from({ length: 5 }, (_, i) =>
        event(i + 40, 'impression', 'teaser', { segments: [ids.sports] }),
      ),
    ],
  });
}, setupTimeoutMs);
afterAll(() => h?.close());

describe('DMP activation screens', () => {
  it('trains a lookalike, reads its accuracy-versus-reach curve and activates it', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('advertiser'), '/advertising/lookalikes');
    await page.getByRole('heading', { name: 'Lookalikes', level: 1 }).waitFor();
    await page.getByText('No lookalike yet.').waitFor();
    await page.getByLabel('Name').fill('Like sports fans');
    await page.getByLabel('Seed segment').selectOption({ label: 'Sports fans' });
    await page.getByRole('button', { name: 'Train' }).click();
    await page.getByRole('heading', { name: 'Like sports fans', level: 2 }).waitFor();
    const curve = page.getByRole('figure', { name: 'Accuracy against reach of Like sports fans' });
    await curve.waitFor();
    const rows = page.getByRole('table', { name: 'Precision and recall at each reach' });
    await expect.poll(() => rows.locator('tbody tr').count()).toBe(6);
    // At 10% reach the runners rank first: precision well above the random pick's.
    const tenPercent = (await rows.locator('tbody tr').nth(3).textContent()) ?? '';
    expect(tenPercent).toMatch(/^10\.0%/);
    const [precision, random] = [...tenPercent.matchAll(/(\d+\.\d)%/g)]
      .slice(1, 3)
      .map((m) => Number(m[1]));
    expect(precision).toBeGreaterThan(2 * (random ?? 100));
    expect(await rows.locator('tbody tr').first().textContent()).toContain('under minimum');
    await expectLabelled(page);
    await screenshot(page, 'dmp-lookalike-curve');

    await page.getByRole('combobox', { name: /^Reach/ }).selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Activate' }).click();
    await expect
      .poll(() => page.getByTestId('activation').textContent())
      .toMatch(/Active at 20\.0%: 60 IDs/);
    expectNoProblems(tracked);
  }, 90_000);

  it('shows campaign performance per segment, withholding small audiences', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('analyst'), '/advertising/campaigns');
    await page.getByRole('heading', { name: 'Campaign performance', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Per segment and campaign' });
    const spring = table.locator('tr[data-campaign="spring"]');
    await spring.waitFor();
    // reach 30, frequency 1.00, 30 impressions, CTR 20%, 3 conversions, 10%, CPA 20, ROAS 2.5
    expect(await spring.textContent()).toMatch(
      /spring\s*30\s*1\.00\s*30\s*20\.00%\s*3\s*10\.00%\s*20\s*2\.50/,
    );
    expect(await table.locator('tr[data-campaign="teaser"]').textContent()).toContain(
      'under the minimum audience size',
    );
    await page
      .getByRole('figure', { name: 'Conversion rate and click rate per segment' })
      .waitFor();
    await expectLabelled(page);
    await screenshot(page, 'dmp-campaign-performance');
    expectNoProblems(tracked);
  }, 90_000);

  it('creates an export destination, maps a segment and exports it with a file', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('advertiser'), '/advertising/destinations');
    await page.getByRole('heading', { name: 'Export destinations', level: 1 }).waitFor();
    await page.getByLabel('Name').fill('Bidder files');
    await page.getByRole('button', { name: 'Create destination' }).click();
    await page.getByRole('heading', { name: 'Bidder files', level: 2 }).waitFor();
    await page.getByRole('combobox', { name: /^Segment/ }).selectOption({ label: 'Sports fans' });
    await page.getByLabel('Key at the destination').fill('sports-fans');
    await page.getByRole('button', { name: 'Map segment' }).click();
    await expect
      .poll(() => page.getByRole('list', { name: 'Mapped segments' }).textContent())
      .toContain('sports-fans — active');
    await page.getByRole('button', { name: 'Export everything (full)' }).click();
    const runs = page.getByRole('table', { name: 'Export runs, newest first' });
    await expect.poll(() => runs.locator('tbody tr').count()).toBe(1);
    expect(await runs.locator('tbody tr').textContent()).toMatch(
      /full\s*sports-fans: exported \+100 −0\s*100\s*CSV/,
    );
    const href = await runs.getByRole('link', { name: 'CSV' }).getAttribute('href');
    const csv = await (await h.api(href ?? '')).text();
    expect(csv.trim().split('\n')).toHaveLength(101);
    await expectLabelled(page);
    await screenshot(page, 'dmp-export-destinations');
    expectNoProblems(tracked);
  }, 90_000);
});
