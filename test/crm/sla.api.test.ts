import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slaEventsSince } from '../../src/crm/index.js';
import { runSlaClock } from '../../src/crm/sla/sla.service.js';
import { manualClock } from '../../src/kernel/clock.js';
import { createTestApp, problemOf, type TestApp } from '../helpers/app.js';
import { crmClient } from './helpers.js';

// 2026-01-05 is a Monday. Hours: Monday to Friday, 09:00-17:00 UTC.
const clock = manualClock('2026-01-05T09:00:00.000Z');
let t: TestApp;
let call: ReturnType<typeof crmClient>;
let ticketId = '';

const policy = {
  name: 'Support, high',
  pipelineId: '0',
  priority: 'HIGH',
  firstResponseMinutes: 60,
  resolutionMinutes: 480,
  warningPercent: 80,
  businessHours: {
    timezone: 'UTC',
    hours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })),
  },
  pausedStages: ['2'],
};

beforeAll(async () => {
  t = await createTestApp({ clock });
  call = crmClient(t);
});
afterAll(() => t.close());

const sla = async () => {
  const r = await call('GET', `/api/v1/crm/tickets/${ticketId}/sla`, undefined, 'support');
  expect(r.statusCode).toBe(200);
  return r.json();
};
const moveTo = async (stage: string) => {
  const r = await call('PATCH', `/crm/v3/objects/tickets/${ticketId}`, {
    properties: { hs_pipeline_stage: stage },
  });
  expect(r.statusCode).toBe(200);
};
const deps = () => ({ db: t.testStore.store.db, clock });

describe('SLA policies', () => {
  it.each([
    [{ pipelineId: 'nope' }, 'pipelineId'],
    [{ priority: 'SOMEDAY' }, 'priority'],
    [{ firstResponseMinutes: 600 }, 'firstResponseMinutes'],
    [{ firstResponseMinutes: null, resolutionMinutes: null }, 'firstResponseMinutes'],
    [{ resolutionMinutes: 0 }, 'resolutionMinutes'],
    [{ warningPercent: 120 }, 'warningPercent'],
    [{ pausedStages: ['4'] }, 'pausedStages[0]'],
    [{ pausedStages: ['zz'] }, 'pausedStages[0]'],
    [{ businessHours: { timezone: 'Nowhere/Else', hours: [] } }, 'businessHours.timezone'],
    [
      { businessHours: { timezone: 'UTC', hours: [{ day: 1, start: '25:00', end: '10:00' }] } },
      'businessHours.hours[0].start',
    ],
  ])('rejects %j naming %s', async (change, field) => {
    const r = await call('POST', '/api/v1/crm/sla-policies', { ...policy, ...change });
    expect(r.statusCode).toBe(400);
    expect(problemOf(r).errors?.map((e) => e.field)).toContain(field);
  });

  it('creates, reads, updates and refuses a second policy for the same priority', async () => {
    const r = await call('POST', '/api/v1/crm/sla-policies', policy);
    expect(r.statusCode).toBe(201);
    const created = r.json();
    expect(created).toMatchObject({ ...policy, id: expect.any(String) });
    expect((await call('POST', '/api/v1/crm/sla-policies', policy)).statusCode).toBe(409);
    const catchAll = await call('POST', '/api/v1/crm/sla-policies', {
      ...policy,
      name: 'Support, any',
      priority: null,
      firstResponseMinutes: 240,
      resolutionMinutes: null,
    });
    expect(catchAll.statusCode).toBe(201);
    const patched = await call('PATCH', `/api/v1/crm/sla-policies/${created.id}`, {
      warningPercent: 80,
      name: 'Support, high priority',
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().name).toBe('Support, high priority');
    const list = await call('GET', '/api/v1/crm/sla-policies', undefined, 'support');
    expect(list.json().data).toHaveLength(2);
    expect((await call('POST', '/api/v1/crm/sla-policies', policy, 'support')).statusCode).toBe(
      403,
    );
  });
});

describe('a ticket under its SLA', () => {
  it('falls back to the pipeline catch-all for other priorities', async () => {
    const low = await call('POST', '/crm/v3/objects/tickets', {
      properties: {
        subject: 'low',
        hs_pipeline: '0',
        hs_pipeline_stage: '1',
        hs_ticket_priority: 'LOW',
      },
    });
    ticketId = low.json().id;
    const s = await sla();
    expect(s.firstResponse.targetMinutes).toBe(240);
    expect(s.resolution).toBeNull();
  });

  it('runs the first-response clock in business time and records the warning', async () => {
    const created = await call('POST', '/crm/v3/objects/tickets', {
      properties: {
        subject: 'help',
        hs_pipeline: '0',
        hs_pipeline_stage: '1',
        hs_ticket_priority: 'HIGH',
      },
    });
    ticketId = created.json().id;
    clock.set('2026-01-05T09:30:00.000Z');
    let s = await sla();
    expect(s.firstResponse).toMatchObject({
      dueAt: '2026-01-05T10:00:00.000Z',
      warningAt: '2026-01-05T09:48:00.000Z',
      elapsedMinutes: 30,
      state: 'ok',
    });
    expect(s.resolution).toMatchObject({ dueAt: '2026-01-05T17:00:00.000Z', state: 'ok' });
    clock.set('2026-01-05T09:50:00.000Z');
    expect((await sla()).firstResponse.state).toBe('warning');
    await runSlaClock(deps());
    const events = (await slaEventsSince(t.testStore.store.db, 0)).filter(
      (e) => e.ticketId === ticketId,
    );
    expect(events.map((e) => [e.kind, e.target, e.at])).toEqual([
      ['warning', 'first_response', '2026-01-05T09:48:00.000Z'],
    ]);
    // An outbound call logged against the ticket is the first response.
    const callRecord = await call('POST', '/crm/v3/objects/calls', {
      properties: { hs_call_direction: 'OUTBOUND', hs_timestamp: '2026-01-05T09:55:00.000Z' },
    });
    const link = await call(
      'PUT',
      `/crm/v4/objects/calls/${callRecord.json().id}/associations/default/tickets/${ticketId}`,
    );
    expect(link.statusCode).toBeLessThan(300);
    s = await sla();
    expect(s.firstResponse).toMatchObject({
      state: 'met',
      completedAt: '2026-01-05T09:55:00.000Z',
    });
  });

  it('pauses while waiting on the contact, then warns and breaches resolution', async () => {
    clock.set('2026-01-05T10:00:00.000Z');
    await moveTo('2');
    clock.set('2026-01-05T12:00:00.000Z');
    let s = await sla();
    expect(s.paused).toBe(true);
    expect(s.resolution.elapsedMinutes).toBe(60);
    clock.set('2026-01-05T14:00:00.000Z');
    await moveTo('3');
    // Monday 09-10 and 14-17 count (4h); the other 4h fall on Tuesday 09-13.
    s = await sla();
    expect(s.paused).toBe(false);
    expect(s.resolution).toMatchObject({
      dueAt: '2026-01-06T13:00:00.000Z',
      warningAt: '2026-01-06T11:24:00.000Z',
    });
    clock.set('2026-01-06T09:00:00.000Z');
    expect((await sla()).resolution).toMatchObject({ elapsedMinutes: 240, state: 'ok' });
    clock.set('2026-01-06T12:00:00.000Z');
    expect((await sla()).resolution.state).toBe('warning');
    clock.set('2026-01-06T13:30:00.000Z');
    expect((await sla()).resolution.state).toBe('breached');
    await runSlaClock(deps());
    await runSlaClock(deps());
    const all = (await slaEventsSince(t.testStore.store.db, 0)).filter(
      (e) => e.ticketId === ticketId,
    );
    expect(all.map((e) => [e.kind, e.target, e.at])).toEqual([
      ['warning', 'first_response', '2026-01-05T09:48:00.000Z'],
      ['warning', 'resolution', '2026-01-06T11:24:00.000Z'],
      ['breach', 'resolution', '2026-01-06T13:00:00.000Z'],
    ]);
    const [first] = all;
    const later = await slaEventsSince(t.testStore.store.db, first?.id ?? 0);
    expect(later.filter((e) => e.ticketId === ticketId)).toHaveLength(2);
  });

  it('stops the clock when the ticket closes', async () => {
    clock.set('2026-01-06T14:00:00.000Z');
    await moveTo('4');
    clock.set('2026-01-09T14:00:00.000Z');
    const s = await sla();
    expect(s.resolution).toMatchObject({
      completedAt: '2026-01-06T14:00:00.000Z',
      elapsedMinutes: 540,
      state: 'breached',
    });
  });

  it('answers 404 for an unknown ticket and 403 for sales', async () => {
    expect(
      (await call('GET', '/api/v1/crm/tickets/999999/sla', undefined, 'support')).statusCode,
    ).toBe(404);
    expect(
      (await call('GET', `/api/v1/crm/tickets/${ticketId}/sla`, undefined, 'sales')).statusCode,
    ).toBe(403);
  });
});
