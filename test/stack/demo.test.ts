import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import {
  DemoError,
  type DemoSummary,
  demoCast,
  demoTag,
  Random,
  runDemo,
} from '../../src/stack/demo/index.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

/**
 * The demo against a listening Triad over real HTTP (the consumers running as in `triad start`),
 * then every area checked through the API.
 */
const SEED = 7;
const PROFILES = 60;
let t: TestApp;
let url: string;
let summary: DemoSummary;
const lines: string[] = [];
const { people } = demoCast(new Random(SEED), PROFILES, demoTag(SEED));

async function get<T>(path: string): Promise<T> {
  const response = await t.app.inject({ method: 'GET', url: path, headers: bearer(t.adminToken) });
  expect(response.statusCode, `${path}: ${response.body}`).toBe(200);
  return response.json() as T;
}

interface CrmPage {
  results: {
    id: string;
    properties: Record<string, string | null>;
    associations?: Record<string, { results: unknown[] }>;
  }[];
}

beforeAll(async () => {
  t = await createTestApp({ identity: true });
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  summary = await runDemo(
    { url, token: t.adminToken, profiles: PROFILES, seed: SEED },
    fetch,
    (l) => lines.push(l),
  );
  await t.drain();
}, 180_000);
afterAll(() => t.close());

describe('triad demo', () => {
  it('prints a line per phase and counts what it sent', () => {
    expect(lines.length).toBeGreaterThanOrEqual(8);
    expect(summary.people.total).toBe(PROFILES);
    expect(summary.events.accepted).toBeGreaterThan(200);
    // One SDK message in fifty people lacks both IDs on purpose (the rejected-events screen).
    expect(summary.events.rejected).toBe(1);
  });

  it('draws the same company from the same seed, and another from another seed', () => {
    const again = demoCast(new Random(SEED), PROFILES, demoTag(SEED)).people;
    expect(again).toEqual(people);
    const other = demoCast(new Random(SEED + 1), PROFILES, demoTag(SEED + 1)).people;
    expect(other.map((p) => p.email)).not.toEqual(people.map((p) => p.email));
  });

  it('creates three sources, each with events', async () => {
    const sources = await get<{ data: { id: string; name: string }[] }>('/api/v1/sources');
    expect(sources.data.map((s) => s.name).sort()).toEqual(['CRM import', 'Mobile app', 'Website']);
    for (const source of sources.data) {
      const events = await get<{ data: unknown[] }>(`/api/v1/events?sourceId=${source.id}`);
      expect(events.data.length, source.name).toBeGreaterThan(0);
    }
  });

  it('keeps the deliberately broken app events as rejected, with their reason', async () => {
    const rejected = await get<{ data: unknown[] }>('/api/v1/events/rejected');
    expect(rejected.data.length).toBe(summary.events.rejected);
  });

  it('finds the mistyped CRM records as fuzzy duplicates', async () => {
    expect(summary.people.mistypedEmails).toBeGreaterThan(0);
    const found = (summary.duplicates?.linked ?? 0) + (summary.duplicates?.suggested ?? 0);
    expect(found).toBeGreaterThan(0);
  });

  it('merges the CRM import, the app and the website into one profile per person', async () => {
    const person = people.find((p) => p.identified && p.inCrm && !p.crmEmailTypo && p.usesApp);
    const fallback = people.find((p) => p.identified && p.inCrm && !p.crmEmailTypo);
    const who = person ?? fallback;
    if (!who) throw new Error('the seed has no identified person in the CRM import');
    const profile = await get<{
      identifiers: { type: string; value: string }[];
      traits: Record<string, unknown>;
    }>(`/api/v1/profiles/${encodeURIComponent(`email:${who.email}`)}`);
    const types = profile.identifiers.map((i) => i.type);
    expect(types).toContain('user_id');
    expect(profile.identifiers.some((i) => i.value.startsWith('crm-'))).toBe(true);
    expect(profile.identifiers.filter((i) => i.type === 'anonymous_id').length).toBeGreaterThan(1);
    expect(profile.traits.last_name).toBe(who.lastName);
  });

  it('fills the CRM: companies, contacts, deals in two pipelines, tickets and activities', async () => {
    const companies = await get<CrmPage>('/crm/v3/objects/companies?limit=100');
    expect(companies.results.length).toBe(summary.crm.companies);
    const contacts = await get<CrmPage>(
      '/crm/v3/objects/contacts?limit=100&associations=companies',
    );
    expect(contacts.results.length).toBe(summary.crm.contacts);
    expect(contacts.results.some((c) => (c.associations?.companies?.results.length ?? 0) > 0)).toBe(
      true,
    );
    const deals = await get<CrmPage>('/crm/v3/objects/deals?limit=100&properties=pipeline');
    expect(deals.results.length).toBeGreaterThan(0);
    expect(new Set(deals.results.map((d) => d.properties.pipeline)).size).toBe(2);
    const pipelines = await get<{ results: { label: string }[] }>('/crm/v3/pipelines/deals');
    expect(pipelines.results.length).toBe(2);
    for (const type of ['tickets', 'calls', 'emails', 'notes']) {
      const page = await get<CrmPage>(`/crm/v3/objects/${type}?limit=100&associations=contacts`);
      expect(page.results.length, type).toBeGreaterThan(0);
      expect(page.results[0]?.associations?.contacts?.results.length, type).toBe(1);
    }
  });

  it('records consents, granted and refused', async () => {
    const granted = new Set<boolean>();
    for (const person of people.filter((p) => p.identified).slice(0, 15)) {
      const consents = await get<{ current: { granted: boolean }[] }>(
        `/api/v1/profiles/${encodeURIComponent(`email:${person.email}`)}/consents`,
      );
      for (const decision of consents.current) granted.add(decision.granted);
    }
    expect([...granted].sort()).toEqual([false, true]);
    expect(summary.consents.decisions).toBeGreaterThan(summary.consents.people);
  });

  it('defines computed traits, audiences, disabled destinations and a prediction model', async () => {
    const traits = await get<{ data: { key: string }[] }>('/api/v1/computed-traits');
    expect(traits.data.map((x) => x.key).sort()).toEqual([
      'favourite_category',
      'lifetime_value',
      'orders_90d',
    ]);
    const audiences = await get<{ data: { key: string }[] }>('/api/v1/audiences');
    expect(audiences.data.length).toBe(4);
    const destinations = await get<{ data: { enabled: boolean }[] }>('/api/v1/destinations');
    expect(destinations.data.length).toBe(2);
    expect(destinations.data.every((d) => d.enabled === false)).toBe(true);
    const predictions = await get<{ data: { kind: string }[] }>('/api/v1/predictions');
    expect(predictions.data.map((p) => p.kind)).toEqual(['purchase']);
    expect(summary.prediction).toMatch(/purchase model/);
  });

  it('builds DMP traits and segments that anonymous visitors qualify for', async () => {
    const traits = await get<{ data: unknown[] }>('/api/v1/dmp/traits');
    expect(traits.data.length).toBe(7);
    const segments = await get<{ data: { id: string }[] }>('/api/v1/dmp/segments');
    expect(segments.data.length).toBe(4);
    expect(summary.dmp.visitors).toBe(PROFILES);
    expect(summary.dmp.hits).toBeGreaterThanOrEqual(PROFILES);
  });

  it('refuses a second run without --force, a bad token and an unreachable server', async () => {
    const options = { url, token: t.adminToken, profiles: 5, seed: SEED };
    await expect(runDemo(options, fetch)).rejects.toThrow(/--force/);
    await expect(runDemo({ ...options, token: `triad_${'x'.repeat(40)}` }, fetch)).rejects.toThrow(
      /token was refused/,
    );
    await expect(runDemo({ ...options, url: 'http://127.0.0.1:9' }, fetch)).rejects.toBeInstanceOf(
      DemoError,
    );
    const err: string[] = [];
    const code = await runCli(['demo', '--url', 'http://127.0.0.1:9', '--token', t.adminToken], {
      out: () => {},
      err: (line) => err.push(line),
      env: {},
      isTty: false,
    });
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^triad demo: cannot reach Triad at http:\/\/127\.0\.0\.1:9/);
  });
});
