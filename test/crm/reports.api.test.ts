import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/kernel/clock.js';
import { createTestApp, problemOf, type TestApp } from '../helpers/app.js';
import { crmClient } from './helpers.js';
import { signedIn } from './sales-helpers.js';

/**
 * A small fixture whose figures are computed by hand in the comments. Every deal is created
 * on 2026-01-01 00:00 UTC in the default pipeline; stage moves happen on later days.
 */
const clock = manualClock('2026-01-01T00:00:00.000Z');
let t: TestApp;
let call: ReturnType<typeof crmClient>;
let ann: Awaited<ReturnType<typeof signedIn>>;
let bob: Awaited<ReturnType<typeof signedIn>>;
let cat: Awaited<ReturnType<typeof signedIn>>;
let east = '';
const deal: Record<string, string> = {};

async function createDeal(
  name: string,
  owner: string,
  amount: number,
  closedate: string,
  dealstage = 'appointmentscheduled',
) {
  const r = await call('POST', '/crm/v3/objects/deals', {
    properties: {
      dealname: name,
      amount,
      closedate,
      pipeline: 'default',
      dealstage,
      hubspot_owner_id: owner,
    },
  });
  expect(r.statusCode).toBe(201);
  deal[name] = r.json().id;
}
async function move(name: string, stage: string, at: string) {
  clock.set(at);
  const r = await call('PATCH', `/crm/v3/objects/deals/${deal[name]}`, {
    properties: { dealstage: stage },
  });
  expect(r.statusCode).toBe(200);
}
async function report(path: string, query = '', role: 'admin' | 'sales' | 'support' = 'admin') {
  const r = await call('GET', `/api/v1/crm/reports/${path}${query}`, undefined, role);
  expect(r.statusCode).toBe(200);
  return r.json();
}
const byKey = (rows: { key: string | null }[]) => Object.fromEntries(rows.map((r) => [r.key, r]));

beforeAll(async () => {
  t = await createTestApp({ clock });
  call = crmClient(t);
  ann = await signedIn(t, 'sales', 'ann@example.com', 'Ann');
  bob = await signedIn(t, 'sales', 'bob@example.com', 'Bob');
  cat = await signedIn(t, 'sales', 'cat@example.com', 'Cat');
  east = (
    await call('POST', '/api/v1/crm/teams', {
      name: 'East',
      members: [{ userId: ann.id }, { userId: bob.id }],
    })
  ).json().id;
  await call('POST', '/api/v1/crm/teams', { name: 'West', members: [{ userId: cat.id }] });
  await createDeal('D1', ann.id, 1000, '2026-02-15');
  await createDeal('D2', ann.id, 2000, '2026-03-10', 'qualifiedtobuy');
  await createDeal('D3', bob.id, 500, '2026-02-20', 'contractsent');
  await createDeal('D4', bob.id, 3000, '2026-01-11');
  await createDeal('D5', cat.id, 1500, '2026-01-05');
  await createDeal('D6', ann.id, 4000, '2026-01-02');
  await createDeal('D7', cat.id, 1000, '2026-01-02');
  await move('D6', 'closedlost', '2026-01-02T00:00:00.000Z');
  await move('D7', 'closedwon', '2026-01-02T00:00:00.000Z');
  await move('D4', 'qualifiedtobuy', '2026-01-03T00:00:00.000Z');
  await move('D5', 'closedwon', '2026-01-05T00:00:00.000Z');
  await move('D4', 'closedwon', '2026-01-11T00:00:00.000Z');
});
afterAll(() => t.close());

describe('deal reports', () => {
  it('pipeline value: open deals D1 (1000), D2 (2000), D3 (500)', async () => {
    const r = await report('pipeline-value');
    expect(r.groupBy).toBe('stage');
    expect(r.rows).toEqual([
      { key: 'appointmentscheduled', label: 'Appointment Scheduled', count: 1, amount: 1000 },
      { key: 'qualifiedtobuy', label: 'Qualified To Buy', count: 1, amount: 2000 },
      { key: 'contractsent', label: 'Contract Sent', count: 1, amount: 500 },
    ]);
    expect(r.totals).toEqual({ count: 3, amount: 3500 });
    const owners = byKey((await report('pipeline-value', '?groupBy=owner')).rows);
    expect(owners[ann.id]).toMatchObject({ label: 'Ann', count: 2, amount: 3000 });
    expect(owners[bob.id]).toMatchObject({ count: 1, amount: 500 });
    const teams = (await report('pipeline-value', '?groupBy=team')).rows;
    expect(teams).toEqual([{ key: east, label: 'East', count: 3, amount: 3500 }]);
  });

  it('weighted forecast: amount × probability, by month of closedate', async () => {
    // D1 1000×.2=200, D2 2000×.4=800, D3 500×.9=450, D4 3000, D5 1500, D6 0, D7 1000.
    const r = await report('forecast');
    expect(r.totals).toEqual({ count: 7, amount: 13000, weightedAmount: 6950 });
    expect(r.rows).toEqual([
      { key: '2026-01', label: null, count: 4, amount: 9500, weightedAmount: 5500 },
      { key: '2026-02', label: null, count: 2, amount: 1500, weightedAmount: 650 },
      { key: '2026-03', label: null, count: 1, amount: 2000, weightedAmount: 800 },
    ]);
    const feb = await report('forecast', '?from=2026-02-01&to=2026-02-28');
    expect(feb.totals).toEqual({ count: 2, amount: 1500, weightedAmount: 650 });
    const pipeline = await report('forecast', '?pipeline=default&groupBy=pipeline');
    expect(pipeline.rows[0]).toMatchObject({ key: 'default', label: 'Sales Pipeline', count: 7 });
  });

  it('win rate: 3 of 4 closed deals won; 5500 of 9500 by value', async () => {
    const r = await report('win-rate');
    expect(r.totals).toEqual({
      closed: 4,
      won: 3,
      lost: 1,
      winRateByCount: 0.75,
      closedAmount: 9500,
      wonAmount: 5500,
      winRateByValue: 0.5789,
    });
    const rows = byKey(r.rows);
    expect(rows[ann.id]).toMatchObject({ closed: 1, won: 0, winRateByCount: 0, winRateByValue: 0 });
    expect(rows[cat.id]).toMatchObject({ closed: 2, won: 2, winRateByCount: 1 });
    // Team East: D4 won (3000), D6 lost (4000).
    const eastOnly = await report('win-rate', `?teamId=${east}`);
    expect(eastOnly.totals).toMatchObject({
      closed: 2,
      won: 1,
      winRateByCount: 0.5,
      winRateByValue: 0.4286,
    });
  });

  it('sales cycle: D4 10 days, D5 4 days, D7 1 day', async () => {
    const r = await report('sales-cycle');
    expect(r.totals).toEqual({ count: 3, averageDays: 5, medianDays: 4 });
    const rows = byKey(r.rows);
    expect(rows[bob.id]).toMatchObject({ count: 1, averageDays: 10, medianDays: 10 });
    expect(rows[cat.id]).toMatchObject({ count: 2, averageDays: 2.5, medianDays: 2.5 });
    const cats = await report('sales-cycle', `?ownerId=${cat.id}`);
    expect(cats.totals).toEqual({ count: 2, averageDays: 2.5, medianDays: 2.5 });
  });

  it('time in stage: finished stays only', async () => {
    // appointmentscheduled: D4 48h, D5 96h, D6 24h, D7 24h; qualifiedtobuy: D4 192h.
    const r = await report('stage-time');
    expect(r.rows).toEqual([
      {
        key: 'appointmentscheduled',
        label: 'Appointment Scheduled',
        count: 4,
        averageHours: 48,
        medianHours: 36,
      },
      {
        key: 'qualifiedtobuy',
        label: 'Qualified To Buy',
        count: 1,
        averageHours: 192,
        medianHours: 192,
      },
    ]);
    const bobs = byKey((await report('stage-time', '?groupBy=owner')).rows)[bob.id];
    expect(bobs?.stages).toEqual([
      {
        stage: 'appointmentscheduled',
        label: 'Appointment Scheduled',
        count: 1,
        averageHours: 48,
        medianHours: 48,
      },
      {
        stage: 'qualifiedtobuy',
        label: 'Qualified To Buy',
        count: 1,
        averageHours: 192,
        medianHours: 192,
      },
    ]);
  });

  it('follows owner-based visibility for session users', async () => {
    await call('PUT', '/api/v1/crm/visibility', { sales: 'own' });
    await ann.login();
    const r = await ann.call('GET', '/api/v1/crm/reports/pipeline-value?groupBy=owner');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().totals).toEqual({ count: 2, amount: 3000 });
    await call('PUT', '/api/v1/crm/visibility', { sales: 'all' });
  });

  it.each([
    ['?groupBy=quarter', 'groupBy'],
    ['?ownerId=usr_nobody', 'ownerId'],
    ['?teamId=999', 'teamId'],
    ['?pipeline=nope', 'pipeline'],
    ['?from=yesterday', 'from'],
  ])('rejects %s naming %s', async (query, field) => {
    const r = await call('GET', `/api/v1/crm/reports/win-rate${query}`);
    expect(r.statusCode).toBe(400);
    expect(JSON.stringify(problemOf(r).errors)).toContain(field);
  });
});

describe('SLA attainment', () => {
  it('counts met, breached and running first responses', async () => {
    clock.set('2026-01-01T00:00:00.000Z');
    const policy = await call('POST', '/api/v1/crm/sla-policies', {
      name: 'Always on',
      pipelineId: '0',
      firstResponseMinutes: 60,
      businessHours: {
        timezone: 'UTC',
        hours: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: '00:00', end: '24:00' })),
      },
    });
    expect(policy.statusCode).toBe(201);
    const ticket = async (owner: string) =>
      (
        await call('POST', '/crm/v3/objects/tickets', {
          properties: {
            subject: 's',
            hs_pipeline: '0',
            hs_pipeline_stage: '1',
            hubspot_owner_id: owner,
          },
        })
      ).json().id as string;
    const answered = await ticket(ann.id);
    await ticket(bob.id); // never answered: breached after an hour
    const reply = await call('POST', '/crm/v3/objects/emails', {
      properties: { hs_email_direction: 'EMAIL', hs_timestamp: '2026-01-01T00:30:00.000Z' },
    });
    await call(
      'PUT',
      `/crm/v4/objects/emails/${reply.json().id}/associations/default/tickets/${answered}`,
    );
    clock.set('2026-01-20T00:00:00.000Z');
    await ticket(cat.id); // just opened: running
    const r = await report('sla-attainment', '', 'support');
    expect(r.totals).toEqual({
      tickets: 3,
      firstResponse: { met: 1, breached: 1, running: 1, attainment: 0.5 },
      resolution: { met: 0, breached: 0, running: 0, attainment: null },
    });
    const teams = byKey((await report('sla-attainment', '?groupBy=team', 'support')).rows);
    expect(teams[east]).toMatchObject({
      tickets: 2,
      firstResponse: { met: 1, breached: 1, attainment: 0.5 },
    });
    const jan1 = await report('sla-attainment', '?from=2026-01-01&to=2026-01-01', 'support');
    expect(jan1.totals.tickets).toBe(2);
  });
});
