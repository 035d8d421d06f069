import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/access/roles.js';
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

const marketing = [
  'Sources',
  'Event explorer',
  'Rejected events',
  'Profiles',
  'Audiences',
  'Computed traits',
  'Destinations',
  'Insights',
  'Prediction quality',
];
const everyLink = [
  'Home',
  ...marketing,
  'Pipeline board',
  'Sales reports',
  'Contacts',
  'Companies',
  'Deals',
  'Tickets',
  'Tasks',
  'Ticket queue',
  'Duplicates',
  'Segments',
  'Traits',
  'Lookalikes',
  'Campaign performance',
  'Export destinations',
  'Taxonomy',
  'Privacy requests',
  'Consent',
  'Audit log',
  'Users',
  'API tokens',
];

// What each role's navigation offers: exactly the areas whose API the role may call.
const expected: [Role, string[]][] = [
  ['admin', everyLink],
  ['marketer', ['Home', ...marketing, 'Contacts', 'Companies', 'Duplicates', 'Consent']],
  [
    'sales',
    [
      'Home',
      'Pipeline board',
      'Sales reports',
      'Contacts',
      'Companies',
      'Deals',
      'Tasks',
      'Duplicates',
    ],
  ],
  ['support', ['Home', 'Contacts', 'Companies', 'Tickets', 'Ticket queue', 'Duplicates']],
  [
    'advertiser',
    [
      'Home',
      'Segments',
      'Traits',
      'Lookalikes',
      'Campaign performance',
      'Export destinations',
      'Taxonomy',
    ],
  ],
  [
    'analyst',
    [
      'Home',
      'Insights',
      'Prediction quality',
      'Sales reports',
      'Segments',
      'Campaign performance',
      'Taxonomy',
    ],
  ],
];

describe('navigation by role', () => {
  it.each(expected)('%s sees %j', async (role, links) => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf(role));
    const nav = page.getByRole('navigation', { name: 'Main' });
    const shown = await nav.getByRole('link').allTextContents();
    expect(shown).toEqual(links);
    await expectLabelled(page);
    if (role === 'sales') await screenshot(page, 'home-sales');
    expectNoProblems(tracked);
  });

  it('a sales user who opens /sources directly is told so, and no API call is refused', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('sales'), '/sources');
    await page.getByRole('heading', { name: 'Sources', level: 1 }).waitFor();
    expect(await page.getByText('The sales role may not use Sources').count()).toBe(1);
    // No search box either: nothing the sales role may search exists yet.
    expect(await page.getByRole('search').count()).toBe(0);
    // A refused (403) call would be in the problems list.
    expectNoProblems(tracked);
  });

  it('an unknown console path shows a not-found page inside the shell', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('marketer'), '/no/such/page');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.getByRole('link', { name: 'Go to the home page' }).click();
    await page.getByRole('heading', { name: 'Welcome' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expectNoProblems(tracked);
  });
});
