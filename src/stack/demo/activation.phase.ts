import type { DemoClient } from './client.js';
import { inParallel } from './client.js';
import type { DemoPerson } from './company.js';
import type { Random } from './random.js';

const PURPOSES = [
  'analytics',
  'personalization',
  'advertising',
  'profiling',
  'marketing',
  'sale_of_data',
] as const;
const CHANNELS = ['email', 'sms', 'phone', 'push', 'web', 'ads'] as const;

/** Consent of every kind: purpose-wide and per channel, granted and refused, with evidence. */
export async function recordConsents(
  client: DemoClient,
  people: DemoPerson[],
  random: Random,
): Promise<{ people: number; decisions: number }> {
  const withConsent = people.filter((p) => p.identified && random.chance(0.8));
  const plans = withConsent.map((p) => {
    const decisions: Record<string, unknown>[] = [];
    for (const purpose of PURPOSES) {
      if (random.chance(0.7))
        decisions.push({ purpose, granted: random.chance(0.65), evidence: 'Cookie banner v3' });
    }
    if (random.chance(0.6)) {
      decisions.push({
        purpose: 'marketing',
        channel: random.pick(CHANNELS),
        granted: random.chance(0.5),
        evidence: 'Preference centre',
      });
    }
    return { key: `email:${p.email}`, decisions };
  });
  let decisions = 0;
  await inParallel(
    plans.filter((p) => p.decisions.length > 0),
    6,
    async (plan) => {
      await client.call('PUT', `/api/v1/profiles/${encodeURIComponent(plan.key)}/consents`, {
        body: { decisions: plan.decisions, source: 'demo' },
      });
      decisions += plan.decisions.length;
    },
  );
  return { people: plans.filter((p) => p.decisions.length > 0).length, decisions };
}

export const COMPUTED_TRAITS = [
  {
    key: 'orders_90d',
    name: 'Orders, last 90 days',
    definition: {
      aggregation: 'count',
      event: 'Order Completed',
      window: { amount: 90, unit: 'days' },
    },
  },
  {
    key: 'lifetime_value',
    name: 'Lifetime value (EUR)',
    definition: { aggregation: 'sum', event: 'Order Completed', property: 'total' },
  },
  {
    key: 'favourite_category',
    name: 'Most viewed category',
    definition: { aggregation: 'most_frequent', event: 'Product Viewed', property: 'category' },
  },
];

export const AUDIENCES = [
  { key: 'high_value', name: 'High-value customers', text: 'computed lifetime_value >= 300' },
  {
    key: 'cart_abandoners',
    name: 'Cart abandoners',
    text: 'performed "Product Added" within 30 days and did not perform "Order Completed" within 30 days',
  },
  {
    key: 'marketing_qualified',
    name: 'Marketing qualified',
    text: 'trait plan one of ["pro", "enterprise"] and performed "Product Viewed" at least 2 times',
  },
  {
    key: 'runners_fr',
    name: 'Runners in France',
    mode: 'batch',
    text: 'trait country = "FR" and computed favourite_category = "running"',
  },
];

export interface ActivationResult {
  computedTraits: number;
  audiences: number;
  destinations: number;
  prediction: string;
}

/** Computed traits, audiences, destinations (created disabled) and a prediction model. */
export async function buildActivation(client: DemoClient): Promise<ActivationResult> {
  let computedTraits = 0;
  for (const trait of COMPUTED_TRAITS) {
    // 409: the key exists from an earlier run (--force); keep it.
    const answer = await client.call('POST', '/api/v1/computed-traits', {
      body: trait,
      allow: [409],
    });
    if (answer.status === 201) computedTraits++;
  }
  let audiences = 0;
  for (const audience of AUDIENCES) {
    const answer = await client.call('POST', '/api/v1/audiences', { body: audience, allow: [409] });
    if (answer.status === 201) audiences++;
  }
  // Disabled, so a fresh install sends nothing anywhere until someone points them at a real hook.
  const destinations = [
    {
      name: 'Ads platform (demo)',
      kind: 'audiences',
      url: 'https://hooks.example.com/triad/audiences',
      enabled: false,
      settings: { audiences: ['high_value', 'cart_abandoners'], consentPurpose: 'advertising' },
    },
    {
      name: 'Data warehouse (demo)',
      kind: 'events',
      url: 'https://hooks.example.com/triad/events',
      enabled: false,
      settings: { types: ['track', 'identify'], consentPurpose: 'analytics' },
    },
  ];
  for (const destination of destinations)
    await client.call('POST', '/api/v1/destinations', { body: destination });

  const model = await client.json<{ id: string }>('POST', '/api/v1/predictions', {
    kind: 'purchase',
    windowDays: 30,
  });
  // Training needs enough history; a small demo may be refused, which the summary reports.
  const trained = await client.call('POST', `/api/v1/predictions/${model.id}/train`, {
    allow: [400, 409, 422],
  });
  const body = trained.body as { status?: string; detail?: string; lastError?: string | null };
  const prediction =
    trained.status < 300
      ? `purchase model ${body.status ?? 'trained'}${body.lastError ? ` (${body.lastError})` : ''}`
      : `purchase model defined; training refused: ${body.detail ?? trained.status}`;
  return { computedTraits, audiences, destinations: destinations.length, prediction };
}
