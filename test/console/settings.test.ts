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

describe('settings', () => {
  it('creates an API token, shows its secret once, and revokes it', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('admin'), '/settings/tokens');
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await page.getByLabel('Token name').fill('nightly report');
    await page.getByLabel('Role').selectOption('analyst');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.getByTestId('new-token').textContent()) ?? '';
    expect(secret).toMatch(/^triad_/);
    await expectLabelled(page);
    await screenshot(page, 'token-created');

    // The secret really is a working token of the chosen role.
    const who = await h.api('/api/v1/session', { token: secret });
    expect(who.status).toBe(200);
    expect(await who.json()).toMatchObject({
      kind: 'token',
      role: 'analyst',
      name: 'nightly report',
    });

    // Shown once: after a reload only its last four characters remain.
    await page.reload();
    const row = page.getByRole('row', { name: /nightly report/ });
    await row.waitFor();
    expect(await page.getByTestId('new-token').count()).toBe(0);
    expect(await row.textContent()).toContain(`…${secret.slice(-4)}`);
    expect(await row.textContent()).not.toContain(secret);

    await row.getByRole('button', { name: 'Revoke the token nightly report' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke this token?' });
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await h.api('/api/v1/session', { token: secret })).status).toBe(401);

    await page.getByLabel('Show revoked tokens').check();
    await page
      .getByRole('row', { name: /nightly report/ })
      .getByText('Revoked')
      .waitFor();
    expectNoProblems(tracked);
  });

  it('creates a user who can then log in with the role given', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('admin'), '/settings/users');
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    const email = `grace-${Math.random().toString(36).slice(2, 8)}@example.com`;
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Name (optional)').fill('Grace');
    await page.getByLabel('Role').selectOption('support');
    await page.getByLabel('Password (optional, 10+ characters)').fill('a-long-password-1');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('cell', { name: email }).waitFor();
    await screenshot(page, 'users');

    await page.getByRole('button', { name: 'Log out' }).click();
    await h.logIn(tracked, { email, password: 'a-long-password-1', role: 'support' });
    await page.getByRole('heading', { name: 'Welcome, Grace' }).waitFor();
    expect(await page.getByText('with the support role').count()).toBe(1);
    expectNoProblems(tracked);
  });

  it('a marketer has no settings: the pages say so without calling the API', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('marketer'), '/settings/tokens');
    await page.getByText('The marketer role may not use API tokens').waitFor();
    expectNoProblems(tracked);
  });
});
