import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConsoleHarness,
  expectLabelled,
  expectNoProblems,
  screenshot,
  setupTimeoutMs,
  startConsoleHarness,
} from './harness.js';
import type { PageGlobals } from './page-globals.js';

let h: ConsoleHarness;

beforeAll(async () => {
  h = await startConsoleHarness();
}, setupTimeoutMs);
afterAll(() => h?.close());

const background = (page: Page) =>
  page.evaluate(() => {
    const { getComputedStyle, document } = globalThis as unknown as PageGlobals;
    return getComputedStyle(document.body).backgroundColor;
  });

/** The focused element's text and id (playwright's `:focus` would also do, less directly). */
const focused = (page: Page) =>
  page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    return { id: document.activeElement?.id, text: document.activeElement?.textContent };
  });

describe('console shell', () => {
  it('refuses a wrong password, then logs in and out', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    const admin = await h.userOf('admin');
    tracked.allow(401, '/api/v1/session');

    await page.goto('/');
    await expect.poll(() => page.title()).toBe('Triad');
    await expectLabelled(page);
    await screenshot(page, 'login-light');
    await page.getByLabel('E-mail').fill(admin.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('e-mail address or password is wrong');

    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Welcome' }).waitFor();
    expect(await page.getByText(admin.email).count()).toBeGreaterThan(0);
    await expectLabelled(page);
    await screenshot(page, 'home-admin-light');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    // The session is really over on the server, not just hidden.
    const cookies = await tracked.context.cookies();
    expect(cookies.find((c) => c.name === 'triad_session')).toBeUndefined();
    expectNoProblems(tracked);
  });

  it('follows the system theme and switches with the toggle, remembering the choice', async () => {
    const tracked = await h.open({ colorScheme: 'dark' });
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('marketer'));
    const dark = await background(page);
    await screenshot(page, 'home-marketer-dark');

    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    const light = await background(page);
    expect(light).not.toBe(dark);
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light');

    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await background(page)).toBe(light);
    await page.getByRole('button', { name: 'Switch to dark theme' }).waitFor();
    expectNoProblems(tracked);
  });

  it('works on a phone-sized screen: the navigation folds behind the Menu button', async () => {
    const tracked = await h.open({ width: 390, height: 844 });
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('marketer'));
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.isVisible()).toBe(false);
    const menu = page.getByRole('button', { name: 'Menu' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await screenshot(page, 'home-phone');

    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await nav.getByRole('link', { name: 'Sources' }).waitFor();
    await screenshot(page, 'menu-phone');
    await nav.getByRole('link', { name: 'Sources' }).click();
    await page.getByRole('heading', { name: 'Sources', level: 1 }).waitFor();
    expect(await nav.isVisible()).toBe(false);
    // Nothing is wider than the screen (tables scroll inside their own box).
    const overflow = await page.evaluate(() => {
      const { documentElement } = (globalThis as unknown as PageGlobals).document;
      return documentElement.scrollWidth - documentElement.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    expectNoProblems(tracked);
  });

  it('is keyboard navigable: skip link first, then the navigation by Tab', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('admin'));
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).hash).toBe('#main');

    // Tab onwards reaches the Sources link, Enter follows it and focus moves to the page.
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    let reached = false;
    for (let i = 0; i < 20 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await focused(page)).text === 'Sources';
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Sources', level: 1 }).waitFor();
    expect((await focused(page)).id).toBe('main');
    expectNoProblems(tracked);
  });

  it('a session the server no longer knows lands on the login form without errors', async () => {
    const tracked = await h.open();
    const { page, context } = tracked;
    const url = new URL(h.baseUrl);
    await context.addCookies([
      { name: 'triad_session', value: 'stale-session-value', domain: url.hostname, path: '/' },
    ]);
    await page.goto('/events');
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    expect((await context.cookies()).find((c) => c.name === 'triad_session')).toBeUndefined();
    // Logging in from here works, and keeps the address the visitor asked for.
    const marketer = await h.userOf('marketer');
    await page.getByLabel('E-mail').fill(marketer.email);
    await page.getByLabel('Password').fill(marketer.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Event explorer' }).waitFor();
    expectNoProblems(tracked);
  });
});
