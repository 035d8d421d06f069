import { afterEach, describe, expect, it } from 'vitest';
import { slaEventsSince } from '../../src/crm/index.js';
import { runSlaClock } from '../../src/crm/sla/sla.service.js';
import { manualClock } from '../../src/kernel/clock.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { enginesUnderTest } from '../helpers/stores.js';
import { crmClient } from './helpers.js';
import { signedIn } from './sales-helpers.js';

/** Owners, visibility, SLAs, reports and import/export on every engine, through the real app. */
describe.each(enginesUnderTest())('CRM sales features on $name', (engine) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('teams, visibility, SLA events, reports, import and export', async () => {
    const clock = manualClock('2026-01-05T09:00:00.000Z');
    t = await createTestApp({ testStore: await engine.open(), clock });
    const app = t;
    const call = crmClient(app);
    const ann = await signedIn(app, 'sales', 'ann@example.com', 'Ann Lee');
    const bob = await signedIn(app, 'sales', 'bob@example.com', 'Bob');
    const team = await call('POST', '/api/v1/crm/teams', {
      name: 'East',
      members: [{ userId: ann.id, primary: true }],
    });
    expect(team.statusCode, team.body).toBe(201);
    const owner = await call('GET', `/crm/v3/owners/${ann.id}`);
    expect(owner.json().teams).toEqual([{ id: team.json().id, name: 'East', primary: true }]);

    for (const [name, who, amount] of [
      ['A', ann.id, 100],
      ['B', bob.id, 250],
    ] as const) {
      const r = await call('POST', '/crm/v3/objects/deals', {
        properties: {
          dealname: name,
          amount,
          pipeline: 'default',
          dealstage: 'contractsent',
          hubspot_owner_id: who,
        },
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    await call('PUT', '/api/v1/crm/visibility', { sales: 'team' });
    await ann.login();
    const seen = await ann.call('POST', '/crm/v3/objects/deals/search', { limit: 10 });
    expect(seen.json().total).toBe(1);
    const forecast = await call('GET', '/api/v1/crm/reports/forecast?groupBy=team');
    expect(forecast.json().totals).toEqual({ count: 2, amount: 350, weightedAmount: 315 });

    const policy = await call('POST', '/api/v1/crm/sla-policies', {
      name: 'p',
      pipelineId: '0',
      firstResponseMinutes: 60,
      businessHours: { timezone: 'UTC', hours: [{ day: 1, start: '09:00', end: '17:00' }] },
    });
    expect(policy.statusCode, policy.body).toBe(201);
    const ticket = await call('POST', '/crm/v3/objects/tickets', {
      properties: { subject: 's', hs_pipeline: '0', hs_pipeline_stage: '1' },
    });
    clock.set('2026-01-05T11:00:00.000Z');
    await runSlaClock({ db: app.testStore.store.db, clock });
    await runSlaClock({ db: app.testStore.store.db, clock });
    const events = await slaEventsSince(app.testStore.store.db, 0);
    expect(events.map((e) => [e.ticketId, e.kind, e.at])).toEqual([
      [ticket.json().id, 'warning', '2026-01-05T09:48:00.000Z'],
      [ticket.json().id, 'breach', '2026-01-05T10:00:00.000Z'],
    ]);

    const mapping = { objectType: 'companies', columns: { Domain: 'domain', Name: 'name' } };
    const upload = await app.app.inject({
      method: 'POST',
      url: `/api/v1/crm/imports?mapping=${encodeURIComponent(JSON.stringify(mapping))}`,
      headers: { ...bearer(app.adminToken), 'content-type': 'text/csv' },
      payload: 'Domain,Name\nacme.com,Acme\nACME.com,Acme Inc\nbeta.io,Beta\n',
    });
    expect(upload.statusCode, upload.body).toBe(202);
    let status = upload.json();
    for (let i = 0; i < 100 && status.status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await call('GET', `/api/v1/crm/imports/${status.id}`)).json();
    }
    expect(status).toMatchObject({ status: 'done', rowsCreated: 2, rowsUpdated: 1, rowsFailed: 0 });
    const csv = await call('POST', '/api/v1/crm/exports', {
      objectType: 'companies',
      properties: ['domain', 'name'],
      sorts: ['domain'],
    });
    const lines = csv.body.trim().split('\r\n');
    expect(lines.slice(1).map((l) => l.split(',').slice(1, 3).join(','))).toEqual([
      'ACME.com,Acme Inc',
      'beta.io,Beta',
    ]);
  });
});
