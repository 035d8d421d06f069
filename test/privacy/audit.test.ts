import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditActionFor, auditKeyOf, auditResource } from '../../src/privacy/audit/audit-policy.js';
import { identifierSalt } from '../../src/privacy/requests/digest.js';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';
import { fileRequest, json, newSource, sendBatch } from './helpers.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ identity: true });
  const writeKey = await newSource(t);
  await sendBatch(t, writeKey, [
    { type: 'identify', userId: 'u-mae', traits: { email: 'mae.jemison@example.org' } },
  ]);
  await t.drain();
});
afterAll(() => t.close());

async function audit(query: string, token = t.adminToken) {
  return t.app.inject({
    method: 'GET',
    url: `/api/v1/privacy/audit${query}`,
    headers: bearer(token),
  });
}

describe('audit policy', () => {
  it.each([
    ['GET', '/api/v1/profiles/email:x@example.org', 'read'],
    ['GET', '/api/v1/profiles/prof_1/events', 'read'],
    ['POST', '/api/v1/profiles/prof_1/unmerge', 'write'],
    ['GET', '/crm/v3/objects/contacts/12', 'read'],
    ['POST', '/crm/v3/objects/contacts/search', 'read'],
    ['POST', '/crm/v3/objects/contacts/batch/read', 'read'],
    ['PATCH', '/crm/v3/objects/contacts/12', 'write'],
    ['POST', '/crm/v3/objects/0-1', 'write'],
    ['GET', '/crm/v3/objects/deals/12', undefined],
    ['GET', '/v1/spaces/s1/collections/users/profiles/user_id:1/traits', 'read'],
    ['POST', '/api/v1/audiences/a1/export', 'export'],
    ['GET', '/api/v1/crm/exports/7', 'export'],
    ['POST', '/api/v1/crm/imports', 'write'],
    ['GET', '/api/v1/imports/i1/errors', 'read'],
    ['GET', '/api/v1/sources', undefined],
    ['POST', '/v1/batch', undefined],
  ])('%s %s -> %s', (method, path, action) => {
    expect(auditActionFor(method, path)).toBe(action);
  });

  it('digests identifiers in resources, consistently', () => {
    const salt = 'test-salt';
    const resource = auditResource('/api/v1/profiles/email:ada%40example.org/events', salt);
    expect(resource).not.toContain('ada');
    expect(resource).toBe(
      `/api/v1/profiles/${auditKeyOf(salt, 'email', 'ada@example.org')}/events`,
    );
    expect(auditResource('/crm/v3/objects/contacts/ada@example.org', salt)).not.toContain('ada');
    expect(auditResource('/api/v1/profiles/prof_123', salt)).toBe('/api/v1/profiles/prof_123');
  });
});

describe('audit log', () => {
  it('records profile reads and CRM contact writes with actor, action and request id', async () => {
    const marketer = await t.tokenFor('marketer');
    const read = await t.app.inject({
      method: 'GET',
      url: '/api/v1/profiles/email:mae.jemison@example.org',
      headers: { ...bearer(marketer), 'x-request-id': 'req-audit-1' },
    });
    expect(read.statusCode).toBe(200);
    const created = await t.app.inject({
      method: 'POST',
      url: '/crm/v3/objects/contacts',
      headers: { ...bearer(t.adminToken), ...json },
      payload: { properties: { email: 'mae.jemison@example.org' } },
    });
    expect(created.statusCode).toBe(201);
    const salt = await identifierSalt(t.testStore.store.db, new Date().toISOString());
    const key = auditKeyOf(salt, 'email', 'mae.jemison@example.org');
    const res = await audit(`?resource=${encodeURIComponent(`/api/v1/profiles/${key}`)}`);
    expect(res.statusCode).toBe(200);
    const [entry] = res.json().data;
    expect(entry).toMatchObject({ action: 'read', requestId: 'req-audit-1', status: 200 });
    expect(entry.actor).toMatch(/^tok_/);
    const writes = (
      await audit(`?resource=${encodeURIComponent('/crm/v3/objects/contacts')}`)
    ).json();
    expect(writes.data[0]).toMatchObject({ action: 'write', status: 201 });
    const everything = JSON.stringify((await audit('?limit=200')).json());
    expect(everything).not.toContain('mae.jemison');
  });

  it('records privacy requests and their completion', async () => {
    const done = await fileRequest(t, 'access', { type: 'user_id', value: 'u-mae' });
    const res = await audit(`?resource=${encodeURIComponent(`privacy/requests/${done.id}`)}`);
    const actions = res.json().data.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['privacy.access.completed', 'privacy.access']);
    const doc = await t.app.inject({
      method: 'GET',
      url: `/api/v1/privacy/requests/${done.id}/document`,
      headers: bearer(t.adminToken),
    });
    expect(doc.statusCode).toBe(200);
    const exported = await audit(
      `?resource=${encodeURIComponent(`/api/v1/privacy/requests/${done.id}/document`)}`,
    );
    expect(exported.json().data[0].action).toBe('export');
  });

  it('filters by actor and time and pages with a cursor', async () => {
    const marketer = await t.tokenFor('marketer');
    for (let i = 0; i < 5; i++) {
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/profiles/user_id:u-mae',
        headers: bearer(marketer),
      });
    }
    const first = (await audit('?limit=2')).json();
    const actor = first.data[0].actor;
    const byActor = await audit(`?actor=${actor}&limit=2`);
    const page1 = byActor.json();
    expect(page1.data).toHaveLength(2);
    expect(page1.next).toEqual(expect.any(String));
    const page2 = (await audit(`?actor=${actor}&limit=2&cursor=${page1.next}`)).json();
    expect(page2.data[0].id).toBeLessThan(page1.data[1].id);
    expect(page2.data.every((e: { actor: string }) => e.actor === actor)).toBe(true);
    const future = (await audit('?from=2999-01-01T00:00:00Z')).json();
    expect(future.data).toEqual([]);
    const past = (await audit('?to=2000-01-01T00:00:00Z')).json();
    expect(past.data).toEqual([]);
  });

  it('is admin only and refuses bad input', async () => {
    expect((await audit('', await t.tokenFor('marketer'))).statusCode).toBe(403);
    expect(problemOf(await audit('?from=yesterday')).code).toBe('bad_request');
    expect(problemOf(await audit('?cursor=%%%')).code).toBe('bad_request');
  });
});
