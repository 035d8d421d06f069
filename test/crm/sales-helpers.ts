import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/access/roles.js';
import { createUser } from '../../src/access/users/user.service.js';
import { systemClock } from '../../src/kernel/clock.js';
import type { TestApp } from '../helpers/app.js';

/** A real user signed in through the session route, and a client that sends its cookie. */
export async function signedIn(t: TestApp, role: Role, email: string, name = 'Test User') {
  const password = 'correct horse battery';
  const { user } = await createUser(
    { db: t.testStore.store.db, clock: systemClock },
    { email, role, name, password },
  );
  let cookie = '';
  /** Signs in (again): sessions expire by the app's clock, which tests move. */
  const login = async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email, password }),
    });
    cookie = String(r.headers['set-cookie']).split(';')[0] ?? '';
  };
  await login();
  const call = (method: string, url: string, payload?: unknown): Promise<LightMyRequestResponse> =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: payload === undefined ? { cookie } : { cookie, 'content-type': 'application/json' },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
  return { id: user.id, call, login };
}
