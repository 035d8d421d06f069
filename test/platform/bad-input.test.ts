import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';

let t: TestApp;
let marketerToken: string;
let advertiserToken: string;

beforeAll(async () => {
  t = await createTestApp({ bodyLimitBytes: 64 * 1024 });
  marketerToken = await t.tokenFor('marketer');
  advertiserToken = await t.tokenFor('advertiser');
});
afterAll(() => t.close());

const json = { 'content-type': 'application/json' };

interface Case {
  name: string;
  request: () => InjectOptions;
  status: number;
  code: string;
}

const cases: Case[] = [
  {
    name: 'malformed JSON',
    request: () => ({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { ...json, ...bearer(marketerToken) },
      payload: '{"name": ',
    }),
    status: 400,
    code: 'malformed_json',
  },
  {
    name: 'JSON with a trailing comma',
    request: () => ({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { ...json, ...bearer(marketerToken) },
      payload: '{"name":"a",}',
    }),
    status: 400,
    code: 'malformed_json',
  },
  {
    name: 'empty JSON body',
    request: () => ({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { ...json, ...bearer(marketerToken) },
      payload: '',
    }),
    status: 400,
    code: 'malformed_json',
  },
  {
    name: '__proto__ key (prototype poisoning)',
    request: () => ({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { ...json, ...bearer(marketerToken) },
      payload: '{"name":"a","__proto__":{"admin":true}}',
    }),
    status: 400,
    code: 'bad_request',
  },
  {
    name: 'wrong content type',
    request: () => ({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { 'content-type': 'application/xml', ...bearer(marketerToken) },
      payload: '<name>a</name>',
    }),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'JSON as text/plain on a JSON endpoint',
    request: () => ({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { 'content-type': 'text/plain', ...bearer(marketerToken) },
      payload: '{"name":"a"}',
    }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'oversized body',
    request: () => ({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { ...json, ...bearer(marketerToken) },
      payload: JSON.stringify({ name: 'x'.repeat(70 * 1024) }),
    }),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'wrong field type',
    request: () => ({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { ...json, ...bearer(marketerToken) },
      payload: '{"name":42}',
    }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'missing required field',
    request: () => ({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { ...json, ...bearer(marketerToken) },
      payload: '{}',
    }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'unknown role in a token request',
    request: () => ({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { ...json, ...bearer(t.adminToken) },
      payload: '{"name":"x","role":"superuser"}',
    }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'limit out of range',
    request: () => ({
      method: 'GET',
      url: '/api/v1/sources?limit=100000',
      headers: bearer(marketerToken),
    }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'cursor this API never issued',
    request: () => ({
      method: 'GET',
      url: '/api/v1/sources?cursor=not-a-cursor',
      headers: bearer(marketerToken),
    }),
    status: 400,
    code: 'bad_request',
  },
  {
    name: 'unknown route',
    request: () => ({ method: 'GET', url: '/api/v1/nothing-here' }),
    status: 404,
    code: 'route_not_found',
  },
  {
    name: 'unknown method on a known path',
    request: () => ({ method: 'PUT', url: '/healthz' }),
    status: 404,
    code: 'route_not_found',
  },
  {
    name: 'unknown record',
    request: () => ({
      method: 'GET',
      url: '/api/v1/sources/src_doesnotexist',
      headers: bearer(marketerToken),
    }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'missing token',
    request: () => ({ method: 'GET', url: '/api/v1/sources' }),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'invalid token',
    request: () => ({
      method: 'GET',
      url: '/api/v1/sources',
      headers: bearer('triad_not-a-real-token'),
    }),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'unsupported authorization scheme',
    request: () => ({
      method: 'GET',
      url: '/api/v1/sources',
      headers: { authorization: 'Digest abc' },
    }),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'invalid token on a public route is still refused',
    request: () => ({ method: 'GET', url: '/healthz', headers: bearer('triad_wrong') }),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'expired or forged session cookie',
    request: () => ({
      method: 'GET',
      url: '/api/v1/sources',
      headers: { cookie: 'triad_session=forged' },
    }),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'wrong role',
    request: () => ({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { ...json, ...bearer(advertiserToken) },
      payload: '{"name":"a"}',
    }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'wrong role for token management',
    request: () => ({ method: 'GET', url: '/api/v1/tokens', headers: bearer(marketerToken) }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'wrong password',
    request: () => ({
      method: 'POST',
      url: '/api/v1/session',
      headers: json,
      payload: '{"email":"nobody@example.com","password":"wrong-password"}',
    }),
    status: 401,
    code: 'unauthorized',
  },
];

describe('bad input answers 4xx problem+json, never 5xx', () => {
  it.each(cases)('$name -> $status $code', async (c) => {
    const response = await t.app.inject(c.request());
    expect(response.statusCode).toBe(c.status);
    const problem = problemOf(response);
    expect(problem.code).toBe(c.code);
    expect(problem.type).toBe(`urn:triad:problem:${c.code}`);
    expect(problem.detail.length).toBeGreaterThan(5);
    expect(problem.requestId).toBe(response.headers['x-request-id']);
  });

  it('names the offending field in validation errors', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { ...json, ...bearer(marketerToken) },
      payload: '{}',
    });
    expect(problemOf(response).errors).toEqual([expect.objectContaining({ field: 'name' })]);
  });

  it('keeps a sane caller request id and replaces an unsafe one', async () => {
    const kept = await t.app.inject({
      method: 'GET',
      url: '/nope',
      headers: { 'x-request-id': 'trace-123.abc' },
    });
    expect(problemOf(kept).requestId).toBe('trace-123.abc');
    const replaced = await t.app.inject({
      method: 'GET',
      url: '/nope',
      headers: { 'x-request-id': 'bad id\u0007' },
    });
    expect(problemOf(replaced).requestId).toMatch(/^req_/);
  });

  it('a route that throws unexpectedly answers 500 problem+json without leaking the message', async () => {
    const { defineRoute, publicAccess } = await import('../../src/http/route.js');
    const { Type } = await import('typebox');
    const boom = await createTestApp({
      extraRoutes: [
        defineRoute({
          method: 'GET',
          url: '/test/boom',
          summary: 'always fails',
          tags: ['test'],
          access: publicAccess,
          schema: { response: { 200: Type.Null() } },
          handler: () => {
            throw new Error('secret internal detail');
          },
        }),
      ],
    });
    try {
      const response = await boom.app.inject({ method: 'GET', url: '/test/boom' });
      expect(response.statusCode).toBe(500);
      const problem = problemOf(response);
      expect(problem.code).toBe('internal');
      expect(response.body).not.toContain('secret internal detail');
    } finally {
      await boom.close();
    }
  });
});
