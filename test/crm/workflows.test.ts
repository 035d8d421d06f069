import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createUser } from '../../src/access/users/user.service.js';
import { runWorkflowsOnce, triggerWorkflows } from '../../src/crm/index.js';
import { createTeam } from '../../src/crm/owners/owner.service.js';
import { manualClock } from '../../src/kernel/clock.js';
import { recordConsent } from '../../src/privacy/index.js';
import { createTestApp, problemOf, type TestApp } from '../helpers/app.js';
import { type EngineUnderTest, enginesUnderTest } from '../helpers/stores.js';
import { crmClient } from './helpers.js';

let t: TestApp | undefined;
let server: Server | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function setup(engine?: EngineUnderTest) {
  const clock = manualClock('2026-03-02T08:00:00.000Z');
  t = await createTestApp(engine ? { clock, testStore: await engine.open() } : { clock });
  const call = crmClient(t);
  const deps = { db: t.testStore.store.db, clock };
  const run = () => runWorkflowsOnce(deps, { retryBaseMs: 60_000 });
  const workflow = async (body: unknown) => {
    const r = await call('POST', '/api/v1/crm/workflows', body);
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { id: string; version: number; secret: string };
  };
  const runs = async (id: string) =>
    (await call('GET', `/api/v1/crm/workflows/${id}/runs`)).json().data as {
      id: string;
      status: string;
      version: number;
      objectId: string | null;
      error: string | null;
    }[];
  const runLog = async (id: string, runId: string) =>
    (await call('GET', `/api/v1/crm/workflows/${id}/runs/${runId}`)).json() as {
      status: string;
      error: string | null;
      steps: {
        stepId: string;
        status: string;
        attempt: number;
        error: string | null;
        output: unknown;
      }[];
    };
  const create = async (type: string, properties: Record<string, string>) => {
    const r = await call('POST', `/crm/v3/objects/${type}`, { properties });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  const read = async (type: string, id: string, props: string) =>
    (await call('GET', `/crm/v3/objects/${type}/${id}?properties=${props}`)).json().properties;
  return { clock, call, deps, run, workflow, runs, runLog, create, read };
}

async function startServer(handler: (req: IncomingMessage, body: string) => number) {
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = handler(req, body);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/hook`, received };
}

describe.each(enginesUnderTest())('workflows on $name', (engine) => {
  it('record created: creates a task, updates a property and assigns owners round robin', async () => {
    const s = await setup(engine);
    const users = [];
    for (const name of ['ann', 'ben']) {
      const { user } = await createUser(s.deps, { email: `${name}@triad.test`, role: 'sales' });
      users.push(user.id);
    }
    const wf = await s.workflow({
      name: 'New contacts',
      trigger: { type: 'record_created', objectType: 'contacts' },
      steps: [
        { id: 'owner', type: 'assign_owner', userIds: users },
        { id: 'stage', type: 'update_property', property: 'jobtitle', value: 'Prospect' },
        { id: 'task', type: 'create_task', subject: 'Call the new contact', dueInMinutes: 60 },
        {
          id: 'deal',
          type: 'create_record',
          objectType: 'deals',
          properties: { dealname: 'New business' },
        },
      ],
    });
    const ids = [];
    for (const n of [1, 2, 3]) ids.push(await s.create('contacts', { email: `c${n}@x.test` }));
    const pass = await s.run();
    expect(pass.started).toBe(3);
    const owners = [];
    for (const id of ids) {
      const p = await s.read('contacts', id, 'hubspot_owner_id,jobtitle');
      expect(p.jobtitle).toBe('Prospect');
      owners.push(p.hubspot_owner_id);
    }
    expect(owners).toEqual([users[0], users[1], users[0]]);
    const tasks = await s.call('GET', `/crm/v4/objects/contacts/${ids[0]}/associations/tasks`);
    const taskId = tasks.json().results[0].toObjectId;
    const task = await s.read(
      'tasks',
      String(taskId),
      'hs_task_subject,hubspot_owner_id,hs_timestamp',
    );
    expect(task).toMatchObject({
      hs_task_subject: 'Call the new contact',
      hubspot_owner_id: users[0],
      hs_timestamp: '2026-03-02T09:00:00.000Z',
    });
    // The deal created for the contact goes to the contact's owner.
    const deals = await s.call('GET', `/crm/v4/objects/contacts/${ids[1]}/associations/deals`);
    const deal = await s.read(
      'deals',
      String(deals.json().results[0].toObjectId),
      'hubspot_owner_id',
    );
    expect(deal.hubspot_owner_id).toBe(users[1]);
    const runs = await s.runs(wf.id);
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
    const log = await s.runLog(wf.id, runs[0]?.id ?? '');
    expect(log.steps.map((x) => [x.stepId, x.status])).toEqual([
      ['owner', 'ok'],
      ['stage', 'ok'],
      ['task', 'ok'],
      ['deal', 'ok'],
    ]);
    // A second pass finds nothing new: the feed offset is stored.
    expect((await s.run()).started).toBe(0);
  });

  it('property changed with a value condition, and the workflow does not trigger itself', async () => {
    const s = await setup(engine);
    const wf = await s.workflow({
      name: 'Customers',
      trigger: {
        type: 'property_changed',
        objectType: 'contacts',
        property: 'lifecyclestage',
        value: 'customer',
      },
      steps: [{ id: 'tag', type: 'update_property', property: 'jobtitle', value: 'Customer' }],
    });
    const loop = await s.workflow({
      name: 'Touch jobtitle',
      trigger: { type: 'property_changed', objectType: 'contacts', property: 'jobtitle' },
      steps: [{ id: 'again', type: 'update_property', property: 'jobtitle', value: 'Touched' }],
    });
    const id = await s.create('contacts', { email: 'a@x.test', lifecyclestage: 'lead' });
    await s.run();
    expect(await s.runs(wf.id)).toHaveLength(0);
    await s.call('PATCH', `/crm/v3/objects/contacts/${id}`, {
      properties: { lifecyclestage: 'opportunity' },
    });
    await s.run();
    expect(await s.runs(wf.id)).toHaveLength(0);
    await s.call('PATCH', `/crm/v3/objects/contacts/${id}`, {
      properties: { lifecyclestage: 'customer' },
    });
    await s.run(); // wf sets jobtitle = Customer
    await s.run(); // loop workflow reacts to that change once, and not to its own write
    await s.run();
    expect(await s.runs(wf.id)).toHaveLength(1);
    expect(await s.runs(loop.id)).toHaveLength(1);
    expect((await s.read('contacts', id, 'jobtitle')).jobtitle).toBe('Touched');
  });

  it('deal stage changed, filtered by stage, with an if/else branch', async () => {
    const s = await setup(engine);
    const wf = await s.workflow({
      name: 'Won deals',
      trigger: { type: 'deal_stage_changed', pipeline: 'default', stage: 'closedwon' },
      steps: [
        {
          id: 'big',
          type: 'if_else',
          conditions: [{ property: 'amount', operator: 'gte', value: '10000' }],
          ifTrue: 'vip',
          ifFalse: 'normal',
        },
        { id: 'vip', type: 'create_task', subject: 'Thank-you call', next: null },
        { id: 'normal', type: 'update_property', property: 'description', value: 'small win' },
      ],
    });
    const big = await s.create('deals', {
      dealname: 'Big',
      amount: '50000',
      dealstage: 'appointmentscheduled',
    });
    const small = await s.create('deals', {
      dealname: 'Small',
      amount: '900',
      dealstage: 'appointmentscheduled',
    });
    await s.call('PATCH', `/crm/v3/objects/deals/${big}`, {
      properties: { dealstage: 'closedwon' },
    });
    await s.call('PATCH', `/crm/v3/objects/deals/${small}`, {
      properties: { dealstage: 'qualifiedtobuy' },
    });
    await s.run();
    expect(await s.runs(wf.id)).toHaveLength(1);
    await s.call('PATCH', `/crm/v3/objects/deals/${small}`, {
      properties: { dealstage: 'closedwon' },
    });
    await s.run();
    const runs = await s.runs(wf.id);
    expect(runs.map((r) => r.objectId).sort()).toEqual([big, small].sort());
    const bigRun = runs.find((r) => r.objectId === big);
    const log = await s.runLog(wf.id, bigRun?.id ?? '');
    expect(log.steps.map((x) => x.stepId)).toEqual(['big', 'vip']);
    expect((await s.read('deals', small, 'description')).description).toBe('small win');
    expect((await s.read('deals', big, 'description')).description).toBeNull();
  });

  it('delays durably: a run waits in the store and resumes after the delay, on a fresh engine', async () => {
    const s = await setup(engine);
    const wf = await s.workflow({
      name: 'Follow up',
      trigger: { type: 'record_created', objectType: 'contacts' },
      steps: [
        { id: 'wait', type: 'delay', minutes: 90 },
        { id: 'title', type: 'update_property', property: 'jobtitle', value: 'Followed up' },
      ],
    });
    const id = await s.create('contacts', { email: 'd@x.test' });
    await s.run();
    expect((await s.runs(wf.id))[0]?.status).toBe('waiting');
    s.clock.advance(60 * 60_000);
    await s.run();
    expect((await s.read('contacts', id, 'jobtitle')).jobtitle).toBeNull();
    // Nothing is held in memory: another engine over the same store picks the run up.
    s.clock.advance(31 * 60_000);
    await runWorkflowsOnce({ db: s.deps.db, clock: s.clock });
    expect((await s.read('contacts', id, 'jobtitle')).jobtitle).toBe('Followed up');
    expect((await s.runs(wf.id))[0]?.status).toBe('completed');
  });

  it('sends a webhook about a contact only with the consent its step names', async () => {
    const s = await setup(engine);
    const hook = await startServer(() => 200);
    const allowed = await s.call('POST', '/api/v1/destinations/egress-allowlist', {
      entry: '127.0.0.1',
    });
    expect(allowed.statusCode, allowed.body).toBeLessThan(300);
    const wf = await s.workflow({
      name: 'Hand new leads to the agency',
      trigger: { type: 'record_created', objectType: 'contacts' },
      steps: [{ id: 'hook', type: 'send_webhook', url: hook.url, consentPurpose: 'advertising' }],
    });
    await recordConsent(
      s.deps.db,
      { type: 'email', value: 'yes@x.test' },
      {
        purpose: 'advertising',
        channel: '*',
        granted: true,
        source: 'api',
        recordedAt: s.clock.now().toISOString(),
      },
    );
    const yes = await s.create('contacts', { email: 'Yes@X.test' });
    const no = await s.create('contacts', { email: 'no@x.test' });
    await s.run();
    expect(hook.received.map((r) => JSON.parse(r.body).record.id)).toEqual([yes]);
    const runs = await s.runs(wf.id);
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed']);
    const refused = runs.find((r) => r.objectId === no);
    const log = await s.runLog(wf.id, refused?.id ?? '');
    expect(log.steps[0]?.output).toEqual({ sent: false, reason: 'no consent for advertising' });

    const bad = await s.call('POST', '/api/v1/crm/workflows', {
      name: 'Bad purpose',
      trigger: { type: 'record_created', objectType: 'contacts' },
      steps: [{ id: 'hook', type: 'send_webhook', url: hook.url, consentPurpose: 'gossip' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('consentPurpose');
  });

  it('sends signed webhooks through the SSRF guard, retries failures, then fails the run', async () => {
    const s = await setup(engine);
    let failuresLeft = 2;
    const hook = await startServer(() => (failuresLeft-- > 0 ? 503 : 200));
    const wf = await s.workflow({
      name: 'Hook',
      trigger: { type: 'record_created', objectType: 'companies' },
      steps: [{ id: 'hook', type: 'send_webhook', url: hook.url }],
    });
    // Loopback is refused until an admin allows it: a permanent failure, not retried.
    await s.create('companies', { name: 'Refused', domain: 'refused.test' });
    await s.run();
    const [refused] = await s.runs(wf.id);
    expect(refused?.status).toBe('failed');
    expect(refused?.error).toContain('egress refused');
    expect(hook.received).toHaveLength(0);

    const allowed = await s.call('POST', '/api/v1/destinations/egress-allowlist', {
      entry: '127.0.0.1',
    });
    expect(allowed.statusCode, allowed.body).toBeLessThan(300);
    const companyId = await s.create('companies', { name: 'Acme', domain: 'acme.test' });
    await s.run();
    s.clock.advance(60_000);
    await s.run();
    s.clock.advance(120_000);
    await s.run();
    const run = (await s.runs(wf.id)).find((r) => r.objectId === companyId);
    const log = await s.runLog(wf.id, run?.id ?? '');
    expect(log.status).toBe('completed');
    expect(log.steps.map((x) => [x.status, x.attempt])).toEqual([
      ['retrying', 1],
      ['retrying', 2],
      ['ok', 3],
    ]);
    expect(hook.received).toHaveLength(3);
    const last = hook.received[2];
    expect(last?.headers['x-triad-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(last?.headers['idempotency-key']).toBe(`${run?.id}:hook`);
    expect(JSON.parse(last?.body ?? '{}').record).toMatchObject({
      id: companyId,
      properties: { name: 'Acme' },
    });

    failuresLeft = 100;
    const doomed = await s.create('companies', { name: 'Down', domain: 'down.test' });
    for (const wait of [0, 60_000, 120_000]) {
      s.clock.advance(wait);
      await s.run();
    }
    const failed = (await s.runs(wf.id)).find((r) => r.objectId === doomed);
    expect(failed?.status).toBe('failed');
    const failedLog = await s.runLog(wf.id, failed?.id ?? '');
    expect(failedLog.error).toBe('webhook answered 503');
    expect(failedLog.steps.map((x) => x.status)).toEqual(['retrying', 'retrying', 'failed']);
  });

  it('rotates owners within a team, and starts runs from SLA breaches and audience events', async () => {
    const s = await setup(engine);
    const members = [];
    for (const name of ['cat', 'dan']) {
      const { user } = await createUser(s.deps, { email: `${name}@triad.test`, role: 'support' });
      members.push(user.id);
    }
    const team = await createTeam(s.deps, {
      name: 'Support',
      members: members.map((userId) => ({ userId })),
    });
    const noTeam = await s.call('POST', '/api/v1/crm/workflows', {
      name: 'x',
      trigger: { type: 'ticket_sla' },
      steps: [{ id: 'a', type: 'assign_owner', teamId: '999999' }],
    });
    expect(problemOf(noTeam).errors?.map((e) => e.field)).toEqual(['steps[0].teamId']);
    const wf = await s.workflow({
      name: 'Breaches',
      trigger: { type: 'ticket_sla', events: ['sla_breach'] },
      steps: [{ id: 'assign', type: 'assign_owner', teamId: team.id }],
    });
    const tickets = [];
    for (const n of [1, 2, 3]) tickets.push(await s.create('tickets', { subject: `T${n}` }));
    const event = (ticket: string, kind: string) => ({
      ticket_id: Number(ticket),
      policy_id: 1,
      kind,
      target: 'resolution',
      at: '2026-03-02T08:00:00.000Z',
      detected_at: '2026-03-02T08:00:00.000Z',
    });
    await s.deps.db
      .insertInto('crm_sla_events')
      .values([
        event(tickets[0] ?? '', 'breach'),
        event(tickets[1] ?? '', 'warning'),
        event(tickets[1] ?? '', 'breach'),
        event(tickets[2] ?? '', 'breach'),
      ])
      .execute();
    await s.run();
    await s.run();
    const runs = await s.runs(wf.id);
    expect(runs).toHaveLength(3);
    const owners = [];
    for (const id of tickets)
      owners.push((await s.read('tickets', id, 'hubspot_owner_id')).hubspot_owner_id);
    const sorted = [...members].sort();
    expect(owners).toEqual([sorted[0], sorted[1], sorted[0]]);

    const audience = await s.workflow({
      name: 'Entered',
      trigger: { type: 'audience_entered', audienceId: 'aud_vip' },
      steps: [{ id: 'title', type: 'update_property', property: 'jobtitle', value: 'VIP' }],
    });
    const contact = await s.create('contacts', { email: 'vip@x.test' });
    const enter = {
      kind: 'audience_entered' as const,
      audienceId: 'aud_vip',
      contactId: Number(contact),
    };
    expect(await triggerWorkflows(s.deps, enter, 'evt_1')).toBe(1);
    expect(await triggerWorkflows(s.deps, enter, 'evt_1')).toBe(0);
    await s.run();
    expect((await s.runs(audience.id))[0]?.status).toBe('completed');
    expect((await s.read('contacts', contact, 'jobtitle')).jobtitle).toBe('VIP');
  });

  it('is versioned: runs record the version they ran, earlier versions stay readable', async () => {
    const s = await setup(engine);
    const wf = await s.workflow({
      name: 'V',
      trigger: { type: 'record_created', objectType: 'contacts' },
      steps: [{ id: 'a', type: 'update_property', property: 'jobtitle', value: 'one' }],
    });
    await s.create('contacts', { email: 'v1@x.test' });
    await s.run();
    const patched = await s.call('PATCH', `/api/v1/crm/workflows/${wf.id}`, {
      steps: [{ id: 'a', type: 'update_property', property: 'jobtitle', value: 'two' }],
    });
    expect(patched.json().version).toBe(2);
    const disabled = await s.call('PATCH', `/api/v1/crm/workflows/${wf.id}`, { enabled: false });
    expect(disabled.json()).toMatchObject({ version: 2, enabled: false });
    await s.create('contacts', { email: 'off@x.test' });
    await s.run();
    await s.call('PATCH', `/api/v1/crm/workflows/${wf.id}`, { enabled: true });
    s.clock.advance(1000);
    const id2 = await s.create('contacts', { email: 'v2@x.test' });
    await s.run();
    expect((await s.runs(wf.id)).map((r) => r.version)).toEqual([2, 1]);
    expect((await s.read('contacts', id2, 'jobtitle')).jobtitle).toBe('two');
    const v1 = await s.call('GET', `/api/v1/crm/workflows/${wf.id}/versions/1`);
    expect(v1.json().steps[0].value).toBe('one');
  });

  it('runs scheduled workflows at their cron time, once per fire time', async () => {
    const s = await setup(engine);
    const wf = await s.workflow({
      name: 'Daily',
      trigger: { type: 'scheduled', cron: '0 9 * * *' },
      steps: [
        {
          id: 'make',
          type: 'create_record',
          objectType: 'tasks',
          properties: { hs_task_subject: 'Daily review', hs_timestamp: '2026-03-02T09:00:00.000Z' },
        },
      ],
    });
    await s.run();
    expect(await s.runs(wf.id)).toHaveLength(0);
    s.clock.set('2026-03-02T09:00:30.000Z');
    await s.run();
    await s.run();
    const runs = await s.runs(wf.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.status).toBe('completed');
    // Three days of downtime: one catch-up run, not three.
    s.clock.set('2026-03-05T12:00:00.000Z');
    await s.run();
    expect(await s.runs(wf.id)).toHaveLength(2);
  });
});

describe('workflow definitions', () => {
  it.each([
    [{ trigger: { type: 'on_tuesday' }, steps: [] }, 'trigger.type'],
    [{ trigger: { type: 'scheduled', cron: '61 * * * *' }, steps: [] }, 'trigger.cron'],
    [
      { trigger: { type: 'record_created', objectType: 'planets' }, steps: [] },
      'trigger.objectType',
    ],
    [
      {
        trigger: { type: 'property_changed', objectType: 'contacts', property: 'shoe_size' },
        steps: [],
      },
      'trigger.property',
    ],
    [
      {
        trigger: { type: 'record_created', objectType: 'contacts' },
        steps: [{ id: 'a', type: 'teleport' }],
      },
      'steps[0].type',
    ],
    [
      {
        trigger: { type: 'record_created', objectType: 'contacts' },
        steps: [{ id: 'a', type: 'update_property', property: 'nope', value: 'x' }],
      },
      'steps[0].property',
    ],
    [
      {
        trigger: { type: 'record_created', objectType: 'contacts' },
        steps: [
          { id: 'a', type: 'delay', minutes: 1, next: 'b' },
          { id: 'b', type: 'delay', minutes: 1, next: 'a' },
        ],
      },
      'steps[1]',
    ],
    [
      {
        trigger: { type: 'record_created', objectType: 'contacts' },
        steps: [
          {
            id: 'a',
            type: 'if_else',
            conditions: [{ property: 'email', operator: 'eq', value: 'x' }],
            ifTrue: 'a',
          },
        ],
      },
      'steps[0]',
    ],
    [
      {
        trigger: { type: 'record_created', objectType: 'contacts' },
        steps: [{ id: 'a', type: 'delay', minutes: 1, next: 'zz' }],
      },
      'steps[0]',
    ],
    [
      {
        trigger: { type: 'scheduled', cron: '* * * * *' },
        steps: [{ id: 'a', type: 'update_property', property: 'jobtitle', value: 'x' }],
      },
      'steps[0].type',
    ],
    [
      {
        trigger: { type: 'record_created', objectType: 'contacts' },
        steps: [{ id: 'a', type: 'send_webhook', url: 'ftp://x' }],
      },
      'steps[0].url',
    ],
  ])('refuses %j naming %s', async (body, field) => {
    const s = await setup();
    const r = await s.call('POST', '/api/v1/crm/workflows', { name: 'bad', ...body });
    expect(r.statusCode).toBe(400);
    const problem = problemOf(r);
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors?.map((e) => e.field)).toContain(field);
  });

  it('answers 404 for unknown workflows and runs', async () => {
    const s = await setup();
    expect(problemOf(await s.call('GET', '/api/v1/crm/workflows/wf_nope')).code).toBe('not_found');
    expect((await s.call('GET', '/api/v1/crm/workflows/wf_nope/runs/wfr_x')).statusCode).toBe(404);
  });
});
