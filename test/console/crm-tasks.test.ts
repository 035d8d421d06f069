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
let seller: { email: string; password: string; role: 'sales' };
let overdueTask: string;
const hour = 3_600_000;

const create = async (properties: Record<string, string>) => {
  const res = await h.api('/crm/v3/objects/tasks', { method: 'POST', body: { properties } });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
};

async function ownerIdOf(email: string): Promise<string> {
  const res = await h.api(`/crm/v3/owners?email=${encodeURIComponent(email)}`);
  const owners = (await res.json()) as { results: { id: string }[] };
  expect(owners.results).toHaveLength(1);
  return owners.results[0]?.id ?? '';
}

beforeAll(async () => {
  h = await startConsoleHarness();
  seller = (await h.userOf('sales')) as typeof seller;
  const other = await h.userOf('support');
  const mine = await ownerIdOf(seller.email);
  const theirs = await ownerIdOf(other.email);
  const now = Date.now();
  overdueTask = await create({
    hs_task_subject: 'Send the revised quote',
    hs_timestamp: new Date(now - 2 * hour).toISOString(),
    hs_task_status: 'NOT_STARTED',
    hs_task_priority: 'HIGH',
    hs_task_reminders: `${now - 3 * hour};${now + 5 * hour}`,
    hubspot_owner_id: mine,
  });
  await create({
    hs_task_subject: 'Book the onboarding call',
    hs_timestamp: new Date(now + 24 * hour).toISOString(),
    hs_task_status: 'IN_PROGRESS',
    hubspot_owner_id: mine,
  });
  await create({
    hs_task_subject: 'Someone else’s follow-up',
    hs_timestamp: new Date(now + hour).toISOString(),
    hs_task_status: 'NOT_STARTED',
    hubspot_owner_id: theirs,
  });
}, setupTimeoutMs);
afterAll(() => h?.close());

describe('tasks', () => {
  it('lists my open tasks soonest first, rings due reminders, and completes a task', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, seller, '/tasks');
    await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
    const rows = page.getByRole('table', { name: 'Tasks, soonest due first' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toMatch(/Send the revised quote.*overdue.*HIGH/);
    expect(await rows.nth(0).getAttribute('data-overdue')).toBe('true');
    expect(await rows.nth(1).textContent()).toContain('Book the onboarding call');

    // The past reminder rings; the future one is shown as the next reminder of the task.
    const reminders = page.getByRole('region', { name: 'Reminders' });
    await expect.poll(() => reminders.locator('li').count()).toBe(1);
    expect(await reminders.textContent()).toContain('Send the revised quote');
    await expectLabelled(page);
    await screenshot(page, 'crm-tasks');
    await reminders.getByRole('button', { name: /^Dismiss the reminder/ }).click();
    await reminders.waitFor({ state: 'detached' });
    const stored = (await (
      await h.api(`/crm/v3/objects/tasks/${overdueTask}?properties=hs_task_reminders`)
    ).json()) as { properties: { hs_task_reminders: string } };
    expect(stored.properties.hs_task_reminders.split(';')).toHaveLength(1);
    expect(Number(stored.properties.hs_task_reminders)).toBeGreaterThan(Date.now());

    await page.getByRole('button', { name: 'Complete Send the revised quote' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    const done = (await (
      await h.api(`/crm/v3/objects/tasks/${overdueTask}?properties=hs_task_status`)
    ).json()) as { properties: { hs_task_status: string } };
    expect(done.properties.hs_task_status).toBe('COMPLETED');

    await page.getByLabel('Whose').selectOption('all');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.getByRole('table').textContent()).toContain('Someone else’s follow-up');
    await page.getByLabel('Show completed').check();
    await expect.poll(() => rows.count()).toBe(3);
    expectNoProblems(tracked);
  }, 90_000);
});
