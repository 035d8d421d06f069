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
  'POST /api/v1/identity/duplicates/scan': ['admin', 'marketer'],
  'GET /api/v1/identity/duplicates': ['admin', 'marketer', 'sales', 'support'],
  'POST /api/v1/identity/duplicates/{id}/merge': ['admin', 'marketer', 'sales', 'support'],
  'POST /api/v1/identity/duplicates/{id}/dismiss': ['admin', 'marketer', 'sales', 'support'],
  'GET /api/v1/identity/rules': ['admin', 'marketer'],
  'PUT /api/v1/identity/rules': ['admin'],
  'POST /api/v1/replays': ['admin', 'marketer'],
  'GET /api/v1/profiles': ['admin', 'marketer'],
  'GET /api/v1/profiles/{id}': ['admin', 'marketer'],
  'GET /api/v1/profiles/{id}/events': ['admin', 'marketer'],
  'GET /api/v1/profiles/{id}/merges': ['admin', 'marketer'],
  'POST /api/v1/profiles/{id}/unmerge': ['admin', 'marketer'],
  'GET /api/v1/identity/shared-identifiers': ['admin', 'marketer'],
  ...Object.fromEntries(
    ['traits', 'events', 'external_ids', 'metadata', 'links'].map((p) => [
      `GET /v1/spaces/{space}/collections/users/profiles/{key}/${p}`,
      ['admin', 'marketer'] as Role[],
    ]),
  ),
  // ingest routes (tracking plans, imports, live debugger)
  'GET /api/v1/sources/{id}/tracking-plan': ['admin', 'marketer'],
  'PUT /api/v1/sources/{id}/tracking-plan': ['admin', 'marketer'],
  'DELETE /api/v1/sources/{id}/tracking-plan': ['admin', 'marketer'],
  'GET /api/v1/sources/{id}/violations': ['admin', 'marketer'],
  'GET /api/v1/sources/{id}/live': ['admin', 'marketer'],
  'POST /api/v1/imports': ['admin', 'marketer'],
  'GET /api/v1/imports/{id}': ['admin', 'marketer'],
  'GET /api/v1/imports/{id}/errors': ['admin', 'marketer'],
  'GET /analytics.js/v1/{writeKey}/analytics.min.js': 'public',
  'GET /analytics-next/bundles/{file}': 'public',
  // audience routes
  'POST /api/v1/audiences': ['admin', 'marketer'],
  'GET /api/v1/audiences': ['admin', 'marketer', 'analyst'],
  'POST /api/v1/audiences/preview': ['admin', 'marketer', 'analyst'],
  'GET /api/v1/audiences/{id}': ['admin', 'marketer', 'analyst'],
  'PATCH /api/v1/audiences/{id}': ['admin', 'marketer'],
  'DELETE /api/v1/audiences/{id}': ['admin', 'marketer'],
  'POST /api/v1/audiences/{id}/run': ['admin', 'marketer'],
  'GET /api/v1/audiences/{id}/members': ['admin', 'marketer'],
  'GET /api/v1/audiences/{id}/history': ['admin', 'marketer'],
  'POST /api/v1/computed-traits': ['admin', 'marketer'],
  'GET /api/v1/computed-traits': ['admin', 'marketer', 'analyst'],
  'GET /api/v1/computed-traits/{id}': ['admin', 'marketer', 'analyst'],
  'DELETE /api/v1/computed-traits/{id}': ['admin', 'marketer'],
  'POST /api/v1/destinations': ['admin', 'marketer'],
  'GET /api/v1/destinations': ['admin', 'marketer'],
  'GET /api/v1/destinations/{id}': ['admin', 'marketer'],
  'PATCH /api/v1/destinations/{id}': ['admin', 'marketer'],
  'DELETE /api/v1/destinations/{id}': ['admin', 'marketer'],
  'GET /api/v1/destinations/{id}/deliveries': ['admin', 'marketer'],
  'POST /api/v1/destinations/{id}/redrive': ['admin', 'marketer'],
  'GET /api/v1/destinations/egress-allowlist': ['admin'],
  'POST /api/v1/destinations/egress-allowlist': ['admin'],
  'DELETE /api/v1/destinations/egress-allowlist/{entry}': ['admin'],
  // crm routes
  ...Object.fromEntries(
    [
      'GET /crm/v3/objects/{objectType}',
      'GET /crm/v3/objects/{objectType}/{objectId}',
      'POST /crm/v3/objects/{objectType}/batch/read',
      'POST /crm/v3/objects/{objectType}/search',
      'GET /crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}',
      'GET /crm/v4/associations/{fromObjectType}/{toObjectType}/labels',
      'GET /crm/v3/properties/{objectType}',
      'GET /crm/v3/properties/{objectType}/{propertyName}',
      'GET /crm/v3/pipelines/{objectType}',
      'GET /crm/v3/pipelines/{objectType}/{pipelineId}',
    ].map((route) => [route, ['admin', 'sales', 'support', 'marketer'] as Role[]]),
  ),
  ...Object.fromEntries(
    [
      'POST /crm/v3/objects/{objectType}',
      'PATCH /crm/v3/objects/{objectType}/{objectId}',
      'DELETE /crm/v3/objects/{objectType}/{objectId}',
      'POST /crm/v3/objects/{objectType}/merge',
      'POST /crm/v3/objects/{objectType}/batch/create',
      'POST /crm/v3/objects/{objectType}/batch/update',
      'POST /crm/v3/objects/{objectType}/batch/upsert',
      'POST /crm/v3/objects/{objectType}/batch/archive',
      'PUT /crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}',
      'DELETE /crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}',
      'PUT /crm/v4/objects/{objectType}/{objectId}/associations/default/{toObjectType}/{toObjectId}',
    ].map((route) => [route, ['admin', 'sales', 'support'] as Role[]]),
  ),
  ...Object.fromEntries(
    [
      'POST /crm/v4/associations/{fromObjectType}/{toObjectType}/labels',
      'PUT /crm/v4/associations/{fromObjectType}/{toObjectType}/labels',
      'DELETE /crm/v4/associations/{fromObjectType}/{toObjectType}/labels/{associationTypeId}',
      'POST /crm/v3/properties/{objectType}',
      'PATCH /crm/v3/properties/{objectType}/{propertyName}',
      'DELETE /crm/v3/properties/{objectType}/{propertyName}',
      'POST /crm/v3/pipelines/{objectType}',
      'PATCH /crm/v3/pipelines/{objectType}/{pipelineId}',
      'DELETE /crm/v3/pipelines/{objectType}/{pipelineId}',
      'POST /crm/v3/pipelines/{objectType}/{pipelineId}/stages',
      'PATCH /crm/v3/pipelines/{objectType}/{pipelineId}/stages/{stageId}',
      'DELETE /crm/v3/pipelines/{objectType}/{pipelineId}/stages/{stageId}',
    ].map((route) => [route, ['admin'] as Role[]]),
  ),
  // crm sales routes (owners, teams, SLAs, reports, import/export)
  'GET /crm/v3/owners': ['admin', 'sales', 'support', 'marketer', 'analyst'],
  'GET /crm/v3/owners/{ownerId}': ['admin', 'sales', 'support', 'marketer', 'analyst'],
  'GET /api/v1/crm/teams': ['admin', 'sales', 'support', 'analyst'],
  'POST /api/v1/crm/teams': ['admin'],
  'GET /api/v1/crm/teams/{id}': ['admin', 'sales', 'support', 'analyst'],
  'PATCH /api/v1/crm/teams/{id}': ['admin'],
  'DELETE /api/v1/crm/teams/{id}': ['admin'],
  'GET /api/v1/crm/visibility': ['admin'],
  'PUT /api/v1/crm/visibility': ['admin'],
  'GET /api/v1/crm/sla-policies': ['admin', 'support', 'analyst'],
  'POST /api/v1/crm/sla-policies': ['admin'],
  'GET /api/v1/crm/sla-policies/{id}': ['admin', 'support', 'analyst'],
  'PATCH /api/v1/crm/sla-policies/{id}': ['admin'],
  'DELETE /api/v1/crm/sla-policies/{id}': ['admin'],
  'GET /api/v1/crm/tickets/{id}/sla': ['admin', 'support'],
  ...Object.fromEntries(
    ['pipeline-value', 'forecast', 'win-rate', 'sales-cycle', 'stage-time'].map((r) => [
      `GET /api/v1/crm/reports/${r}`,
      ['admin', 'sales', 'analyst'] as Role[],
    ]),
  ),
  'GET /api/v1/crm/reports/sla-attainment': ['admin', 'support', 'analyst'],
  'POST /api/v1/crm/imports': ['admin', 'sales', 'support'],
  'GET /api/v1/crm/imports/{id}': ['admin', 'sales', 'support'],
  'GET /api/v1/crm/imports/{id}/errors': ['admin', 'sales', 'support'],
  'POST /api/v1/crm/exports': ['admin', 'sales', 'support', 'marketer'],
  // crm automation routes (workflows, email)
  ...Object.fromEntries(
    [
      'POST /api/v1/crm/workflows',
      'GET /api/v1/crm/workflows',
      'GET /api/v1/crm/workflows/{id}',
      'PATCH /api/v1/crm/workflows/{id}',
      'DELETE /api/v1/crm/workflows/{id}',
      'GET /api/v1/crm/workflows/{id}/versions/{version}',
      'GET /api/v1/crm/workflows/{id}/runs',
      'GET /api/v1/crm/workflows/{id}/runs/{runId}',
      'POST /api/v1/crm/email-templates',
      'GET /api/v1/crm/email-templates',
      'GET /api/v1/crm/email-templates/{id}',
      'PATCH /api/v1/crm/email-templates/{id}',
      'DELETE /api/v1/crm/email-templates/{id}',
      'POST /api/v1/crm/emails',
    ].map((route) => [route, ['admin', 'sales', 'support'] as Role[]]),
  ),
  // dmp routes
  'GET /dmp/v1/px': 'public',
  'POST /dmp/v1/events': 'public',
  'OPTIONS /dmp/v1/events': 'public',
  'POST /dmp/v1/signals': ['admin', 'advertiser'],
  'GET /dmp/v1/optout': 'public',
  'GET /dmp/v1/sync': 'public',
  'GET /dmp/v1/ids/{id}/segments': ['admin', 'advertiser'],
  'POST /dmp/v1/openrtb': ['admin', 'advertiser'],
  'POST /api/v1/dmp/partners': ['admin'],
  'GET /api/v1/dmp/partners': ['admin'],
  'GET /api/v1/dmp/partners/{id}': ['admin'],
  'PATCH /api/v1/dmp/partners/{id}': ['admin'],
  'DELETE /api/v1/dmp/partners/{id}': ['admin'],
  'POST /api/v1/dmp/traits': ['admin', 'advertiser'],
  'GET /api/v1/dmp/traits': ['admin', 'advertiser'],
  'GET /api/v1/dmp/traits/{id}': ['admin', 'advertiser'],
  'PATCH /api/v1/dmp/traits/{id}': ['admin', 'advertiser'],
  'DELETE /api/v1/dmp/traits/{id}': ['admin', 'advertiser'],
  'POST /api/v1/dmp/traits/{id}/onboard': ['admin', 'advertiser'],
  'POST /api/v1/dmp/segments': ['admin', 'advertiser'],
  'GET /api/v1/dmp/segments': ['admin', 'advertiser'],
  'GET /api/v1/dmp/segments/{id}': ['admin', 'advertiser'],
  'PATCH /api/v1/dmp/segments/{id}': ['admin', 'advertiser'],
  'DELETE /api/v1/dmp/segments/{id}': ['admin', 'advertiser'],
  'GET /api/v1/dmp/segments/{id}/reach': ['admin', 'advertiser', 'analyst'],
  'GET /api/v1/dmp/segments/{id}/overlap': ['admin', 'advertiser', 'analyst'],
  'GET /api/v1/dmp/reports/segments': ['admin', 'advertiser', 'analyst'],
  'GET /api/v1/dmp/taxonomy': ['admin', 'advertiser', 'analyst'],
  'GET /api/v1/dmp/taxonomy/{id}': ['admin', 'advertiser', 'analyst'],
  'POST /api/v1/dmp/taxonomy': ['admin', 'advertiser'],
  // prediction and recommendation routes
  'POST /api/v1/predictions': ['admin', 'marketer'],
  'GET /api/v1/predictions': ['admin', 'marketer', 'analyst'],
  'GET /api/v1/predictions/{id}': ['admin', 'marketer', 'analyst'],
  'PATCH /api/v1/predictions/{id}': ['admin', 'marketer'],
  'DELETE /api/v1/predictions/{id}': ['admin', 'marketer'],
  'POST /api/v1/predictions/{id}/train': ['admin', 'marketer'],
  'GET /api/v1/profiles/{id}/predictions': ['admin', 'marketer'],
  'GET /api/v1/profiles/{id}/recommendations': ['admin', 'marketer'],
  'GET /api/v1/recommendations': ['admin', 'marketer', 'analyst'],
  'POST /api/v1/recommendations/refresh': ['admin', 'marketer'],
  // personalization routes
  'POST /api/v1/personalize': ['admin', 'marketer'],
  // insight routes
  'GET /api/v1/insights/volume': ['admin', 'marketer', 'analyst'],
  'POST /api/v1/insights/funnel': ['admin', 'marketer', 'analyst'],
  'GET /api/v1/insights/retention': ['admin', 'marketer', 'analyst'],
  'GET /api/v1/insights/audiences/{id}/history': ['admin', 'marketer', 'analyst'],
  'GET /api/v1/insights/traits/{name}/distribution': ['admin', 'marketer', 'analyst'],
  // privacy routes
  'PUT /api/v1/profiles/{id}/consents': ['admin', 'marketer', 'support'],
  'GET /api/v1/profiles/{id}/consents': ['admin', 'marketer', 'support'],
  'GET /api/v1/privacy/consents/stats': ['admin', 'marketer'],
  'POST /api/v1/privacy/requests': ['admin'],
  'GET /api/v1/privacy/requests/{id}': ['admin'],
  'GET /api/v1/privacy/requests/{id}/document': ['admin'],
  'GET /api/v1/privacy/audit': ['admin'],
  'GET /api/v1/privacy/retention': ['admin'],
  'PUT /api/v1/privacy/retention': ['admin'],
  // stack routes
  'GET /api/v1/customers/{key}': ['admin', 'marketer', 'sales', 'support'],
  // stack crm sync routes
  'GET /api/v1/stack/crm-sync': ['admin'],
  'PUT /api/v1/stack/crm-sync': ['admin'],
  'POST /api/v1/stack/crm-sync/run': ['admin'],
  // stack dmp sync routes
  'PUT /api/v1/stack/dmp-sync': ['admin', 'marketer'],
  'GET /api/v1/stack/dmp-sync': ['admin', 'marketer'],
  'GET /api/v1/stack/attribution': ['admin', 'marketer', 'analyst'],
  // dmp export routes
  'POST /api/v1/dmp/destinations': ['admin', 'advertiser'],
  'GET /api/v1/dmp/destinations': ['admin', 'advertiser'],
  'GET /api/v1/dmp/destinations/{id}': ['admin', 'advertiser'],
  'PATCH /api/v1/dmp/destinations/{id}': ['admin', 'advertiser'],
  'DELETE /api/v1/dmp/destinations/{id}': ['admin', 'advertiser'],
  'POST /api/v1/dmp/destinations/{id}/mappings': ['admin', 'advertiser'],
  'GET /api/v1/dmp/destinations/{id}/mappings': ['admin', 'advertiser'],
  'PATCH /api/v1/dmp/destinations/{id}/mappings/{mappingId}': ['admin', 'advertiser'],
  'DELETE /api/v1/dmp/destinations/{id}/mappings/{mappingId}': ['admin', 'advertiser'],
  'GET /api/v1/dmp/traits/{id}/labels': ['admin', 'advertiser'],
  'PUT /api/v1/dmp/traits/{id}/labels': ['admin', 'advertiser'],
  'POST /api/v1/dmp/destinations/{id}/exports': ['admin', 'advertiser'],
  'GET /api/v1/dmp/destinations/{id}/exports': ['admin', 'advertiser'],
  'GET /api/v1/dmp/destinations/{id}/exports/{runId}': ['admin', 'advertiser'],
  'GET /api/v1/dmp/destinations/{id}/exports/{runId}/file': ['admin', 'advertiser'],
  'POST /api/v1/dmp/destinations/{id}/push': ['admin', 'advertiser'],
  'GET /api/v1/dmp/destinations/{id}/deliveries': ['admin', 'advertiser'],
  // dmp lookalike routes
  'POST /api/v1/dmp/lookalikes': ['admin', 'advertiser'],
  'GET /api/v1/dmp/lookalikes': ['admin', 'advertiser'],
  'GET /api/v1/dmp/lookalikes/{id}': ['admin', 'advertiser'],
  'POST /api/v1/dmp/lookalikes/{id}/activate': ['admin', 'advertiser'],
  'POST /api/v1/dmp/lookalikes/{id}/refresh': ['admin', 'advertiser'],
  'DELETE /api/v1/dmp/lookalikes/{id}': ['admin', 'advertiser'],
  // dmp media routes
  'GET /dmp/v1/media/px': 'public',
  'POST /dmp/v1/media/events': ['admin', 'advertiser'],
  'GET /api/v1/dmp/reports/media': ['admin', 'advertiser', 'analyst'],
  // crm import/export and merge-queue routes
  'GET /api/v1/crm/contacts/{id}/cdp': ['admin', 'sales', 'support', 'marketer'],
  'GET /api/v1/crm/duplicates': ['admin', 'sales', 'support'],
  'POST /api/v1/crm/duplicates/{id}/merge': ['admin', 'sales'],
  'POST /api/v1/crm/duplicates/{id}/dismiss': ['admin', 'sales', 'support'],
  // privacy list routes
  'GET /api/v1/privacy/requests': ['admin'],
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
        // problem+json and HubSpot bodies carry `code`; Segment's Profile API nests it in `error`.
        const body = response.json();
        expect(body.code ?? body.error?.code).toBe('forbidden');
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
