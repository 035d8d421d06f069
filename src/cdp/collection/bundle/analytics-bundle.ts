import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** A file of the analytics.js build, read once and kept in memory (the whole set is < 1 MB). */
export interface BundleFile {
  body: Buffer;
  /** The prebuilt gzip copy shipped beside it, when there is one. */
  gzip: Buffer | undefined;
}

export interface AnalyticsBundle {
  version: string;
  standalone: BundleFile;
  /** Chunks the standalone file loads on demand, by file name (`<name>.bundle.<hash>.js`). */
  chunks: ReadonlyMap<string, BundleFile>;
}

// Webpack names each chunk `<name>.bundle.<content hash>.js`; only such names are served.
const chunkName = /^[A-Za-z0-9_-]+\.bundle\.[0-9a-f]{8,}\.js$/;

let loaded: AnalyticsBundle | undefined;

/**
 * The `@segment/analytics-next` UMD build installed with Triad: `standalone.js` is what the
 * analytics.js snippet loads; it then fetches chunks from `${analytics._cdn}/analytics-next/bundles/`.
 * Read lazily, once per process, from the installed package so the version always matches.
 */
export function analyticsBundle(): AnalyticsBundle {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@segment/analytics-next/package.json');
  const dir = join(dirname(packageJson), 'dist', 'umd');
  const read = (name: string): BundleFile => ({
    body: readFileSync(join(dir, name)),
    gzip: readOptional(join(dir, `${name}.gz`)),
  });
  const chunks = new Map<string, BundleFile>();
  for (const name of readdirSync(dir)) {
    if (chunkName.test(name)) chunks.set(name, read(name));
  }
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  loaded = { version, standalone: read('standalone.js'), chunks };
  return loaded;
}

function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** The response for one file: gzip when the client takes it and a copy exists. */
export function bundleResponse(
  file: BundleFile,
  acceptEncoding: string | string[] | undefined,
  cacheControl: string,
): { headers: Record<string, string>; body: Buffer } {
  const gzip = file.gzip && /\bgzip\b/.test(String(acceptEncoding ?? '')) ? file.gzip : undefined;
  return {
    headers: {
      'content-type': 'application/javascript; charset=utf-8',
      'cache-control': cacheControl,
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    },
    body: gzip ?? file.body,
  };
}
