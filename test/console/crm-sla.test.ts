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
let waiting: string;
let answered: string;

const create = async (type: string, properties: Record<string, string>) => {
  const res = await h.api(`/crm/v3/objects/${type}`, { method: 'POST', body: { properties } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
};

beforeAll(async () => {
  h = await startConsoleHarness();
  // Round-the-clock business hours, so the timers count wall-clock time.
  const policy = await h.api('/api/v1/crm/sla-policies', {
    method: 'POST',
    body: {
      name: 'Support, all day',
      pipelineId: '0',
      firstResponseMinutes: 60,
      resolutionMinutes: 480,
      businessHours: {
        timezone: 'UTC',
        hours: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: '00:00', end: '24:00' })),
      },
    },
  });
  expect(policy.status).toBe(201);
  waiting = await create('tickets', {
    subject: 'Invoice shows the wrong VAT',
    hs_pipeline: '0',
    hs_pipeline_stage: '1',
  });
  answered = await create('tickets', {
    subject: 'Export is slow',
    hs_pipeline: '0',
    hs_pipeline_stage: '1',
  });
  const call = await create('calls', {
    hs_call_title: 'Called back about the export',
    hs_call_direction: 'OUTBOUND',
    hs_timestamp: new Date().toISOString(),
  });
  const linked = await h.api(
    `/crm/v4/objects/calls/${call}/associations/default/tickets/${answered}`,
    {
      method: 'PUT',
    },
  );
  expect(linked.status).toBeLessThan(300);
}, setupTimeoutMs);
afterAll(() => h?.close());

describe('ticket SLA timers', () => {
  it('lists open tickets with their timers, most urgent first', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('support'), '/ticket-queue');
    await page.getByRole('heading', { name: 'Ticket queue', level: 1 }).waitFor();
    const row = (id: string) => page.locator(`tr[data-ticket="${id}"]`);
    // The waiting ticket's first response is due within the hour: it comes first.
    await expect
      .poll(() => row(waiting).textContent())
      .toMatch(/First response: 59 min \d\d s left/);
    await expect.poll(() => row(answered).textContent()).toMatch(/Resolution: 7 h 5\d min left/);
    expect(await page.locator('tbody tr').first().getAttribute('data-ticket')).toBe(waiting);
    await expectLabelled(page);
    await screenshot(page, 'ticket-queue');
    expectNoProblems(tracked);
  });

  it('opens a ticket and shows its SLA timers counting down', async () => {
    const tracked = await h.open({ width: 390, height: 844 });
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('support'), '/ticket-queue');
    await page.getByRole('link', { name: 'Invoice shows the wrong VAT' }).click();
    await page.getByRole('heading', { name: 'Invoice shows the wrong VAT', level: 1 }).waitFor();
    const first = page.getByRole('timer', { name: 'First response SLA' });
    await expect.poll(() => first.textContent()).toMatch(/^59 min \d\d s left$/);
    expect(await first.getAttribute('class')).toContain('ok');
    const before = await first.textContent();
    await expect.poll(() => first.textContent(), { timeout: 3000 }).not.toBe(before);
    const resolution = page.getByRole('timer', { name: 'Resolution SLA' });
    expect(await resolution.textContent()).toMatch(/^7 h 5\d min left$/);
    expect(await page.getByTestId('sla-firstResponse').textContent()).toContain(
      'of 60 business minutes',
    );
    await expectNoPageOverflow(page);
    await screenshot(page, 'ticket-sla-phone');

    await page.goto(`/tickets/${answered}`);
    await expect
      .poll(() => page.getByRole('timer', { name: 'First response SLA' }).textContent())
      .toBe('met');
    expectNoProblems(tracked);
  });
});
