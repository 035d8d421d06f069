import { describe, expect, it } from 'vitest';
import { campaignStep } from './campaign.step.js';
import type { JsonObject } from './json.js';
import { eventWith } from './testing.js';

describe('campaignStep', () => {
  const cases: [string, JsonObject, unknown][] = [
    [
      'all five UTM parameters',
      {
        page: {
          url: 'https://x.io/?utm_source=g&utm_medium=cpc&utm_campaign=spring&utm_term=shoes&utm_content=ad1',
        },
      },
      { source: 'g', medium: 'cpc', name: 'spring', term: 'shoes', content: 'ad1' },
    ],
    [
      'client-sent keys win one by one',
      {
        page: { url: 'https://x.io/?utm_source=url&utm_medium=email' },
        campaign: { source: 'client' },
      },
      { source: 'client', medium: 'email' },
    ],
    [
      'values are URL-decoded',
      { page: { url: 'https://x.io/?utm_campaign=Black%20Friday+2026' } },
      { name: 'Black Friday 2026' },
    ],
    [
      'the first of repeated values wins',
      { page: { url: 'https://x.io/?utm_source=a&utm_source=b' } },
      { source: 'a' },
    ],
    [
      'page.search when there is no url',
      { page: { search: '?utm_source=news' } },
      { source: 'news' },
    ],
    ['a relative url', { page: { url: '/landing?utm_medium=social#top' } }, { medium: 'social' }],
    [
      'a null campaign is filled',
      { page: { url: 'https://x.io/?utm_source=a' }, campaign: null },
      { source: 'a' },
    ],
  ];

  it.each(cases)('%s', (_name, context, expected) => {
    const result = campaignStep(eventWith({ context }));
    expect(result.kind === 'ok' && result.value.context.campaign).toEqual(expected);
  });

  const untouched: [string, JsonObject][] = [
    ['no page', {}],
    ['no UTM parameters', { page: { url: 'https://x.io/?q=1' } }],
    ['empty UTM values', { page: { url: 'https://x.io/?utm_source=' } }],
    [
      'a campaign that is not an object',
      { page: { url: 'https://x.io/?utm_source=a' }, campaign: 'c' },
    ],
    [
      'everything already set by the client',
      { page: { url: 'https://x.io/?utm_source=a' }, campaign: { source: 'b' } },
    ],
    ['a url without a query', { page: { url: 'not a url' } }],
  ];

  it.each(untouched)('leaves the context alone: %s', (_name, context) => {
    const event = eventWith({ context });
    const result = campaignStep(event);
    expect(result.kind === 'ok' && result.value).toBe(event);
  });
});
