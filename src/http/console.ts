import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sessionCookie } from './auth.js';
import { toAppError } from './problem.js';
import { publicAccess } from './route.js';

export interface ConsoleOptions {
  /** The built console (Vite's output); tests point it elsewhere to see the missing case. */
  distDir?: string;
}

const defaultDistDir = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/**
 * Paths the console must never answer with its HTML: an API client that mistypes a path gets
 * the API's problem+json 404, not a 200 page it cannot parse.
 */
const apiRoots = [
  '/api',
  '/v1',
  '/crm',
  '/dmp',
  '/docs',
  '/openapi.json',
  '/metrics',
  '/healthz',
  '/readyz',
  '/analytics.js',
];

export function isApiPath(path: string): boolean {
  return apiRoots.some((root) => path === root || path.startsWith(`${root}/`));
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * The console's HTML is a shell that loads hashed bundles: the shell must be revalidated on
 * every load (so a new release is picked up at once), the bundles never change under their
 * name and are cached for a year.
 */
const immutableCache = 'public, max-age=31536000, immutable';

// Only our own scripts run; inline styles are allowed because the chart library sets them.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const buildingPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="3">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Triad console</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3rem auto; max-width: 36rem; padding: 0 1rem">
<h1>The Triad console is being built</h1>
<p>This page reloads by itself in a few seconds. The API is already serving:
<a href="/docs">API reference</a>, <a href="/healthz">health</a>.</p>
</body></html>
`;

/**
 * Serves the web console (web/dist, built by scripts/build-console.mjs) from the same origin as
 * the API, with a fallback to index.html for the console's own client-side paths.
 */
export async function installConsole(
  app: FastifyInstance,
  opts: ConsoleOptions = {},
): Promise<void> {
  const distDir = resolve(opts.distDir ?? defaultDistDir);
  const shell = indexLoader(distDir);

  const serve = async (request: FastifyRequest, reply: FastifyReply, signedIn: boolean) => {
    const path = requestPath(request.url);
    if (path === undefined || isApiPath(path)) return reply.callNotFound();
    const isAsset = extname(path) !== '';
    // Client-side paths fall back to the shell for browser navigations only (they ask for
    // HTML); a script or probe calling a path nobody serves still gets the API's 404.
    if (!isAsset && path !== '/' && !acceptsHtml(request)) return reply.callNotFound();
    const html = await shell();
    if (html === undefined) {
      if (isAsset) return reply.callNotFound();
      // The build runs beside the server on a fresh start; the API must not wait for it.
      return reply
        .code(503)
        .header('retry-after', '3')
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(buildingPage);
    }
    if (isAsset) return sendAsset(request, reply, distDir, path);
    // A client-side path: the shell, told whether a session is present so that a signed-out
    // visitor sees the login form without a refused request first.
    return reply
      .header('cache-control', 'no-cache')
      .header('content-security-policy', contentSecurityPolicy)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .type('text/html; charset=utf-8')
      .send(html.replace('content="unknown"', `content="${signedIn ? 'active' : 'none'}"`));
  };

  app.route({
    method: 'GET',
    url: '/*',
    config: { access: publicAccess },
    schema: { hide: true },
    handler: (request, reply) => serve(request, reply, request.principal?.kind === 'user'),
    // The app authenticates every request before routing it here. A session cookie that the
    // server no longer knows (logged out elsewhere, expired, a reset database) would make every
    // page a 401; for the console's own paths the stale cookie is dropped and the page served,
    // so the visitor lands on the login form. Anything else goes to the app's error handler.
    errorHandler: (error: FastifyError, request, reply) => {
      const path = requestPath(request.url);
      const staleSession =
        toAppError(error).code === 'unauthorized' &&
        request.headers.authorization === undefined &&
        request.cookies[sessionCookie] !== undefined;
      if (!staleSession || path === undefined || isApiPath(path)) throw error;
      reply.clearCookie(sessionCookie, { path: '/', httpOnly: true, sameSite: 'strict' });
      return serve(request, reply, false);
    },
  });
}

function acceptsHtml(request: FastifyRequest): boolean {
  return String(request.headers.accept ?? '').includes('text/html');
}

/** index.html, re-read when the build replaces it, or undefined while there is none. */
function indexLoader(distDir: string): () => Promise<string | undefined> {
  let cached: { mtimeMs: number; html: string } | undefined;
  const file = resolve(distDir, 'index.html');
  return async () => {
    try {
      const info = await stat(file);
      if (cached?.mtimeMs !== info.mtimeMs) {
        cached = { mtimeMs: info.mtimeMs, html: await readFile(file, 'utf8') };
      }
      return cached.html;
    } catch {
      cached = undefined;
      return undefined;
    }
  };
}

async function sendAsset(
  request: FastifyRequest,
  reply: FastifyReply,
  distDir: string,
  path: string,
) {
  const file = resolve(distDir, `.${path}`);
  // Never outside the build folder, never a dotfile (decoded `..` and `/.x` both land here).
  if (!file.startsWith(distDir + sep) || path.includes('/.')) return reply.callNotFound();
  const size = await fileSize(file);
  if (size === undefined) return reply.callNotFound();
  const hashed = path.startsWith('/assets/');
  reply
    .header('cache-control', hashed ? immutableCache : 'no-cache')
    .header('x-content-type-options', 'nosniff')
    .type(contentTypes[extname(path)] ?? 'application/octet-stream');
  // The build writes .br and .gz beside each bundle, so nothing is compressed per request.
  if (hashed) {
    reply.header('vary', 'accept-encoding');
    const accepted = String(request.headers['accept-encoding'] ?? '');
    for (const [encoding, suffix] of [
      ['br', '.br'],
      ['gzip', '.gz'],
    ] as const) {
      if (!accepted.includes(encoding)) continue;
      const compressedSize = await fileSize(file + suffix);
      if (compressedSize === undefined) continue;
      return reply
        .header('content-encoding', encoding)
        .header('content-length', compressedSize)
        .send(createReadStream(file + suffix));
    }
  }
  return reply.header('content-length', size).send(createReadStream(file));
}

async function fileSize(file: string): Promise<number | undefined> {
  try {
    const info = await stat(file);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

/** The decoded path of a request URL; undefined when it cannot be decoded safely. */
function requestPath(url: string): string | undefined {
  const q = url.indexOf('?');
  try {
    const path = decodeURIComponent(q === -1 ? url : url.slice(0, q));
    return path.includes('\0') ? undefined : path;
  } catch {
    return undefined;
  }
}
