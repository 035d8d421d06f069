import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/kernel/clock.js';
import { recordConsent } from '../../src/privacy/index.js';
import { enginesUnderTest } from '../helpers/stores.js';
import { type InsightHarness, insightHarness } from '../insights/harness.js';

interface Answer {
  content: Record<string, unknown> | null;
  reason: string;
  matched: string[];
  profile: {
    id: string;
    traits: Record<string, unknown>;
    audiences: string[];
    predictions: Record<string, unknown>;
  } | null;
  consent: { personalization: boolean };
}

const identify = (userId: string, email: string, traits: Record<string, unknown>) => ({
  type: 'identify',
  userId,
  traits: { email, ...traits },
  timestamp: '2026-06-01T10:00:00.000Z',
});

const contents = [
  { id: 'vip-banner', conditions: { audience: 'vip' }, title: 'Welcome back, VIP' },
  {
    id: 'likely-buyer',
    conditions: { prediction: 'purchase_30d', op: 'gte', value: 0.5 },
    title: 'Free shipping today',
  },
  { id: 'free-plan', conditions: { trait: 'plan', op: 'eq', value: 'free' }, title: 'Upgrade' },
  { id: 'default', title: 'Hello' },
];

describe.each(enginesUnderTest())('personalize on $name', (engine) => {
  const clock = manualClock('2026-06-02T00:00:00.000Z');
  let h: InsightHarness;
  const ask = (body: Record<string, unknown>) => h.api<Answer>('POST', '/api/v1/personalize', body);

  beforeAll(async () => {
    h = await insightHarness({ engine, clock, sources: ['web'] });
    await h.send('web', [
      identify('42', 'Ada@Example.com', {
        plan: 'pro',
        country: 'FR',
        tags: ['beta', 'early'],
        predicted_purchase_30d: 0.8,
      }),
      identify('43', 'bob@example.com', { plan: 'free', predicted_purchase_30d: 0.1 }),
      identify('44', 'carol@example.com', { plan: 'free', predicted_purchase_30d: 0.3 }),
    ]);
    const created = await h.api<{ id: string }>('POST', '/api/v1/audiences', {
      key: 'vip',
      name: 'VIP',
      text: 'trait plan = "pro"',
    });
    expect(created.status).toBe(201);
    await h.ready(created.body.id);
    const db = h.t.testStore.store.db;
    const granted = {
      purpose: 'personalization' as const,
      channel: '*' as const,
      granted: true,
      source: 'api',
      recordedAt: '2026-06-01T00:00:00.000Z',
    };
    await recordConsent(db, { type: 'email', value: 'ada@example.com' }, granted);
    await recordConsent(db, { type: 'user_id', value: '44' }, granted);
    // Bob said no.
    await recordConsent(db, { type: 'user_id', value: '43' }, { ...granted, granted: false });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('returns the first matching content with the facts asked for', async () => {
    const res = await ask({
      identifier: 'email:ada@example.com',
      contents,
      strategy: 'first_match',
      fallback: 'default',
      facts: ['plan', 'country', 'unknown_trait'],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.content).toEqual({ id: 'vip-banner', title: 'Welcome back, VIP' });
    expect(res.body.reason).toBe('matched');
    expect(res.body.matched).toEqual(['vip-banner', 'likely-buyer']);
    expect(res.body.profile?.traits).toEqual({ plan: 'pro', country: 'FR' });
    expect(res.body.profile?.audiences).toEqual(['vip']);
    expect(res.body.profile?.predictions).toEqual({ predicted_purchase_30d: 0.8 });
    expect(res.body.consent).toEqual({ personalization: true });
  });

  it('resolves any identifier to the same profile', async () => {
    const byUser = await ask({
      identifier: 'user_id:42',
      contents,
      strategy: 'first_match',
      fallback: 'default',
    });
    const byEmail = await ask({
      identifier: 'email:ada@example.com',
      contents,
      strategy: 'first_match',
      fallback: 'default',
    });
    expect(byUser.body.profile?.id).toBe(byEmail.body.profile?.id);
    expect(byUser.body.profile?.id).toMatch(/^prof_/);
    const carol = await ask({
      identifier: 'user_id:44',
      contents,
      strategy: 'first_match',
      fallback: 'default',
    });
    expect(carol.body.content?.id).toBe('free-plan');
    expect(carol.body.matched).toEqual(['free-plan']);
  });

  it('falls back without consent and discloses nothing', async () => {
    const res = await ask({
      identifier: 'user_id:43',
      contents,
      strategy: 'first_match',
      fallback: 'default',
      facts: ['plan'],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      content: { id: 'default', title: 'Hello' },
      reason: 'no_consent',
      matched: [],
      profile: null,
      consent: { personalization: false },
    });
  });

  it('answers an unknown visitor with the fallback', async () => {
    const res = await ask({
      identifier: 'anonymous_id:never-seen',
      contents,
      strategy: 'first_match',
      fallback: 'default',
    });
    expect(res.status).toBe(200);
    expect(res.body.reason).toBe('profile_not_found');
    expect(res.body.profile).toBeNull();
    expect(res.body.content?.id).toBe('default');
    const none = await ask({
      identifier: 'user_id:nobody',
      contents: contents.slice(0, 3),
      strategy: 'first_match',
    });
    expect(none.body.content).toBeNull();
  });

  it('falls back when nothing matches', async () => {
    const res = await ask({
      identifier: 'user_id:44',
      contents: [contents[0], contents[3]],
      strategy: 'first_match',
      fallback: 'default',
    });
    expect(res.body.reason).toBe('fallback');
    expect(res.body.content?.id).toBe('default');
    expect(res.body.profile?.id).toMatch(/^prof_/);
  });

  it('picks the highest score among matches', async () => {
    const scored = [
      { id: 'a', score: 1, conditions: { trait: 'plan', op: 'in', value: ['pro', 'team'] } },
      { id: 'b', score: 5, conditions: { trait: 'plan', op: 'eq', value: 'free' } },
      { id: 'c', score: 3 },
      { id: 'd', score: 9, conditions: { consent: 'marketing' } },
    ];
    const ada = await ask({
      identifier: 'user_id:42',
      contents: scored,
      strategy: 'highest_score',
    });
    expect(ada.body.matched).toEqual(['a', 'c']);
    expect(ada.body.content?.id).toBe('c');
    const carol = await ask({
      identifier: 'user_id:44',
      contents: scored,
      strategy: 'highest_score',
    });
    expect(carol.body.content?.id).toBe('b');
  });

  it('evaluates all, any, not and every operator', async () => {
    const cases: [unknown, boolean][] = [
      [{ trait: 'tags', op: 'contains', value: 'beta' }, true],
      [{ trait: 'country', op: 'exists' }, true],
      [{ trait: 'zip', op: 'exists' }, false],
      [{ trait: 'zip', op: 'not_exists' }, true],
      [{ trait: 'plan', op: 'neq', value: 'free' }, true],
      [{ prediction: 'predicted_purchase_30d', op: 'gt', value: 0.8 }, false],
      [{ prediction: 'purchase_30d', op: 'lte', value: 0.8 }, true],
      [{ trait: 'predicted_purchase_30d', op: 'lt', value: 0.5 }, false],
      [{ all: [{ audience: 'vip' }, { consent: 'personalization' }] }, true],
      [
        {
          any: [
            { audience: 'vip', member: false },
            { trait: 'plan', op: 'eq', value: 'x' },
          ],
        },
        false,
      ],
      [{ not: { consent: 'advertising' } }, true],
      [{ consent: 'advertising', granted: false }, true],
      [
        [
          { trait: 'plan', op: 'eq', value: 'pro' },
          { trait: 'country', op: 'in', value: ['DE'] },
        ],
        false,
      ],
    ];
    for (const [conditions, expected] of cases) {
      const res = await ask({
        identifier: 'user_id:42',
        contents: [{ id: 'x', conditions }, { id: 'fb' }],
        strategy: 'first_match',
        fallback: 'fb',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect([conditions, res.body.content?.id]).toEqual([conditions, expected ? 'x' : 'fb']);
    }
  });

  it('chooses at random among matches, reproducibly with a seed', async () => {
    const many = Array.from({ length: 8 }, (_, i) => ({
      id: `v${i}`,
      conditions: { trait: 'plan', op: 'eq', value: i < 6 ? 'pro' : 'free' },
    }));
    const picks = new Set<string>();
    for (let seed = 0; seed < 30; seed++) {
      const first = await ask({
        identifier: 'user_id:42',
        contents: many,
        strategy: 'random',
        seed,
      });
      const again = await ask({
        identifier: 'user_id:42',
        contents: many,
        strategy: 'random',
        seed,
      });
      expect(again.body.content).toEqual(first.body.content);
      picks.add(String(first.body.content?.id));
    }
    expect([...picks].every((id) => ['v0', 'v1', 'v2', 'v3', 'v4', 'v5'].includes(id))).toBe(true);
    expect(picks.size).toBeGreaterThan(2);
  });

  it.each([
    ['empty contents', { contents: [] }],
    [
      'content without conditions under first_match',
      { contents: [{ id: 'a' }, { id: 'b', conditions: { audience: 'vip' } }] },
    ],
    [
      'unknown operator',
      { contents: [{ id: 'a', conditions: { trait: 'plan', op: 'like', value: 'p' } }] },
    ],
    ['missing value', { contents: [{ id: 'a', conditions: { trait: 'plan', op: 'eq' } }] }],
    [
      'in without a list',
      { contents: [{ id: 'a', conditions: { trait: 'plan', op: 'in', value: 'pro' } }] },
    ],
    ['empty all', { contents: [{ id: 'a', conditions: { all: [] } }] }],
    ['unknown condition', { contents: [{ id: 'a', conditions: { event: 'Viewed' } }] }],
    ['unknown audience', { contents: [{ id: 'a', conditions: { audience: 'nope' } }] }],
    ['unknown consent purpose', { contents: [{ id: 'a', conditions: { consent: 'fun' } }] }],
    [
      'unknown fallback',
      { contents: [{ id: 'a', conditions: { audience: 'vip' } }], fallback: 'zzz' },
    ],
    [
      'duplicate ids',
      {
        contents: [
          { id: 'a', conditions: { audience: 'vip' } },
          { id: 'a', conditions: { audience: 'vip' } },
        ],
      },
    ],
    ['highest_score without score', { strategy: 'highest_score', contents: [{ id: 'a' }] }],
    [
      'unknown strategy',
      { strategy: 'best', contents: [{ id: 'a', conditions: { audience: 'vip' } }] },
    ],
    [
      'identifier without type',
      { identifier: 'ada', contents: [{ id: 'a', conditions: { audience: 'vip' } }] },
    ],
  ])('refuses %s with a 400', async (_label, override) => {
    const res = await ask({ identifier: 'user_id:42', strategy: 'first_match', ...override });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
  });

  it('refuses bad input for unknown visitors too', async () => {
    const res = await ask({
      identifier: 'user_id:nobody',
      strategy: 'first_match',
      contents: [{ id: 'a', conditions: { trait: 'plan', op: 'like' } }],
    });
    expect(res.status).toBe(400);
  });
});
