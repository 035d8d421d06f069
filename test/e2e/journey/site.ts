import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/**
 * The shop a visitor browses, on its own host. Chromium resolves both names to 127.0.0.1; they
 * share the registrable domain `example.com`, so the DMP's `SameSite=Lax` cookie (Triad answers
 * plain HTTP here) is set and sent on the shop's pixel and sync requests, as the `SameSite=None`
 * one is between real sites over HTTPS.
 */
export const shopHost = 'shop.example.com';
export const triadHost = 'triad.example.com';

// Segment's standard snippet (5.x), as in analytics-next.test.ts, without its trailing page()
// call: the page adds its middleware first.
const snippet = (triad: string, key: string) =>
  `!function(){var i="analytics",analytics=window[i]=window[i]||[];if(!analytics.initialize)if(analytics.invoked)window.console&&console.error&&console.error("Segment snippet included twice.");else{analytics.invoked=!0;analytics.methods=["trackSubmit","trackClick","trackLink","trackForm","pageview","identify","reset","group","track","ready","alias","debug","page","screen","once","off","on","addSourceMiddleware","addIntegrationMiddleware","setAnonymousId","addDestinationMiddleware","register"];analytics.factory=function(e){return function(){if(window[i].initialized)return window[i][e].apply(window[i],arguments);var n=Array.prototype.slice.call(arguments);if(["track","screen","alias","group","page","identify"].indexOf(e)>-1){var c=document.querySelector("link[rel='canonical']");n.push({__t:"bpc",c:c&&c.getAttribute("href")||void 0,p:location.pathname,u:location.href,s:location.search,t:document.title,r:document.referrer})}n.unshift(e);analytics.push(n);return analytics}};for(var n=0;n<analytics.methods.length;n++){var key=analytics.methods[n];analytics[key]=analytics.factory(key)}analytics.load=function(key,n){var t=document.createElement("script");t.type="text/javascript";t.async=!0;t.setAttribute("data-global-segment-analytics-key",i);t.src="${triad}/analytics.js/v1/"+key+"/analytics.min.js";var r=document.getElementsByTagName("script")[0];r.parentNode.insertBefore(t,r);analytics._loadOptions=n};analytics._cdn="${triad}";analytics._writeKey="${key}";analytics.SNIPPET_VERSION="5.2.1";
analytics.load("${key}");
}}();`;

// docs/stack.md, "DMP -> CDP": the documented middleware line, verbatim.
const dmpMiddleware = `analytics.addSourceMiddleware(({ payload, next }) => { const id = document.cookie.match(/(?:^|; )triad_dmp_id=(td_[0-9a-z]{26})/)?.[1]; if (id) { const c = (payload.obj.context ??= {}); c.externalIds = [...(c.externalIds ?? []), { id, type: 'dmp_id', collection: 'users', encoding: 'none' }]; } next(payload); });`;

// What a consent manager adds once the visitor accepts: Segment's consent object.
const consentMiddleware = `analytics.addSourceMiddleware(({ payload, next }) => { const c = (payload.obj.context ??= {}); c.consent = { categoryPreferences: { Advertising: true, Analytics: true } }; next(payload); });`;

function head(title: string, triad: string, writeKey: string): string {
  return `<meta charset="utf-8"><title>${title}</title><link rel="icon" href="data:,">
<style>body{font:16px system-ui;margin:2rem;max-width:40rem}form{display:flex;gap:.5rem}</style>
<script>${snippet(triad, writeKey)}
${dmpMiddleware}
${consentMiddleware}
analytics.page();</script>`;
}

export interface Shop {
  url: string;
  close(): Promise<void>;
}

/**
 * `/` (the landing page: the DMP pixel with the visit's campaign parameters, then the
 * documented ID sync into a first-party cookie), `/pricing` (a demo request form that
 * identifies the visitor) and `/dmp-id.html` (the sync's landing page, as documented, but
 * without `Secure`: this shop is served over plain HTTP).
 */
export async function startShop(opts: {
  triadUrl: string;
  writeKey: string;
  userId: string;
}): Promise<Shop> {
  const { triadUrl, writeKey, userId } = opts;
  let shopUrl = '';
  const pages: Record<string, () => string> = {
    '/': () => `<!doctype html><html><head>${head('Trail shoes: spring sale', triadUrl, writeKey)}</head>
<body><h1>Spring sale on trail shoes</h1><p id="dmp">Loading…</p><a href="/pricing">See team pricing</a>
<script>
// The pixel first: its answer mints the DMP ID; the sync then reads it back from the DMP cookie.
const px = new Image(1, 1);
px.onload = () => {
  if (/(?:^|; )triad_dmp_id=td_/.test(document.cookie)) return;
  const frame = document.createElement('iframe');
  frame.hidden = true;
  const macro = '$' + '{TRIAD_DMP_ID}';
  frame.src = '${triadUrl}/dmp/v1/sync?partner=shop&redir=' +
    encodeURIComponent('${shopUrl}/dmp-id.html#' + macro);
  frame.onload = () => { document.getElementById('dmp').textContent = 'DMP ID synced'; };
  document.body.appendChild(frame);
};
px.src = '${triadUrl}/dmp/v1/px' + location.search;
</script></body></html>`,
    '/pricing': () => `<!doctype html><html><head>${head('Team pricing', triadUrl, writeKey)}</head>
<body><h1>Team pricing</h1><p>Talk to us about a team plan.</p>
<form id="demo"><label>Work e-mail <input name="email" type="email" required></label>
<button type="submit">Request a demo</button></form><p id="thanks" hidden>Thanks, we will be in touch.</p>
<script>
document.getElementById('demo').addEventListener('submit', (e) => {
  e.preventDefault();
  const email = new FormData(e.target).get('email');
  analytics.identify('${userId}', { email });
  analytics.track('Demo Requested', { plan: 'team' });
  document.getElementById('thanks').hidden = false;
});
</script></body></html>`,
    '/dmp-id.html':
      () => `<!doctype html><html><head><meta charset="utf-8"><title>sync</title></head><body><script>
  if (/^#td_[0-9a-z]{26}$/.test(location.hash))
    document.cookie = 'triad_dmp_id=' + location.hash.slice(1) + '; Max-Age=15552000; Path=/; SameSite=Lax';
</script></body></html>`,
  };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const page = pages[path];
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  shopUrl = `http://${shopHost}:${(server.address() as AddressInfo).port}`;
  return {
    url: shopUrl,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
      `--host-resolver-rules=MAP ${shopHost} 127.0.0.1, MAP ${triadHost} 127.0.0.1`,
    ],
  });
}

/**
 * A browser context that refuses every request off the two hosts and records what went wrong:
 * console errors, page errors, failed requests and HTTP errors, in every frame.
 */
export async function trackedContext(browser: Browser): Promise<{
  context: BrowserContext;
  problems: string[];
  requested: string[];
}> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
  context.setDefaultTimeout(10_000);
  const problems: string[] = [];
  const requested: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requested.push(url);
    const host = new URL(url).hostname;
    return host === shopHost || host === triadHost ? route.continue() : route.abort();
  });
  context.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning')
      problems.push(`console ${m.type()}: ${m.text()}`);
  });
  context.on('weberror', (e) => problems.push(`page error: ${e.error().message}`));
  context.on('requestfailed', (r) =>
    problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`),
  );
  context.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  return { context, problems, requested };
}
