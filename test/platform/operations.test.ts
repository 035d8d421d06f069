import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('operator endpoints', () => {
  it('GET /healthz answers 200 while the process is up', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 while the store answers and 503 once it is gone', async () => {
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', store: 'sqlite' });

    const other = await createTestApp();
    await other.testStore.store.close();
    const gone = await other.app.inject({ method: 'GET', url: '/readyz' });
    expect(gone.statusCode).toBe(503);
    expect(gone.json().status).toBe('unavailable');
    await other.app.close();
  });

  it('GET /openapi.json is a valid OpenAPI 3.1 document listing every route', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);

    for (const path of [
      '/api/v1/tokens',
      '/api/v1/sources/{id}/rotate-key',
      '/healthz',
      '/metrics',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    // Every operation documents its problem+json errors and says how it is authorized.
    for (const [path, ops] of Object.entries(
      doc.paths as Record<
        string,
        Record<string, { security?: unknown[]; responses: Record<string, unknown> }>
      >,
    )) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.responses['4XX'], `${method} ${path} documents 4XX`).toBeDefined();
        expect(Array.isArray(op.security), `${method} ${path} declares security`).toBe(true);
      }
    }
  });

  it('GET /docs renders the API reference from this server, with no external assets', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/docs' });
    const html =
      page.statusCode === 302
        ? (await t.app.inject({ method: 'GET', url: String(page.headers.location) })).body
        : page.body;
    expect(html).toContain('swagger-ui');
    expect(html).not.toMatch(/src="https?:\/\//);
    const init = await t.app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    expect(init.statusCode).toBe(200);
    const bundle = await t.app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.body.length).toBeGreaterThan(100_000);
  });

  it('GET /metrics exposes per-route request counts, latency histograms and process metrics', async () => {
    await t.app.inject({ method: 'GET', url: '/healthz' });
    await t.app.inject({ method: 'GET', url: '/healthz' });
    await t.app.inject({ method: 'GET', url: '/no/such/route/123' });
    const response = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    const healthCount = text.match(
      /triad_http_requests_total\{method="GET",route="\/healthz",status_code="200"\} (\d+)/,
    );
    expect(Number(healthCount?.[1])).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(
      /triad_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/healthz",status_code="200"\}/,
    );
    // Unmatched URLs share one label value instead of creating a series each.
    expect(text).toContain('route="unmatched",status_code="404"');
    expect(text).not.toContain('/no/such/route/123');
    expect(text).toMatch(/triad_process_resident_memory_bytes \d+/);
    expect(text).toMatch(/triad_nodejs_eventloop_lag_seconds /);
  });
});
