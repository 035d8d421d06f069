import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installConsole } from '../../src/http/console.js';
import { createTestApp, problemOf, type TestApp } from '../helpers/app.js';
import { ensureConsoleBuilt, setupTimeoutMs } from './harness.js';

let t: TestApp;
const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

beforeAll(async () => {
  await ensureConsoleBuilt();
  t = await createTestApp();
}, setupTimeoutMs);
afterAll(() => t?.close());

const get = (url: string, headers: Record<string, string> = html) =>
  t.app.inject({ method: 'GET', url, headers });

describe('console serving', () => {
  it.each(['/', '/events', '/sources/src_123', '/settings/tokens?x=1'])(
    '%s answers the console shell, revalidated on every load',
    async (url) => {
      const response = await get(url);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      expect(response.body).toContain('<div id="root"></div>');
      expect(response.body).toContain('<meta name="triad-session" content="none"');
    },
  );

  it.each([
    '/api/v1/nothing-here',
    '/api',
    '/v1/nothing',
    '/crm/no-such-endpoint',
    '/dmp/v1/nothing',
    '/docs/nothing/at/all.txt',
    '/openapi.json/extra',
    '/metrics/x',
    '/healthz/x',
    '/readyz/x',
    '/analytics.js/no-such-file',
  ])('%s keeps the API 404 (problem+json), even for a browser', async (url) => {
    const response = await get(url);
    expect(response.statusCode).toBe(404);
    expect(problemOf(response).code).toBe('route_not_found');
  });

  it.each(['/healthz', '/openapi.json', '/docs'])('%s still answers its own route', async (url) => {
    const response = await get(url);
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('<div id="root"></div>');
  });

  it('an unknown path asked for by a script (not a browser page) gets the API 404', async () => {
    const response = await get('/no/such/route', { accept: 'application/json' });
    expect(response.statusCode).toBe(404);
    expect(problemOf(response).code).toBe('route_not_found');
  });

  it('hashed bundles are cached for a year and sent precompressed', async () => {
    const index = (await get('/')).body;
    const script = index.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const plain = await get(script ?? '', { 'accept-encoding': 'identity' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-type']).toContain('text/javascript');
    const brotli = await get(script ?? '', { 'accept-encoding': 'gzip, br' });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(Number(brotli.headers['content-length'])).toBeLessThan(plain.body.length / 2);
    const file = join(import.meta.dirname, '../../web/dist', script ?? '');
    expect(plain.body).toBe(readFileSync(file, 'utf8'));
  });

  it('a missing asset is a 404, not the shell; nothing outside the build is reachable', async () => {
    expect((await get('/assets/nope-123.js')).statusCode).toBe(404);
    expect((await get('/..%2f..%2fpackage.json')).statusCode).toBe(404);
    expect((await get('/assets/..%2f..%2f..%2fpackage.json')).statusCode).toBe(404);
  });

  it('marks the shell as signed in when a valid session cookie comes with it', async () => {
    const { createUser } = await import('../../src/access/users/user.service.js');
    await createUser(
      { db: t.testStore.store.db, clock: { now: () => new Date() } },
      { email: 'ada@example.com', role: 'marketer', password: 'correct-horse-1' },
    );
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'ada@example.com', password: 'correct-horse-1' },
    });
    const cookie = login.cookies.find((c) => c.name === 'triad_session');
    expect(cookie).toBeDefined();
    const response = await get('/events', { ...html, cookie: `triad_session=${cookie?.value}` });
    expect(response.body).toContain('<meta name="triad-session" content="active"');
  });

  it('a stale session cookie is dropped on a console page, but still refused on the API', async () => {
    const page = await get('/events', { ...html, cookie: 'triad_session=stale' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['set-cookie']).toMatch(/triad_session=;.*Max-Age=0/);
    const api = await get('/api/v1/sources', { cookie: 'triad_session=stale' });
    expect(api.statusCode).toBe(401);
    expect(problemOf(api).code).toBe('unauthorized');
  });

  it('without a build, / says the console is being built and the API keeps working', async () => {
    const app = Fastify();
    const { default: cookie } = await import('@fastify/cookie');
    await app.register(cookie);
    app.addHook('onRoute', () => undefined);
    await installConsole(app, { distDir: mkdtempSync(join(tmpdir(), 'no-console-')) });
    app.get('/healthz', { config: { access: { public: true } } }, async () => ({ status: 'ok' }));
    const page = await app.inject({ method: 'GET', url: '/', headers: html });
    expect(page.statusCode).toBe(503);
    expect(page.headers['retry-after']).toBe('3');
    expect(page.body).toContain('The Triad console is being built');
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/assets/x.js' })).statusCode).toBe(404);
    await app.close();
  });
});
