import { describe, expect, it } from 'vitest';
import { emailStep } from './email.step.js';
import type { JsonObject } from './json.js';
import { eventWith } from './testing.js';

describe('emailStep', () => {
  const cases: [
    string,
    Partial<Record<'traits' | 'properties' | 'context', JsonObject>>,
    Record<string, unknown>,
  ][] = [
    [
      'traits.email',
      { traits: { email: '  Ann@Example.COM ' } },
      { traits: { email: 'ann@example.com' } },
    ],
    [
      'properties.email',
      { properties: { email: 'BOB@x.io' } },
      { properties: { email: 'bob@x.io' } },
    ],
    [
      'context.traits.email',
      { context: { traits: { email: 'C@X.IO' }, locale: 'en' } },
      { context: { traits: { email: 'c@x.io' }, locale: 'en' } },
    ],
    [
      'all three at once',
      {
        traits: { email: 'A@A' },
        properties: { email: 'B@B' },
        context: { traits: { email: 'C@C' } },
      },
      {
        traits: { email: 'a@a' },
        properties: { email: 'b@b' },
        context: { traits: { email: 'c@c' } },
      },
    ],
    [
      'a malformed address is still normalized, not rejected',
      { traits: { email: ' Not An Email ' } },
      { traits: { email: 'not an email' } },
    ],
    ['a non-string email is left alone', { traits: { email: 42 } }, { traits: { email: 42 } }],
    [
      'other keys are untouched',
      { traits: { Email: 'X@Y', name: 'Ann' } },
      { traits: { Email: 'X@Y', name: 'Ann' } },
    ],
    [
      'context.traits that is not an object is untouched',
      { context: { traits: 'x' } },
      { context: { traits: 'x' } },
    ],
  ];

  it.each(cases)('%s', (_name, fields, expected) => {
    expect(emailStep(eventWith(fields))).toMatchObject({ kind: 'ok', value: expected });
  });

  it('does not mutate the input event', () => {
    const input = eventWith({ traits: { email: 'A@B' } });
    emailStep(input);
    expect(input.traits.email).toBe('A@B');
  });
});
