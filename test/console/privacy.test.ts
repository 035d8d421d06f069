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
const email = `mary-${tag}@example.com`;
const userId = `u-mary-${tag}`;

beforeAll(async () => {
  h = await startConsoleHarness({ identity: true });
  const source = (await (
    await h.api('/api/v1/sources', { method: 'POST', body: { name: 'Web' } })
  ).json()) as { writeKey: string };
  const sent = await fetch(`${h.baseUrl}/v1/batch`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      batch: [
        { type: 'identify', userId, traits: { email, first_name: 'Mary', last_name: 'Shelley' } },
        { type: 'track', userId, event: 'Order Completed' },
      ],
    }),
  });
  expect(sent.status).toBe(200);
  await h.t.drain();
  const consent = await h.api(`/api/v1/profiles/email:${email}/consents`, {
    method: 'PUT',
    body: {
      decisions: [
        { purpose: 'marketing', channel: 'email', granted: true, evidence: 'newsletter form' },
        { purpose: 'advertising', granted: false },
      ],
    },
  });
  expect(consent.status).toBeLessThan(300);
  const contact = await h.api('/crm/v3/objects/contacts', {
    method: 'POST',
    body: { properties: { email, firstname: 'Mary' } },
  });
  expect(contact.status).toBe(201);
}, setupTimeoutMs);
afterAll(() => h?.close());

describe('privacy center', () => {
  it("shows a profile's consent decisions", async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('marketer'), `/profiles/user_id:${userId}`);
    await page.getByRole('heading', { name: 'Mary Shelley', level: 1 }).waitFor();
    const consents = page.getByTestId('consents');
    await expect.poll(() => consents.locator('tbody tr').count()).toBe(2);
    const text = await consents.textContent();
    expect(text).toMatch(/marketing\s*email\s*granted/);
    expect(text).toMatch(/advertising\s*\S+\s*refused/);
    await expectLabelled(page);
    expectNoProblems(tracked);
  });

  it("shows the CDP's facts on the CRM contact, read-only and on demand", async () => {
    const found = await h.api(
      `/crm/v3/objects/contacts/${encodeURIComponent(email)}?idProperty=email`,
    );
    const contactId = ((await found.json()) as { id: string }).id;
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('sales'), `/contacts/${contactId}`);
    await page.getByRole('heading', { name: 'Customer data (CDP)' }).waitFor();
    await page.getByRole('button', { name: 'Show CDP profile' }).click();
    const facts = page.getByTestId('cdp-facts');
    await facts.waitFor();
    expect(await facts.textContent()).toMatch(/linked by\s*(email|crm_contact_id)/);
    expect(await facts.textContent()).toContain('Shelley');
    await expectLabelled(page);
    await screenshot(page, 'crm-contact-cdp-facts');
    expectNoProblems(tracked);
  });

  it('charts consent statistics per purpose and per day', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('marketer'), '/privacy/consents');
    await page.getByRole('heading', { name: 'Consent', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Current decisions per purpose' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    expect(await table.textContent()).toMatch(/marketing\s*email\s*1\s*0\s*100\.0%/);
    expect(await table.textContent()).toMatch(/advertising\s*every channel\s*0\s*1\s*0\.0%/);
    await page.getByRole('figure', { name: 'Granted and denied per purpose' }).waitFor();
    await page.getByLabel('Window').selectOption('7');
    const daily = page.getByRole('figure', { name: 'Consent granted and withdrawn per day' });
    await expect.poll(() => daily.textContent()).toContain('over the last 7 days');
    expect(await daily.textContent()).toMatch(/1 granted and 1 withdrawn/);
    await expectLabelled(page);
    await screenshot(page, 'privacy-consent-stats');
    expectNoProblems(tracked);
  });

  it('files an erase request and shows its status and per-store receipts', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('admin'), '/privacy');
    await page.getByRole('heading', { name: 'Privacy requests', level: 1 }).waitFor();
    await page.getByText('No request filed yet.').waitFor();
    await page.getByRole('radio', { name: /Erase:/ }).check();
    await page.getByLabel('Identifier type').selectOption('email');
    await page.getByLabel('Identifier', { exact: true }).fill(email);
    await expectLabelled(page);
    await page.getByRole('button', { name: 'File request' }).click();
    await page.getByRole('heading', { name: 'Erase request', level: 1 }).waitFor();
    const status = page.getByTestId('request-status');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe('completed');
    const receipt = (store: string) => page.locator(`tr[data-store="${store}"]`);
    // The contact, the two consent decisions and the profile were found and erased.
    await expect.poll(() => receipt('crm').textContent()).toMatch(/completed\s*1\s*1/);
    expect(await receipt('consents').textContent()).toMatch(/completed\s*2\s*[2-9]/);
    expect(await receipt('identity').textContent()).toMatch(/completed\s*[1-9]/);
    expect(await receipt('events').textContent()).toMatch(/completed\s*[1-9]/);
    expect(await page.locator('tr[data-store]').count()).toBeGreaterThanOrEqual(8);
    await expectNoPageOverflow(page);
    await screenshot(page, 'privacy-erase-receipts');

    // The consent API now knows nothing of the person.
    const after = await h.api(`/api/v1/profiles/email:${email}/consents`);
    const view = (await after.json()) as { current?: unknown[] };
    expect(view.current ?? []).toEqual([]);

    await page.getByRole('link', { name: '← Privacy requests' }).click();
    const recent = page.getByRole('region', { name: 'Recent requests' });
    await expect.poll(() => recent.locator('tbody tr').count()).toBe(1);
    expect(await recent.textContent()).toContain('erase');
    expectNoProblems(tracked);
  });

  it('lists the audit log, filtered by resource', async () => {
    const tracked = await h.open({ width: 390, height: 844 });
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('admin'), '/privacy/audit');
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(2);
    await page.getByLabel('Resource').fill('privacy/requests/*');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => rows.count()).toBe(2);
    const text = await page.locator('tbody').textContent();
    expect(text).toContain('privacy.erase.completed');
    expect(text).toContain('privacy.erase');
    expect(text).not.toContain(email);
    await expectNoPageOverflow(page);
    await screenshot(page, 'privacy-audit-phone');
    expectNoProblems(tracked);
  });
});
