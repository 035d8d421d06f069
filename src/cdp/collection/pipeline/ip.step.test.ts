import { describe, expect, it } from 'vitest';
import { ipStep } from './ip.step.js';
import type { JsonObject } from './json.js';
import { eventWith } from './testing.js';

describe('ipStep', () => {
  const cases: [string, JsonObject, string | undefined, unknown][] = [
    ['fills context.ip from the connection', {}, '203.0.113.7', '203.0.113.7'],
    ['fills an IPv6 connection address', {}, '2001:db8::1', '2001:db8::1'],
    ['keeps a client-sent ip', { ip: '198.51.100.2' }, '203.0.113.7', '198.51.100.2'],
    ['treats a null ip as not sent', { ip: null }, '203.0.113.7', '203.0.113.7'],
    ['treats an empty ip as not sent', { ip: '' }, '203.0.113.7', '203.0.113.7'],
    ['adds nothing without a connection ip', {}, undefined, undefined],
    ['ignores a connection ip that is not an IP', {}, 'localhost', undefined],
  ];

  it.each(cases)('%s', (_name, context, connectionIp, expected) => {
    const result = ipStep(eventWith({ context }), { connectionIp });
    expect(result.kind === 'ok' && result.value.context.ip).toBe(expected);
  });
});
