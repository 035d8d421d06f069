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

beforeAll(async () => {
  h = await startConsoleHarness();
}, setupTimeoutMs);
afterAll(() => h?.close());

interface SourceBody {
  id: string;
  name: string;
  writeKey: string;
  enabled: boolean;
}

const track = (writeKey: string) =>
  fetch(`${h.baseUrl}/v1/track`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ userId: 'u-1', event: 'Probe' }),
  });

describe('sources', () => {
  it('creates a source and shows its write key and set-up snippets', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('marketer'), '/sources');
    await page.getByRole('heading', { name: 'Sources', level: 1 }).waitFor();
    await page.getByLabel('New source name').fill('Website');
    await page.getByRole('button', { name: 'Create source' }).click();
    await page.getByRole('heading', { name: 'Website', level: 1 }).waitFor();

    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const source = (await (await h.api(`/api/v1/sources/${id}`)).json()) as SourceBody;
    expect(source.name).toBe('Website');
    expect(await page.getByTestId('write-key').textContent()).toBe(source.writeKey);

    const snippet = page.getByTestId('snippet');
    const browserSnippet = (await snippet.textContent()) ?? '';
    expect(browserSnippet).toContain(`analytics._cdn=${JSON.stringify(h.baseUrl)}`);
    expect(browserSnippet).toContain(`analytics.load(${JSON.stringify(source.writeKey)})`);
    await expectLabelled(page);
    await screenshot(page, 'source-detail');

    // Tabs follow the WAI-ARIA pattern: arrow keys move between SDKs.
    await page.getByRole('tab', { name: 'Website (analytics.js)' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await snippet.textContent()).toContain(`host: '${h.baseUrl}'`);
    expect(await snippet.textContent()).toContain(`writeKey: '${source.writeKey}'`);
    await page.keyboard.press('ArrowRight');
    expect(await snippet.textContent()).toContain(`dataPlaneUrl: '${h.baseUrl}'`);
    expect(await snippet.textContent()).toContain(`new Analytics('${source.writeKey}'`);

    await page.getByRole('link', { name: '← All sources' }).click();
    await page.getByRole('link', { name: 'Website' }).waitFor();
    expectNoProblems(tracked);
  });

  it('renames, disables, re-enables and rotates the key (after a confirmation)', async () => {
    const created = (await (
      await h.api('/api/v1/sources', { method: 'POST', body: { name: 'Backend' } })
    ).json()) as SourceBody;
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('marketer'), `/sources/${created.id}`);
    await page.getByRole('heading', { name: 'Backend', level: 1 }).waitFor();

    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Billing service');
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('heading', { name: 'Billing service', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Disable source' }).click();
    await page.getByRole('button', { name: 'Enable source' }).waitFor();
    let stored = (await (await h.api(`/api/v1/sources/${created.id}`)).json()) as SourceBody;
    expect(stored).toMatchObject({ name: 'Billing service', enabled: false });
    expect((await track(created.writeKey)).status).toBe(403);
    await page.getByRole('button', { name: 'Enable source' }).click();
    await page.getByRole('button', { name: 'Disable source' }).waitFor();
    expect((await track(created.writeKey)).status).toBe(200);

    // Cancelling leaves the key alone.
    await page.getByRole('button', { name: 'Rotate key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate the write key?' });
    await dialog.waitFor();
    await screenshot(page, 'source-rotate-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('write-key').textContent()).toBe(created.writeKey);

    await page.getByRole('button', { name: 'Rotate key' }).click();
    await dialog.getByRole('button', { name: 'Rotate key' }).click();
    await expect.poll(() => page.getByTestId('write-key').textContent()).not.toBe(created.writeKey);
    stored = (await (await h.api(`/api/v1/sources/${created.id}`)).json()) as SourceBody;
    expect(await page.getByTestId('write-key').textContent()).toBe(stored.writeKey);
    expect((await track(created.writeKey)).status).toBe(401);
    expect((await track(stored.writeKey)).status).toBe(200);
    expectNoProblems(tracked);
  });

  it('shows live events as they arrive, with rejections and their reasons; pauses and filters', async () => {
    const created = (await (
      await h.api('/api/v1/sources', { method: 'POST', body: { name: 'Live' } })
    ).json()) as SourceBody;
    const batch = (items: unknown[]) =>
      fetch(`${h.baseUrl}/v1/batch`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${created.writeKey}:`).toString('base64')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ batch: items }),
      });
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('marketer'), `/sources/${created.id}`);
    await page.getByRole('heading', { name: 'Live', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('live-state').textContent()).toBe('live');

    const sent = await batch([
      { type: 'track', userId: 'u-live', event: 'Signed Up' },
      { type: 'track', userId: 'u-live' },
    ]);
    expect(sent.status).toBe(200);
    const rows = page.getByTestId('live-events').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const rejected = page.locator('tr[data-kind="rejected"]');
    expect(await rejected.textContent()).toMatch(/rejected\s*track/);
    expect(((await rejected.textContent()) ?? '').length).toBeGreaterThan(30);
    expect(await page.locator('tr[data-kind="accepted"]').textContent()).toContain('Signed Up');

    await page.getByLabel('Show').selectOption('rejected');
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByLabel('Show').selectOption('all');
    await page.getByLabel('Filter').fill('signed');
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByLabel('Filter').fill('');

    await page.getByRole('button', { name: 'Pause' }).click();
    await batch([{ type: 'track', userId: 'u-live', event: 'While Paused' }]);
    const resume = page.getByRole('button', { name: 'Resume (1 new)' });
    await resume.waitFor();
    expect(await rows.count()).toBe(2);
    await resume.click();
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.first().textContent()).toContain('While Paused');
    await rows.first().getByRole('button', { name: 'Payload' }).click();
    await page.getByRole('region', { name: /^Payload of / }).waitFor();
    await expectLabelled(page);
    await screenshot(page, 'source-live-debugger');

    // A plan in flag mode: an order without its revenue is accepted and counted as a violation.
    // A source without a plan answers 404 on its plan: the editor then offers an example.
    tracked.allow(404, '/tracking-plan');
    await page.getByRole('button', { name: 'Tracking plan' }).click();
    const editor = page.getByLabel('Plan (JSON Schema per event)');
    await expect.poll(() => editor.inputValue()).toContain('Order Completed');
    await page.getByRole('button', { name: 'Save plan' }).click();
    await page.getByText('Saved as version 1.').waitFor();
    await batch([{ type: 'track', userId: 'u-live', event: 'Order Completed', properties: {} }]);
    const violations = page.getByRole('table', { name: 'Violations per event and property' });
    await expect
      .poll(() => violations.textContent(), { timeout: 15_000 })
      .toMatch(/Order Completed\s*properties\.revenue\s*required\s*1/);
    await expect.poll(() => rows.first().textContent()).toMatch(/1 violation/);
    expectNoProblems(tracked);
  }, 90_000);
});
