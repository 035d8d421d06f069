import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

/**
 * The analytics.js snippet, unmodified but for the host it loads from, on a page of another
 * origin, in headless Chromium: Triad serves the library, its chunks, its settings and
 * receives its events. Nothing may leave localhost.
 */
let t: TestApp;
let triadUrl: string;
let page: Server;
let pageUrl: string;
let browser: Browser;
let writeKey: string;
let sourceId: string;

// Segment's standard copy-paste snippet (5.x); only the script host differs, and `_cdn` points
// the library at the same host for its chunks and settings.
const snippet = (triad: string, key: string) => `
!function(){var i="analytics",analytics=window[i]=window[i]||[];if(!analytics.initialize)if(analytics.invoked)window.console&&console.error&&console.error("Segment snippet included twice.");else{analytics.invoked=!0;analytics.methods=["trackSubmit","trackClick","trackLink","trackForm","pageview","identify","reset","group","track","ready","alias","debug","page","screen","once","off","on","addSourceMiddleware","addIntegrationMiddleware","setAnonymousId","addDestinationMiddleware","register"];analytics.factory=function(e){return function(){if(window[i].initialized)return window[i][e].apply(window[i],arguments);var n=Array.prototype.slice.call(arguments);if(["track","screen","alias","group","page","identify"].indexOf(e)>-1){var c=document.querySelector("link[rel='canonical']");n.push({__t:"bpc",c:c&&c.getAttribute("href")||void 0,p:location.pathname,u:location.href,s:location.search,t:document.title,r:document.referrer})}n.unshift(e);analytics.push(n);return analytics}};for(var n=0;n<analytics.methods.length;n++){var key=analytics.methods[n];analytics[key]=analytics.factory(key)}analytics.load=function(key,n){var t=document.createElement("script");t.type="text/javascript";t.async=!0;t.setAttribute("data-global-segment-analytics-key",i);t.src="${triad}/analytics.js/v1/"+key+"/analytics.min.js";var r=document.getElementsByTagName("script")[0];r.parentNode.insertBefore(t,r);analytics._loadOptions=n};analytics._cdn="${triad}";analytics._writeKey="${key}";analytics.SNIPPET_VERSION="5.2.1";
analytics.load("${key}");
analytics.page();
}}();`;

beforeAll(async () => {
  t = await createTestApp();
  triadUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/sources',
    headers: { ...bearer(t.adminToken), 'content-type': 'application/json' },
    payload: { name: 'website' },
  });
  ({ writeKey, id: sourceId } = created.json());
  page = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><title>Shop</title><script>${snippet(triadUrl, writeKey)}</script></head>
<body><h1>Shop</h1><script>
analytics.identify('u-77', { email: 'Ada@Example.com', plan: 'pro' });
analytics.track('Order Completed', { total: 42.5, currency: 'EUR' });
</script></body></html>`);
  });
  await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
  pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/shop`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => page?.close(r));
  await t?.close();
});

async function storedEvents() {
  const response = await t.app.inject({
    method: 'GET',
    url: `/api/v1/events?sourceId=${sourceId}&limit=50`,
    headers: bearer(t.adminToken),
  });
  return response.json().data as {
    type: string;
    event: string | null;
    userId: string | null;
    payload: Record<string, unknown>;
  }[];
}

describe('analytics.js snippet served by Triad, in Chromium', () => {
  it('loads the library from Triad and delivers page, identify and track', async () => {
    const context = await browser.newContext();
    const requested: string[] = [];
    // Record everything the page asks for, and refuse anything that would leave this machine.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      requested.push(url);
      return new URL(url).hostname === '127.0.0.1' ? route.continue() : route.abort();
    });
    const tab = await context.newPage();
    const consoleErrors: string[] = [];
    tab.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await tab.goto(pageUrl);

    let events: Awaited<ReturnType<typeof storedEvents>> = [];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      events = await storedEvents();
      if (events.length >= 3) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await context.close();

    expect(events.map((e) => e.type).sort()).toEqual(['identify', 'page', 'track']);
    const track = events.find((e) => e.type === 'track');
    expect(track).toMatchObject({ event: 'Order Completed', userId: 'u-77' });
    expect(track?.payload).toMatchObject({
      properties: { total: 42.5, currency: 'EUR' },
      context: { library: { name: 'analytics.js' }, page: { path: '/shop' } },
    });
    const identify = events.find((e) => e.type === 'identify');
    expect(identify?.payload).toMatchObject({ traits: { email: 'ada@example.com' } });

    expect(requested.some((u) => u.endsWith(`/analytics.js/v1/${writeKey}/analytics.min.js`))).toBe(
      true,
    );
    expect(requested.some((u) => u.includes(`/v1/projects/${writeKey}/settings`))).toBe(true);
    const foreign = requested.filter((u) => new URL(u).hostname !== '127.0.0.1');
    expect(foreign).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 40_000);

  it('serves the chunks the library asks for under /analytics-next/bundles/', async () => {
    const library = await fetch(`${triadUrl}/analytics.js/v1/${writeKey}/analytics.min.js`);
    expect(library.status).toBe(200);
    expect(library.headers.get('content-type')).toContain('javascript');
    const text = await library.text();
    // The chunk names are compiled into the library; every one it can ask for must be served.
    const hashes = text.match(
      /\{10:"tsub-middleware"[^}]*\}\[t\]\|\|t\)\+"\.bundle\."\+\{([^}]*)\}/,
    );
    expect(hashes).not.toBeNull();
    const names = /\{([^}]*)\}\[t\]\|\|t\)/.exec(text)?.[1] ?? '';
    const byId = new Map(
      [...names.matchAll(/(\d+):"([^"]+)"/g)].map((m) => [m[1] as string, m[2] as string]),
    );
    const chunkFiles = [...(hashes?.[1] ?? '').matchAll(/(\d+):"([0-9a-f]+)"/g)].map(
      (m) => `${byId.get(m[1] as string) ?? m[1]}.bundle.${m[2]}.js`,
    );
    expect(chunkFiles.length).toBeGreaterThan(3);
    for (const file of chunkFiles) {
      const chunk = await fetch(`${triadUrl}/analytics-next/bundles/${file}`);
      expect(chunk.status, file).toBe(200);
      await chunk.arrayBuffer();
    }
    const unknownKey = await fetch(`${triadUrl}/analytics.js/v1/nope/analytics.min.js`);
    expect(unknownKey.status).toBe(404);
    const traversal = await fetch(`${triadUrl}/analytics-next/bundles/..%2Fpackage.json`);
    expect(traversal.status).toBe(404);
  });
});
