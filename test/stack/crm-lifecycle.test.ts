import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflowsOnce } from '../../src/crm/index.js';
import { systemClock } from '../../src/kernel/clock.js';
import { crmClient } from '../crm/helpers.js';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';
import { enginesUnderTest } from '../helpers/stores.js';

let t: TestApp;
let call: ReturnType<typeof crmClient>;
let writeKey: string;
let teamId: string;
let userIds: string[];
let audienceId: string;
let workflowId: string;
const json = { 'content-type': 'application/json' };

async function admin(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: payload === undefined ? bearer(t.adminToken) : { ...bearer(t.adminToken), ...json },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
}

async function send(batch: Record<string, unknown>[]) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, ...json },
    payload: { batch },
  });
  expect(res.statusCode).toBe(200);
  await t.drain();
}

async function contactByEmail(email: string) {
  const res = await call(
    'GET',
    `/crm/v3/objects/contacts/${encodeURIComponent(email)}?idProperty=email&properties=lifecyclestage,hubspot_owner_id,firstname,lastname`,
  );
  return res;
}

describe.each(enginesUnderTest())('CDP -> CRM on $name', (engine) => {
  beforeAll(async () => {
    t = await createTestApp({ identity: true, testStore: await engine.open() });
    call = crmClient(t);
    writeKey = (await admin('POST', '/api/v1/sources', { name: 'web' })).json().writeKey;
    userIds = [];
    for (const email of ['sam@example.com', 'kim@example.com']) {
      const user = await admin('POST', '/api/v1/users', { email, role: 'sales', name: email });
      expect(user.statusCode).toBe(201);
      userIds.push(user.json().user.id);
    }
    const team = await admin('POST', '/api/v1/crm/teams', {
      name: 'Inbound',
      members: userIds.map((userId) => ({ userId })),
    });
    expect(team.statusCode).toBe(201);
    teamId = team.json().id;
    const audience = await admin('POST', '/api/v1/audiences', {
      key: 'mql',
      name: 'Marketing qualified',
      text: 'performed "Demo Requested"',
    });
    expect(audience.statusCode).toBe(201);
    audienceId = audience.json().id;
    for (let i = 0; i < 200; i++) {
      if ((await admin('GET', `/api/v1/audiences/${audienceId}`)).json().status === 'ready') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const workflow = await call('POST', '/api/v1/crm/workflows', {
      name: 'Follow up MQLs',
      trigger: { type: 'audience_entered', audienceId: 'mql' },
      steps: [{ id: 'task', type: 'create_task', subject: 'Call the new MQL' }],
    });
    expect(workflow.statusCode, workflow.body).toBe(201);
    workflowId = workflow.json().id;
  });
  afterAll(() => t.close());

  describe('CDP -> CRM', () => {
    it('refuses rules naming unknown audiences, stages or teams, field by field', async () => {
      const res = await admin('PUT', '/api/v1/stack/crm-sync', {
        rules: [{ audienceKey: 'nope', lifecycleStage: 'lead', ownerTeamId: '999' }],
      });
      expect(res.statusCode).toBe(400);
      const problem = problemOf(res);
      expect(problem.code).toBe('validation_failed');
      expect(problem.errors?.map((e) => e.field).sort()).toEqual([
        'rules[0].audienceKey',
        'rules[0].ownerTeamId',
      ]);
      const badStage = await admin('PUT', '/api/v1/stack/crm-sync', {
        rules: [{ audienceKey: 'mql', lifecycleStage: 'hot' }],
      });
      expect(badStage.statusCode).toBe(400);
      expect(problemOf(badStage).errors).toEqual([
        { field: 'rules[0].lifecycleStage', message: expect.stringContaining('customer') },
      ]);
    });

    it('makes people entering the audience CRM contacts with the stage and rotating owners', async () => {
      const put = await admin('PUT', '/api/v1/stack/crm-sync', {
        rules: [
          { audienceKey: 'mql', lifecycleStage: 'marketingqualifiedlead', ownerTeamId: teamId },
        ],
      });
      expect(put.statusCode, put.body).toBe(200);
      await send([
        {
          type: 'identify',
          userId: 'u-ada',
          traits: { email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace' },
        },
        {
          type: 'identify',
          userId: 'u-alan',
          traits: { email: 'alan@example.com', name: 'Alan Turing' },
        },
        { type: 'track', userId: 'u-ada', event: 'Demo Requested' },
        { type: 'track', userId: 'u-alan', event: 'Demo Requested' },
      ]);
      const run = await admin('POST', '/api/v1/stack/crm-sync/run');
      expect(run.statusCode).toBe(200);
      expect(run.json().membershipsHandled).toBe(2);

      const ada = await contactByEmail('ada@example.com');
      const alan = await contactByEmail('alan@example.com');
      expect(ada.statusCode).toBe(200);
      expect(ada.json().properties).toMatchObject({
        lifecyclestage: 'marketingqualifiedlead',
        firstname: 'Ada',
        lastname: 'Lovelace',
      });
      expect(alan.json().properties).toMatchObject({ firstname: 'Alan', lastname: 'Turing' });
      const owners = [ada, alan].map((c) => c.json().properties.hubspot_owner_id);
      expect(owners.sort()).toEqual([...userIds].sort());

      // The contact's id is now an identifier of the unified profile.
      await t.drain();
      const profile = await admin('GET', `/api/v1/profiles/${encodeURIComponent('user_id:u-ada')}`);
      expect(profile.json().identifiers).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'crm_contact_id', value: ada.json().id }),
        ]),
      );
    });

    it('starts the CRM workflows triggered by the audience, on the contact', async () => {
      await runWorkflowsOnce({ db: t.testStore.store.db, clock: systemClock });
      const runs = (await call('GET', `/api/v1/crm/workflows/${workflowId}/runs`)).json().data as {
        status: string;
        objectId: string | null;
      }[];
      expect(runs).toHaveLength(2);
      expect(runs.map((r) => r.status)).toEqual(['completed', 'completed']);
      const ada = (await contactByEmail('ada@example.com')).json().id;
      expect(runs.map((r) => r.objectId)).toContain(ada);
      const tasks = await call('GET', `/crm/v4/objects/contacts/${ada}/associations/tasks`);
      expect(tasks.json().results).toHaveLength(1);
      // Running the sync again starts nothing twice.
      await admin('POST', '/api/v1/stack/crm-sync/run');
      expect(
        (await call('GET', `/api/v1/crm/workflows/${workflowId}/runs`)).json().data,
      ).toHaveLength(2);
    });

    it('creates the company of a group call once, by domain, and links the contact', async () => {
      const group = {
        type: 'group',
        userId: 'u-ada',
        groupId: 'acct-1',
        traits: { name: 'Analytical Engines', website: 'https://www.engines.example/about' },
      };
      await send([
        group,
        { ...group, traits: { ...group.traits, name: 'Analytical Engines Ltd' } },
      ]);
      const found = await call('POST', '/crm/v3/objects/companies/search', {
        filterGroups: [
          { filters: [{ propertyName: 'domain', operator: 'EQ', value: 'engines.example' }] },
        ],
      });
      expect(found.statusCode).toBe(200);
      expect(found.json().total).toBe(1);
      const company = found.json().results[0];
      expect(company.properties.name).toBe('Analytical Engines');
      const ada = (await contactByEmail('ada@example.com')).json().id;
      const links = await call('GET', `/crm/v4/objects/contacts/${ada}/associations/companies`);
      expect(
        links.json().results.map((r: { toObjectId: unknown }) => String(r.toObjectId)),
      ).toEqual([company.id]);
    });

    it('never moves a contact back: a customer entering the audience stays a customer', async () => {
      const existing = await call('POST', '/crm/v3/objects/contacts', {
        properties: { email: 'grace@example.com', lifecyclestage: 'customer' },
      });
      expect(existing.statusCode).toBe(201);
      await send([
        {
          type: 'identify',
          userId: 'u-grace',
          traits: { email: 'grace@example.com', firstName: 'Grace' },
        },
        { type: 'track', userId: 'u-grace', event: 'Demo Requested' },
      ]);
      const run = await admin('POST', '/api/v1/stack/crm-sync/run');
      expect(run.json().membershipsHandled).toBe(1);
      const grace = (await contactByEmail('grace@example.com')).json();
      expect(grace.id).toBe(existing.json().id);
      expect(grace.properties).toMatchObject({ lifecyclestage: 'customer', firstname: 'Grace' });
      expect(grace.properties.hubspot_owner_id).toBeTruthy();
      const status = (await admin('GET', '/api/v1/stack/crm-sync')).json();
      expect(status.recent).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            outcome: 'refused',
            detail: expect.stringContaining('move back'),
          }),
        ]),
      );
      expect(status.offsets.audienceMemberships).toBeGreaterThan(0);
    });
  });
});
