import { afterAll, describe, expect, it } from 'vitest';
import { enginesUnderTest } from '../../../test/helpers/stores.js';
import { consentAllows, consentsFor, recordConsent } from './profile-consent.js';

describe.each(enginesUnderTest())('profile consent on $name', (engine) => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it('keeps the newest decision per purpose and channel across identifiers', async () => {
    const t = await engine.open();
    closers.push(() => t.destroy());
    const email = { type: 'email', value: 'ada@example.com' };
    const user = { type: 'user_id', value: 'u1' };
    await recordConsent(t.store.db, email, {
      purpose: 'marketing',
      channel: '*',
      granted: true,
      source: 'api',
      recordedAt: '2026-01-01T00:00:00.000Z',
    });
    await recordConsent(t.store.db, user, {
      purpose: 'marketing',
      channel: 'email',
      granted: false,
      source: 'event',
      recordedAt: '2026-01-02T00:00:00.000Z',
    });
    // An older decision arriving late does not override the newer one.
    await recordConsent(t.store.db, user, {
      purpose: 'marketing',
      channel: 'email',
      granted: true,
      source: 'import',
      recordedAt: '2025-12-01T00:00:00.000Z',
    });
    const decisions = await consentsFor(t.store.db, [email, user]);
    expect(consentAllows(decisions, 'marketing', 'sms')).toBe(true);
    expect(consentAllows(decisions, 'marketing', 'email')).toBe(false);
    expect(consentAllows(decisions, 'advertising')).toBe(false);
    const history = await t.store.db.selectFrom('privacy_consent_history').selectAll().execute();
    expect(history).toHaveLength(3);
  });
});
