import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Role } from '../../src/access/roles.js';
import { createUser } from '../../src/access/users/user.service.js';
import { systemClock } from '../../src/kernel/clock.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import type { PageGlobals } from './page-globals.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const artifactsDir = join(root, '.artifacts', 'console');

/** Generous: on a clean clone the first test file to get here builds the console. */
export const setupTimeoutMs = 180_000;

/**
 * Builds web/dist if it is missing or stale. The script holds a lock, so test files starting
 * together build once and the others wait for that build.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  await promisify(execFile)(process.execPath, [join(root, 'scripts', 'build-console.mjs')], {
    cwd: root,
    timeout: setupTimeoutMs,
  });
}

export interface Credentials {
  email: string;
  password: string;
  role: Role;
}

/** A page plus what went wrong in it: console errors, page errors, failed requests. */
export interface TrackedPage {
  page: Page;
  context: BrowserContext;
  problems: string[];
  /** Declares an expected failed response (e.g. a wrong password's 401). */
  allow(status: number, urlPart: string): void;
}

export interface ConsoleHarness {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  userOf(role: Role): Promise<Credentials>;
  open(opts?: {
    width?: number;
    height?: number;
    colorScheme?: 'light' | 'dark';
  }): Promise<TrackedPage>;
  logIn(tracked: TrackedPage, who: Credentials, path?: string): Promise<void>;
  api(path: string, init?: { method?: string; body?: unknown; token?: string }): Promise<Response>;
  close(): Promise<void>;
}

const launchArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The real app listening on a free port, a Chromium, and users made on demand per role. */
export async function startConsoleHarness(
  /** Options of the app under test, e.g. `identity: true` to run the log consumers. */
  appOptions: Parameters<typeof createTestApp>[0] = {},
): Promise<ConsoleHarness> {
  await ensureConsoleBuilt();
  mkdirSync(artifactsDir, { recursive: true });
  const t = await createTestApp(appOptions);
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = address.replace('localhost', '127.0.0.1');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: launchArgs,
  });
  const users = new Map<Role, Credentials>();
  const contexts: BrowserContext[] = [];

  const userOf = async (role: Role) => {
    const existing = users.get(role);
    if (existing) return existing;
    const credentials = {
      email: `${role}-${Math.random().toString(36).slice(2, 8)}@example.com`,
      password: `pw-${role}-correct-horse`,
      role,
    };
    await createUser({ db: t.testStore.store.db, clock: systemClock }, credentials);
    users.set(role, credentials);
    return credentials;
  };

  const open = async (
    opts: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {},
  ) => {
    const context = await browser.newContext({
      baseURL: baseUrl,
      viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
      colorScheme: opts.colorScheme ?? 'light',
    });
    contexts.push(context);
    // Well under the test timeout, so a missing element fails with the locator in the message.
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const problems: string[] = [];
    const allowed: { status: number; urlPart: string }[] = [];
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      // Chromium logs every 4xx/5xx response as a console error; responses are judged below,
      // where the expected ones can be allowed.
      if (message.text().startsWith('Failed to load resource')) return;
      problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => {
      const failure = request.failure()?.errorText ?? 'failed';
      // A fetch the app cancels itself (a superseded query) is not a failure.
      if (failure === 'net::ERR_ABORTED') return;
      problems.push(`request failed: ${request.method()} ${request.url()} ${failure}`);
    });
    page.on('response', (response) => {
      if (response.status() < 400) return;
      const url = response.url();
      if (allowed.some((a) => a.status === response.status() && url.includes(a.urlPart))) return;
      problems.push(`HTTP ${response.status()}: ${response.request().method()} ${url}`);
    });
    return {
      page,
      context,
      problems,
      allow: (status: number, urlPart: string) => allowed.push({ status, urlPart }),
    };
  };

  const logIn = async ({ page }: TrackedPage, who: Credentials, path = '/') => {
    await page.goto(path);
    await page.getByLabel('E-mail').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
  };

  const api = (path: string, init: { method?: string; body?: unknown; token?: string } = {}) =>
    fetch(baseUrl + path, {
      method: init.method ?? 'GET',
      headers: {
        ...bearer(init.token ?? t.adminToken),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });

  return {
    t,
    baseUrl,
    browser,
    userOf,
    open,
    logIn,
    api,
    async close() {
      for (const context of contexts) await context.close();
      await browser.close();
      await t.close();
    },
  };
}

/** Saves a screenshot for people to look at; the run's artifacts are not committed. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: true });
}

/** No console error, page error or unexpected failed request happened in the page. */
export function expectNoProblems(tracked: TrackedPage): void {
  expect(tracked.problems).toEqual([]);
}

/**
 * Every control on the page has an accessible name: inputs and selects through a label or
 * aria-label, buttons and links through text or aria-label.
 */
export async function expectLabelled(page: Page): Promise<void> {
  const unlabelled = await page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const missing: string[] = [];
    for (const field of document.querySelectorAll('input, select, textarea')) {
      if (field.type === 'hidden') continue;
      const named =
        (field.labels?.length ?? 0) > 0 ||
        field.getAttribute('aria-label') ||
        field.getAttribute('aria-labelledby');
      if (!named) missing.push(field.outerHTML.slice(0, 120));
    }
    for (const element of document.querySelectorAll('button, a[href]')) {
      const text = (element.textContent ?? '').trim();
      if (!text && !element.getAttribute('aria-label')) {
        missing.push(element.outerHTML.slice(0, 120));
      }
    }
    return missing;
  });
  expect(unlabelled).toEqual([]);
}

/** The page fits its viewport's width: wide content scrolls inside its own box. */
export async function expectNoPageOverflow(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    return document.documentElement.scrollWidth - document.documentElement.clientWidth;
  });
  expect(overflow).toBeLessThanOrEqual(0);
}
