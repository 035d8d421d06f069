import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Role, roles } from '../../src/access/roles.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

/**
 * The intended policy, written independently of the route declarations: a route whose
 * declared access drifts from this table fails here, and so does a new route nobody listed.
 */
const everyone = [...roles];
const policy: Record<string, Role[] | 'public' | 'writeKey'> = {
  'POST /api/v1/tokens': ['admin'],
  'GET /api/v1/tokens': ['admin'],
  'DELETE /api/v1/tokens/{id}': ['admin'],
  'POST /api/v1/users': ['admin'],
  'GET /api/v1/users': ['admin'],
  'POST /api/v1/session': 'public',
  'GET /api/v1/session': everyone,
  'DELETE /api/v1/session': everyone,
  'POST /api/v1/sources': ['admin', 'marketer'],
  'GET /api/v1/sources': ['admin', 'marketer'],
  'GET /api/v1/sources/{id}': ['admin', 'marketer'],
  'PATCH /api/v1/sources/{id}': ['admin', 'marketer'],
  'POST /api/v1/sources/{id}/rotate-key': ['admin', 'marketer'],
  'GET /api/v1/events': ['admin', 'marketer'],
  'GET /api/v1/events/rejected': ['admin', 'marketer'],
  ...Object.fromEntries(
    [
      'track',
      'identify',
      'page',
      'screen',
      'group',
      'alias',
      'batch',
      't',
      'i',
      'p',
      's',
      'g',
      'a',
      'b',
    ].map((p) => [`POST /v1/${p}`, 'writeKey' as const]),
  ),
  'POST /v1/m': 'public',
  'GET /v1/projects/{writeKey}/settings': 'public',
  'OPTIONS /v1/{*}': 'public',
  // profiles and identity routes
  // ingest routes (tracking plans, imports, live debugger)
  // crm routes
  // dmp routes
  // console routes
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'public',
  'GET /openapi.json': 'public',
};

let t: TestApp;
let documented: string[];

beforeAll(async () => {
  t = await createTestApp();
  const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
  );
});
afterAll(() => t.close());

function request(route: string, headers: Record<string, string>) {
  const [method, path] = route.split(' ') as [string, string];
  return t.app.inject({
    method: method as 'GET',
    url: path.replaceAll('{id}', 'xyz').replaceAll('{writeKey}', 'nokey').replace('{*}', 'track'),
    headers:
      method === 'GET' || method === 'DELETE'
        ? headers
        : { ...headers, 'content-type': 'application/json' },
    ...(method === 'GET' || method === 'DELETE' ? {} : { payload: '{}' }),
  });
}

describe('role matrix', () => {
  it('every documented route has a policy entry and every policy entry is a route', () => {
    expect([...documented].sort()).toEqual(Object.keys(policy).sort());
  });

  const rows = Object.entries(policy).flatMap(([route, allowed]) =>
    roles.map((role) => ({
      route,
      role,
      allowed: allowed === 'public' || (allowed !== 'writeKey' && allowed.includes(role)),
      writeKey: allowed === 'writeKey',
    })),
  );

  it.each(rows)(
    '$route as $role -> allowed: $allowed',
    async ({ route, role, allowed, writeKey }) => {
      const response = await request(route, bearer(await t.tokenFor(role)));
      if (writeKey) {
        // Collection takes a source's write key; an API token is not one, whatever its role.
        expect(response.statusCode).toBe(401);
      } else if (allowed) {
        expect([401, 403]).not.toContain(response.statusCode);
      } else {
        expect(response.statusCode).toBe(403);
        expect(response.json().code).toBe('forbidden');
      }
      expect(response.statusCode).toBeLessThan(500);
    },
  );

  it.each(Object.entries(policy))('%s without credentials', async (route, allowed) => {
    const response = await request(route, {});
    if (allowed === 'public') expect(response.statusCode).not.toBe(401);
    else expect(response.statusCode).toBe(401);
  });
});
