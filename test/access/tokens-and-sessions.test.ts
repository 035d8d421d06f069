import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBootstrapToken, resolveToken } from '../../src/access/tokens/token.service.js';
import { createUser } from '../../src/access/users/user.service.js';
import { manualClock } from '../../src/kernel/clock.js';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';
import { openTestSqlite } from '../helpers/stores.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const json = { 'content-type': 'application/json' };

describe('API tokens', () => {
  it('POST /api/v1/tokens shows the secret once; list never shows it; revoke locks it out', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { ...json, ...bearer(t.adminToken) },
      payload: { name: 'ci deploy', role: 'marketer' },
    });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(Object.keys(body).sort()).toEqual(['id', 'name', 'role', 'token']);
    expect(body).toMatchObject({ name: 'ci deploy', role: 'marketer' });
    expect(body.token).toMatch(/^triad_[A-Za-z0-9_-]{40,}$/);

    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: bearer(body.token),
    });
    expect(me.json()).toMatchObject({ kind: 'token', id: body.id, role: 'marketer' });

    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/tokens',
      headers: bearer(t.adminToken),
    });
    expect(list.body).not.toContain(body.token);
    const listed = list.json().data.find((x: { id: string }) => x.id === body.id);
    expect(listed).toMatchObject({
      name: 'ci deploy',
      role: 'marketer',
      hint: body.token.slice(-4),
      revoked: false,
    });
    expect(listed.lastUsedAt).not.toBeNull();

    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${body.id}`,
      headers: bearer(t.adminToken),
    });
    expect(revoked.statusCode).toBe(204);
    const after = await t.app.inject({
      method: 'GET',
      url: '/api/v1/sources',
      headers: bearer(body.token),
    });
    expect(after.statusCode).toBe(401);
    const listAfter = await t.app.inject({
      method: 'GET',
      url: '/api/v1/tokens',
      headers: bearer(t.adminToken),
    });
    expect(listAfter.json().data.map((x: { id: string }) => x.id)).not.toContain(body.id);
    const withRevoked = await t.app.inject({
      method: 'GET',
      url: '/api/v1/tokens?includeRevoked=true',
      headers: bearer(t.adminToken),
    });
    expect(withRevoked.json().data.find((x: { id: string }) => x.id === body.id).revoked).toBe(
      true,
    );
  });

  it('accepts the token as the Basic user name (Segment Profile API style)', async () => {
    const basic = Buffer.from(`${t.adminToken}:`).toString('base64');
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { authorization: `Basic ${basic}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().role).toBe('admin');
  });

  it('stores only a hash of each secret', async () => {
    const rows = await t.testStore.store.db
      .selectFrom('api_tokens')
      .select(['token_hash'])
      .execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.token_hash).not.toBe(t.adminToken);
    }
  });
});

describe('bootstrap admin token', () => {
  it('is generated once when no value is configured, and works', async () => {
    const s = await openTestSqlite();
    const deps = { db: s.store.db, clock: manualClock() };
    try {
      const first = await ensureBootstrapToken(deps, undefined);
      expect(first.generated).toMatch(/^triad_/);
      const second = await ensureBootstrapToken(deps, undefined);
      expect(second.generated).toBeUndefined();
      expect(await resolveToken(deps, first.generated as string)).toMatchObject({ role: 'admin' });
    } finally {
      await s.destroy();
    }
  });

  it('follows TRIAD_ADMIN_TOKEN: a changed value replaces the old one', async () => {
    const s = await openTestSqlite();
    const deps = { db: s.store.db, clock: manualClock() };
    try {
      expect(
        (await ensureBootstrapToken(deps, 'first-admin-token-value')).generated,
      ).toBeUndefined();
      expect(await resolveToken(deps, 'first-admin-token-value')).toMatchObject({ role: 'admin' });
      await ensureBootstrapToken(deps, 'second-admin-token-value');
      expect(await resolveToken(deps, 'first-admin-token-value')).toBeUndefined();
      expect(await resolveToken(deps, 'second-admin-token-value')).toMatchObject({ role: 'admin' });
    } finally {
      await s.destroy();
    }
  });
});

describe('console sessions', () => {
  const email = 'Ada.Lovelace@Example.com';
  const password = 'correct horse battery';

  beforeAll(async () => {
    await createUser(
      { db: t.testStore.store.db, clock: manualClock(new Date()) },
      { email, role: 'sales', password },
    );
  });

  it('logs in with an HttpOnly, SameSite=Strict cookie, then logs out', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: json,
      payload: { email: 'ada.lovelace@example.com', password },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().user).toMatchObject({ email: 'ada.lovelace@example.com', role: 'sales' });
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/^triad_session=/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    const cookie = setCookie.split(';')[0] as string;

    const me = await t.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });
    expect(me.json()).toMatchObject({
      kind: 'user',
      email: 'ada.lovelace@example.com',
      role: 'sales',
    });

    // A sales user may not manage sources.
    const refused = await t.app.inject({
      method: 'GET',
      url: '/api/v1/sources',
      headers: { cookie },
    });
    expect(refused.statusCode).toBe(403);

    const logout = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { cookie },
    });
    expect(logout.statusCode).toBe(204);
    const afterLogout = await t.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { cookie },
    });
    expect(afterLogout.statusCode).toBe(401);
  });

  it('refuses a cross-origin state change riding on the session cookie', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: json,
      payload: { email, password },
    });
    const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
    const response = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { cookie, origin: 'https://evil.example', host: 'triad.local' },
    });
    expect(response.statusCode).toBe(403);
    expect(problemOf(response).code).toBe('forbidden');
  });

  it('gives the same answer for an unknown e-mail and a wrong password', async () => {
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: json,
      payload: { email: 'ghost@example.com', password },
    });
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: json,
      payload: { email, password: 'not the password' },
    });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(problemOf(unknown).detail).toBe(problemOf(wrong).detail);
  });

  it('admins create users; a generated password is shown once and works', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { ...json, ...bearer(t.adminToken) },
      payload: { email: 'grace@example.com', role: 'support' },
    });
    expect(created.statusCode).toBe(201);
    const { generatedPassword, user } = created.json();
    expect(user.role).toBe('support');
    expect(generatedPassword.length).toBeGreaterThanOrEqual(16);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: json,
      payload: { email: 'grace@example.com', password: generatedPassword },
    });
    expect(login.statusCode).toBe(200);
    const duplicate = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { ...json, ...bearer(t.adminToken) },
      payload: { email: 'GRACE@example.com', role: 'support' },
    });
    expect(duplicate.statusCode).toBe(409);
  });
});
