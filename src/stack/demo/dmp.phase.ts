import { type DemoClient, inParallel } from './client.js';
import { CATEGORIES } from './company.js';
import type { Random } from './random.js';

const ID_IN_COOKIE = /triad_dmp_id=(td_[0-9a-z]{26})/;
// Weighted like a sports retailer's traffic, so the default 500 visitors give segments above the
// reporting floor (smaller figures are suppressed).
const DEVICES = ['mobile', 'mobile', 'mobile', 'desktop', 'desktop', 'tablet'] as const;
const INTERESTS = [
  'running',
  'running',
  'running',
  'cycling',
  'cycling',
  'outdoor',
  'fitness',
  'swimming',
] as const;

export interface DmpResult {
  /** One DMP ID per visitor, in visitor order. */
  ids: string[];
  hits: number;
  traits: number;
  segments: number;
}

/**
 * Anonymous browsing as the DMP sees it: the JS beacon with the cookie the first hit set, and
 * only non-personal signals. Traits and segments come first so the hits qualify as they land.
 */
export async function buildDmpAudience(
  client: DmpClientLike,
  visitors: number,
  random: Random,
  tag: string,
): Promise<DmpResult> {
  const traits: Record<string, string> = {};
  for (const category of CATEGORIES) {
    const trait = await client.json<{ id: string }>('POST', '/api/v1/dmp/traits', {
      name: `Visited ${category} pages (${tag})`,
      description: `Browsed the ${category} section`,
      rule: { match: 'all', conditions: [{ key: 'section', op: 'eq', value: category }] },
      ttlDays: 90,
    });
    traits[category] = trait.id;
  }
  const cart = await client.json<{ id: string }>('POST', '/api/v1/dmp/traits', {
    name: `Added to cart (${tag})`,
    rule: { conditions: [{ key: 'action', op: 'eq', value: 'add_to_cart' }] },
    ttlDays: 30,
  });
  const mobile = await client.json<{ id: string }>('POST', '/api/v1/dmp/traits', {
    name: `Mobile visitor (${tag})`,
    rule: { conditions: [{ key: 'device', op: 'eq', value: 'mobile' }] },
    ttlDays: 30,
  });
  const taxonomy = async (q: string) => {
    const found = await client.json<{ data?: { id: number }[] }>(
      'GET',
      `/api/v1/dmp/taxonomy?q=${encodeURIComponent(q)}`,
    );
    return found.data?.[0]?.id;
  };
  const segments = [
    {
      name: `In-market: running shoes (${tag})`,
      expression: `${traits.running} AND frequency(${traits.running}, 30d) >= 2`,
      q: 'Running',
    },
    {
      name: `Runners and cyclists on mobile (${tag})`,
      expression: `${mobile.id} AND (${traits.cycling} OR ${traits.running})`,
      q: 'Cycling',
    },
    {
      name: `Cart abandoners (${tag})`,
      expression: `${cart.id} AND recency(${cart.id}) <= 14d`,
      q: 'Shopping',
    },
    {
      name: `Outdoor and fitness fans (${tag})`,
      expression: `${traits.outdoor} OR ${traits.fitness}`,
      q: 'Fitness',
    },
  ];
  for (const segment of segments) {
    const id = await taxonomy(segment.q);
    await client.call('POST', '/api/v1/dmp/segments', {
      body: {
        name: segment.name,
        description: 'Demo segment',
        expression: segment.expression,
        ...(id === undefined ? {} : { taxonomyIds: [id] }),
      },
    });
  }

  const ids: string[] = [];
  let hits = 0;
  const plans = Array.from({ length: visitors }, () => ({
    favourite: random.pick(INTERESTS),
    device: random.pick(DEVICES),
    pages: random.int(1, 4),
    // Now and then a visitor strays into another section.
    sections: Array.from({ length: 4 }, () =>
      random.chance(0.2) ? random.pick(CATEGORIES) : null,
    ),
    carts: random.chance(0.25),
  }));
  await inParallel(plans, 6, async (plan, index) => {
    let cookie: string | undefined;
    for (let page = 0; page < plan.pages; page++) {
      const answer = await client.call('POST', '/dmp/v1/events', {
        auth: cookie ? { cookie } : {},
        body: {
          signals: {
            section: plan.sections[page] ?? plan.favourite,
            device: plan.device,
            ...(plan.carts && page === plan.pages - 1 ? { action: 'add_to_cart' } : {}),
          },
          gdpr: 0,
        },
      });
      hits++;
      const id = answer.setCookie?.match(ID_IN_COOKIE)?.[1];
      if (id) {
        cookie = `triad_dmp_id=${id}`;
        ids[index] = id;
      }
    }
  });
  return { ids, hits, traits: CATEGORIES.length + 2, segments: segments.length };
}

type DmpClientLike = Pick<DemoClient, 'call' | 'json'>;
