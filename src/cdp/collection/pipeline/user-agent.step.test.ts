import { describe, expect, it } from 'vitest';
import type { JsonObject } from './json.js';
import { eventWith } from './testing.js';
import { parseUserAgent, userAgentStep } from './user-agent.step.js';

const chromeLinux =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const iphone =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

describe('userAgentStep', () => {
  const cases: [string, JsonObject, unknown][] = [
    [
      'desktop Chrome',
      { userAgent: chromeLinux },
      {
        browser: { name: 'Chrome', version: '120.0.0.0' },
        engine: { name: 'Blink', version: '120.0.0.0' },
        os: { name: 'Linux' },
      },
    ],
    [
      'an iPhone includes the device',
      { userAgent: iphone },
      {
        browser: { name: 'Mobile Safari', version: '17.0' },
        os: { name: 'iOS', version: '17.0' },
        device: { type: 'mobile', vendor: 'Apple', model: 'iPhone' },
      },
    ],
    [
      'a client-sent userAgentParsed wins',
      { userAgent: iphone, userAgentParsed: { mine: true } },
      { mine: true },
    ],
    ['no userAgent: nothing added', {}, undefined],
    ['a blank userAgent: nothing added', { userAgent: '   ' }, undefined],
    ['a non-string userAgent: nothing added', { userAgent: 5 }, undefined],
    ['an unrecognisable userAgent: nothing added', { userAgent: 'zzz' }, undefined],
  ];

  it.each(cases)('%s', (_name, context, expected) => {
    const result = userAgentStep(eventWith({ context }));
    if (result.kind !== 'ok') throw new Error('expected ok');
    if (expected === undefined) expect(result.value.context).not.toHaveProperty('userAgentParsed');
    else expect(result.value.context.userAgentParsed).toMatchObject(expected as JsonObject);
  });

  it('leaves client fields such as userAgentData, device and os alone', () => {
    const context = {
      userAgent: iphone,
      userAgentData: { mobile: true },
      device: { type: 'ios', id: 'd1' },
      os: { name: 'iPadOS' },
    };
    const result = userAgentStep(eventWith({ context }));
    expect(result).toMatchObject({ kind: 'ok', value: { context } });
  });
});

describe('parseUserAgent', () => {
  it('omits fields the parser did not find', () => {
    const parsed = parseUserAgent(chromeLinux);
    expect(parsed.os).toEqual({ name: 'Linux' });
    expect(parsed).not.toHaveProperty('device');
  });
});
