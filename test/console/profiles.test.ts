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
const email = `ada-${tag}@example.com`;
const userId = `u-ada-${tag}`;

interface MergeBody {
  data: { id: string; kind: string; reversedBy: string | null }[];
}

beforeAll(async () => {
  h = await startConsoleHarness({ identity: true });
  const source = (await (
    await h.api('/api/v1/sources', { method: 'POST', body: { name: 'Web' } })
  ).json()) as { writeKey: string };
  // Two anonymous visitors that turn out to be one person: the second identify merges them.
  const steps = Array.from({ length: 30 }, (_, i) => ({
    type: 'track',
    anonymousId: `anon-a-${tag}`,
    event: `Step ${i}`,
    timestamp: new Date(Date.UTC(2026, 4, 1, 9, i)).toISOString(),
  }));
  const batch = [
    ...steps,
    {
      type: 'identify',
      anonymousId: `anon-a-${tag}`,
      userId,
      traits: { email, plan: 'pro', first_name: 'Ada', last_name: 'Lovelace' },
      timestamp: '2026-05-01T10:00:00.000Z',
    },
    {
      type: 'track',
      anonymousId: `anon-b-${tag}`,
      event: 'Viewed Pricing',
      timestamp: '2026-05-02T09:00:00.000Z',
    },
    {
      type: 'identify',
      anonymousId: `anon-b-${tag}`,
      userId,
      traits: { city: 'London' },
      timestamp: '2026-05-02T09:01:00.000Z',
    },
  ];
  const sent = await fetch(`${h.baseUrl}/v1/batch`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ batch }),
  });
  expect(sent.status).toBe(200);
  await h.t.drain();
}, setupTimeoutMs);
afterAll(() => h?.close());

describe('profile explorer', () => {
  it('finds a profile by e-mail and opens its traits, timeline and identity graph', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('marketer'), '/profiles');
    await page.getByRole('heading', { name: 'Profiles', level: 1 }).waitFor();
    await page.getByLabel('Identifier or trait').fill(email);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('link', { name: 'Ada Lovelace' }).click();
    await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();

    const traits = page.getByRole('region', { name: 'Traits' });
    expect(await traits.textContent()).toContain('London');
    expect(await traits.textContent()).toContain(email);

    // The timeline pages by 25, newest first: 33 events in all.
    const timeline = page.getByRole('list', { name: 'Events, newest first' });
    await expect.poll(() => timeline.getByRole('listitem').count()).toBe(25);
    expect(await timeline.getByRole('listitem').first().textContent()).toContain('identify');
    const pager = page.getByRole('navigation', { name: 'Timeline pages' });
    await pager.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => timeline.getByRole('listitem').count()).toBe(8);
    await timeline.getByText('Step 0', { exact: true }).click();
    expect(
      await page
        .getByLabel(/^Payload of event/)
        .first()
        .textContent(),
    ).toContain(`anon-a-${tag}`);

    // The graph: the identifiers around the profile, and the merged profile.
    const graph = page.getByTestId('identity-graph');
    for (const value of [email, userId, `anon-a-${tag}`, `anon-b-${tag}`]) {
      expect(await graph.textContent()).toContain(value);
    }
    expect(await graph.getByRole('button', { name: /merged profile/ }).count()).toBe(1);
    await expectLabelled(page);
    await screenshot(page, 'profile');
    expectNoProblems(tracked);
  });

  it('unmerges a merge from the merge log', async () => {
    const tracked = await h.open({ colorScheme: 'dark' });
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('marketer'), `/profiles/user_id:${userId}`);
    await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
    const rows = page.getByTestId('merge-row');
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByRole('button', { name: /^Unmerge / }).click();
    const dialog = page.getByRole('dialog', { name: 'Unmerge these profiles?' });
    await dialog.getByRole('button', { name: 'Unmerge' }).click();
    await page.getByText('Unmerged: the profiles are now').waitFor();
    const log = (await (
      await h.api(`/api/v1/profiles/user_id:${userId}/merges`)
    ).json()) as MergeBody;
    const merge = log.data.find((m) => m.kind === 'merge');
    expect(merge?.reversedBy).not.toBeNull();
    // The graph no longer holds the other visitor's identifier.
    await expect
      .poll(async () => (await page.getByTestId('identity-graph').textContent()) ?? '')
      .not.toContain(`anon-b-${tag}`);
    await screenshot(page, 'profile-unmerged-dark');
    expectNoProblems(tracked);
  });

  it('global search finds the profile by e-mail', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('marketer'));
    const box = page.getByRole('searchbox', {
      name: 'Search by email, user ID, anonymous ID or message ID',
    });
    await box.fill(email);
    await box.press('Enter');
    const group = page.getByRole('region', { name: 'Profiles' });
    await group.getByRole('link', { name: email }).click();
    await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
    expectNoProblems(tracked);
  });

  it('works on a phone-sized screen', async () => {
    const tracked = await h.open({ width: 390, height: 844 });
    const { page } = tracked;
    // An e-mail has a dot, which the server would take for a file: search by it instead.
    await h.logIn(tracked, await h.userOf('marketer'), `/profiles?q=${encodeURIComponent(email)}`);
    await page.getByRole('link', { name: 'Ada Lovelace' }).click();
    await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
    await page.getByTestId('identity-graph').waitFor();
    await expectNoPageOverflow(page);
    await screenshot(page, 'profile-phone');
    expectNoProblems(tracked);
  });
});
