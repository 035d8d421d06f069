import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suppressionStep } from '../../src/cdp/collection/pipeline/suppression.step.js';
import type { CollectedEvent } from '../../src/cdp/collection/pipeline/types.js';
import { digestOf, identifierSalt } from '../../src/privacy/requests/digest.js';
import { loadSuppressions, suppressIdentifiers } from '../../src/privacy/requests/suppression.js';
import { openTestSqlite, type TestStore } from '../helpers/stores.js';

const base: CollectedEvent = {
  type: 'track',
  messageId: 'm1',
  anonymousId: 'anon-ok',
  userId: null,
  event: 'Viewed',
  name: null,
  category: null,
  properties: {},
  traits: {},
  context: {},
  integrations: {},
  timestamp: '2026-01-01T00:00:00.000Z',
  originalTimestamp: null,
  sentAt: null,
  receivedAt: '2026-01-01T00:00:00.000Z',
  previousId: null,
  groupId: null,
};

let store: TestStore;
const now = '2026-01-01T00:00:00.000Z';

beforeAll(async () => {
  store = await openTestSqlite();
  await suppressIdentifiers(store.store.db, now, 'dsr_test', [
    { type: 'email', value: 'erased.person@example.org' },
    { type: 'user_id', value: 'erased-user-77' },
    { type: 'anonymous_id', value: 'erased-anon-77' },
    { type: 'phone', value: '+447700900123' },
    { type: 'dmp_id', value: 'td_erased0000000000000000000' },
    { type: 'device_id', value: 'erased-device-77' },
  ]);
});
afterAll(() => store.destroy());

describe('suppression step', () => {
  it.each<[string, Partial<CollectedEvent>, 'ok' | 'drop']>([
    ['an unrelated event', {}, 'ok'],
    ['a suppressed user ID', { userId: 'erased-user-77' }, 'drop'],
    ['a suppressed anonymous ID', { anonymousId: 'erased-anon-77' }, 'drop'],
    ['an alias from a suppressed ID', { previousId: 'erased-user-77' }, 'drop'],
    ['a suppressed e-mail in traits', { traits: { email: 'erased.person@example.org' } }, 'drop'],
    [
      'a suppressed e-mail in context.traits, other case',
      { context: { traits: { email: 'Erased.Person@Example.org' } } },
      'drop',
    ],
    [
      'a suppressed e-mail in properties',
      { properties: { email: 'erased.person@example.org' } },
      'drop',
    ],
    ['a suppressed phone', { traits: { phone: '+447700900123' } }, 'drop'],
    ['a suppressed device ID', { context: { device: { id: 'erased-device-77' } } }, 'drop'],
    [
      'a suppressed external ID',
      { context: { externalIds: [{ type: 'dmp_id', id: 'td_erased0000000000000000000' }] } },
      'drop',
    ],
    ['the e-mail as a user ID', { userId: 'erased.person@example.org' }, 'drop'],
    [
      'an e-mail that only contains the suppressed one',
      { traits: { email: 'xerased.person@example.org' } },
      'ok',
    ],
    [
      'a suppressed value under a non-identity key',
      { properties: { note: 'erased-user-77' } },
      'ok',
    ],
  ])('%s -> %s', (_name, change, expected) => {
    const result = suppressionStep({ ...base, ...change });
    expect(result.kind).toBe(expected);
    if (result.kind === 'drop') expect(result.code).toBe('suppressed_identity');
  });

  it('stores only salted digests and reloads them in another process', async () => {
    const rows = await store.store.db.selectFrom('privacy_suppressions').selectAll().execute();
    expect(rows).toHaveLength(6);
    expect(JSON.stringify(rows)).not.toContain('erased');
    const salt = await identifierSalt(store.store.db, now);
    expect(rows.map((r) => r.digest)).toContain(digestOf(salt, 'erased-user-77'));
    expect(await loadSuppressions(store.store.db, now)).toBe(6);
    expect(suppressionStep({ ...base, userId: 'erased-user-77' }).kind).toBe('drop');
  });
});
