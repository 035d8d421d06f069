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

const create = async (properties: Record<string, string>) => {
  const res = await h.api('/crm/v3/objects/deals', { method: 'POST', body: { properties } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
};

const stageOf = async (id: string) => {
  const res = await h.api(`/crm/v3/objects/deals/${id}?properties=dealstage`);
  return ((await res.json()) as { properties: Record<string, string> }).properties.dealstage;
};

beforeAll(async () => {
  h = await startConsoleHarness();
  for (const [name, amount, stage] of [
    ['Umbrella rollout', '1000', 'appointmentscheduled'],
    ['Hooli trial', '2000', 'appointmentscheduled'],
    ['Stark expansion', '4000', 'qualifiedtobuy'],
    ['Wayne audit', '500', 'closedlost'],
  ] as const) {
    deals[name] = await create({
      dealname: name,
      amount,
      pipeline: 'default',
      dealstage: stage,
      closedate: '2026-06-15T00:00:00.000Z',
    });
  }
}, setupTimeoutMs);
afterAll(() => h?.close());

describe('sales reports', () => {
  it('shows pipeline, forecast, win rate and cycle, and follows a move on the board', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('sales'), '/sales-reports');
    await page.getByRole('heading', { name: 'Sales reports', level: 1 }).waitFor();
    const kpi = (name: string) => page.getByTestId(`kpi-${name}`);
    await expect.poll(() => kpi('open').textContent()).toBe('7,000');
    expect(await kpi('win-rate').textContent()).toBe('0%');
    expect(await kpi('cycle').textContent()).toBe('—');
    const byStage = page.getByTestId('caption-Open pipeline by stage');
    await expect.poll(() => byStage.textContent()).toContain('amount 3,000');
    expect(await byStage.textContent()).toContain('amount 4,000');
    // recharts drew the bars (one per open stage).
    await expect
      .poll(() =>
        page
          .getByRole('figure', { name: 'Open pipeline by stage' })
          .locator('.recharts-bar-rectangle')
          .count(),
      )
      .toBe(2);
    await expectLabelled(page);
    await expectNoPageOverflow(page);
    await screenshot(page, 'sales-reports-before');

    // Win the Umbrella deal on the board (its card's stage menu), then come back through the navigation.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Pipeline board' })
      .click();
    await page.getByRole('heading', { name: 'Pipeline board' }).waitFor();
    await page.getByLabel('Stage of Umbrella rollout').selectOption('closedwon');
    await expect.poll(() => stageOf(deals['Umbrella rollout'] ?? '')).toBe('closedwon');
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Sales reports' })
      .click();
    await expect.poll(() => kpi('open').textContent()).toBe('6,000');
    await expect.poll(() => kpi('win-rate').textContent()).toBe('50%');
    await expect.poll(() => kpi('cycle').textContent()).toMatch(/^\d+(\.\d)? d$/);
    await expect.poll(() => byStage.textContent()).toContain('amount 2,000');
    const winRate = page.getByTestId('caption-Win rate');
    // By value: 1,000 won of 1,500 closed.
    await expect.poll(() => winRate.textContent()).toContain('by value 66.7%');
    await screenshot(page, 'sales-reports-after');
    expectNoProblems(tracked);
  });

  it('analysts read the reports too, without refused calls', async () => {
    const tracked = await h.open({ width: 390, height: 844 });
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('analyst'), '/sales-reports');
    await expect.poll(() => page.getByTestId('kpi-open').textContent()).not.toBe('—');
    await page.getByLabel('Win rate and cycle by').selectOption('month');
    await expect
      .poll(() => page.getByTestId('caption-Win rate').textContent())
      .toContain('2026-06');
    await expectNoPageOverflow(page);
    await screenshot(page, 'sales-reports-phone');
    expectNoProblems(tracked);
  });
});
