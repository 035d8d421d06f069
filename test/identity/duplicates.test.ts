import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePopulation } from '../../src/cdp/identity/matching/synthetic/population.js';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';

/**
 * Fuzzy matching over live profiles: every generated record arrives as its own identify call
 * with its own anonymous ID, so only identifiers (a shared e-mail) or the matcher can join a
 * person's records.
 */
let t: TestApp;
let admin: Record<string, string>;
const json = { 'content-type': 'application/json' };
// No shared household e-mails: an e-mail identifier would merge a family before the matcher runs,
// and this test measures the matcher's links.
const population = generatePopulation({
  records: 800,
  seed: 11,
  duplicateShare: 0.25,
  familyEmailShare: 0,
});

async function clusters(): Promise<Map<string, string>> {
  const rows = await t.testStore.store.db
    .selectFrom('identity_identifiers')
    .select(['value', 'profile_id'])
    .where('type', '=', 'anonymous_id')
    .execute();
  return new Map(rows.map((r) => [r.value, r.profile_id]));
}

/**
 * Pairwise recall of record clusters against the generator's truth, and the precision of the
 * pairs linked now that were not linked in `before` (what the matcher added).
 */
function pairwise(profileOf: Map<string, string>, before?: Map<string, string>) {
  let truePairs = 0;
  let correct = 0;
  let added = 0;
  let addedCorrect = 0;
  const records = population.records;
  for (let i = 0; i < records.length; i++) {
    for (let j = i + 1; j < records.length; j++) {
      const same = population.truth[i] === population.truth[j];
      const linked = profileOf.get(`rec-${i}`) === profileOf.get(`rec-${j}`);
      if (same) truePairs++;
      if (same && linked) correct++;
      if (before && linked && before.get(`rec-${i}`) !== before.get(`rec-${j}`)) {
        added++;
        if (same) addedCorrect++;
      }
    }
  }
  return {
    recall: correct / truePairs,
    added,
    addedPrecision: added === 0 ? 1 : addedCorrect / added,
  };
}

beforeAll(async () => {
  t = await createTestApp({ identity: true });
  admin = bearer(t.adminToken);
  const source = (
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { ...admin, ...json },
      payload: { name: 'crm import' },
    })
  ).json();
  const batch = population.records.map((r, i) => ({
    type: 'identify',
    anonymousId: `rec-${i}`,
    messageId: `dup-${i}`,
    traits: {
      first_name: r.first_name,
      last_name: r.last_name,
      birthday: r.dob,
      email: r.email,
      phone: r.phone,
      city: r.city,
      postcode: r.postcode,
    },
  }));
  const sent = await t.app.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: {
      authorization: `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}`,
      ...json,
    },
    payload: { batch },
  });
  expect(sent.json().accepted).toBe(800);
  await t.drain();
});
afterAll(() => t.close());

describe('fuzzy duplicates between profiles', () => {
  it('links the same person across profiles without false merges, through ordinary merges', async () => {
    const beforeClusters = await clusters();
    const before = pairwise(beforeClusters);
    const scan = await t.app.inject({
      method: 'POST',
      url: '/api/v1/identity/duplicates/scan',
      headers: admin,
    });
    expect(scan.statusCode).toBe(200);
    expect(scan.json().linked).toBeGreaterThan(0);
    await t.drain();
    // Shared household e-mails already merged some people deterministically (as an e-mail
    // identifier does); what is measured here is what the fuzzy links added on top.
    const after = pairwise(await clusters(), beforeClusters);
    expect(after.recall).toBeGreaterThan(before.recall + 0.1);
    expect(after.added).toBeGreaterThan(20);
    expect(after.addedPrecision).toBeGreaterThanOrEqual(0.95);

    const merges = await t.testStore.store.db
      .selectFrom('identity_merge_log')
      .select('reason')
      .where('kind', '=', 'merge')
      .execute();
    const viaLinks = merges.filter((m) =>
      String(JSON.parse(m.reason).event?.messageId).startsWith('link-'),
    );
    expect(viaLinks.length).toBeGreaterThan(0);
  });

  it('lists suggestions for review and lets a reviewer confirm or dismiss them', async () => {
    const merged = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/identity/duplicates?status=merged',
        headers: admin,
      })
    ).json().data;
    expect(merged.length).toBeGreaterThan(0);
    expect(merged[0].fields.length).toBeGreaterThan(0);

    // Two distinct live profiles put up for review, as a scan would.
    const db = t.testStore.store.db;
    const live = await db
      .selectFrom('identity_profiles')
      .select('id')
      .where('merged_into', 'is', null)
      .orderBy('id')
      .limit(4)
      .execute();
    const [p1, p2, p3, p4] = live.map((p) => p.id) as [string, string, string, string];
    const now = new Date().toISOString();
    const row = (a: string, b: string) => ({
      id: `${a}|${b}`,
      profile_a: a,
      profile_b: b,
      probability: 0.7,
      explanation: '[]',
      status: 'open',
      created_at: now,
      updated_at: now,
    });
    await db
      .insertInto('identity_duplicates')
      .values([row(p1, p2), row(p3, p4)])
      .execute();
    const open = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/identity/duplicates',
        headers: bearer(await t.tokenFor('sales')),
      })
    ).json().data;
    expect(open.map((d: { id: string }) => d.id)).toEqual(
      expect.arrayContaining([`${p1}|${p2}`, `${p3}|${p4}`]),
    );

    const confirm = await t.app.inject({
      method: 'POST',
      url: `/api/v1/identity/duplicates/${encodeURIComponent(`${p1}|${p2}`)}/merge`,
      headers: admin,
    });
    expect(confirm.statusCode).toBe(202);
    await t.drain();
    const merges = await db
      .selectFrom('identity_merge_log')
      .selectAll()
      .where('kind', '=', 'merge')
      .execute();
    expect(
      merges.some(
        (m) => [m.profile_id, m.other_profile_id].sort().join('|') === [p1, p2].sort().join('|'),
      ),
    ).toBe(true);
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/identity/duplicates/${encodeURIComponent(`${p1}|${p2}`)}/merge`,
      headers: admin,
    });
    expect(again.statusCode).toBe(409);

    const dismiss = await t.app.inject({
      method: 'POST',
      url: `/api/v1/identity/duplicates/${encodeURIComponent(`${p3}|${p4}`)}/dismiss`,
      headers: admin,
    });
    expect(dismiss.statusCode).toBe(204);
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/v1/identity/duplicates/nope%7Cnope/merge',
      headers: admin,
    });
    expect(problemOf(missing).code).toBe('not_found');
  });
});
