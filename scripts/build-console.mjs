// Builds the web console (web/ -> web/dist) when it is missing or older than its sources.
//
//   node scripts/build-console.mjs               build if needed, waiting for a build under way
//   node scripts/build-console.mjs --background  build if needed in a detached process that
//                                                waits for the server to listen; exits at once
//                                                (npm start: the server must not wait)
//   node scripts/build-console.mjs --force       build even if web/dist looks current
//
// The output is written to a scratch folder and swapped into web/dist in one rename, so the
// server never serves half a build. A lock file keeps concurrent starts and test files from
// building twice.
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const webDir = join(root, 'web');
const distDir = join(webDir, 'dist');
const cacheDir = join(root, 'node_modules', '.cache', 'triad-console');
const lockFile = join(cacheDir, 'build.lock');
const logFile = join(cacheDir, 'build.log');

/** Newest modification time of the console's sources (everything in web/ but its output). */
function newestSource(dir = webDir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function consoleIsCurrent() {
  const index = join(distDir, 'index.html');
  if (!existsSync(index)) return false;
  return statSync(index).mtimeMs >= newestSource();
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Takes the build lock; false when a live process holds it. A dead holder's lock is taken over. */
function tryLock() {
  mkdirSync(cacheDir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockFile, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) return false;
      rmSync(lockFile, { force: true });
    }
  }
  return false;
}

function unlock() {
  try {
    if (Number(readFileSync(lockFile, 'utf8')) === process.pid) unlinkSync(lockFile);
  } catch {
    // Already gone: nothing to release.
  }
}

async function waitForUnlock() {
  while (existsSync(lockFile)) {
    const holder = Number(readFileSync(lockFile, 'utf8'));
    if (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder)) return;
    await new Promise((done) => setTimeout(done, 200));
  }
}

function compressAssets(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      compressAssets(path);
    } else if (/\.(js|css|svg|json)$/.test(entry.name)) {
      const bytes = readFileSync(path);
      writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
      writeFileSync(
        `${path}.br`,
        brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
      );
    }
  }
}

async function buildNow() {
  const started = Date.now();
  const scratch = join(cacheDir, `dist-${process.pid}`);
  // Callers may run under NODE_ENV=test (the test runner) or development; either would give
  // React's development build, several times larger and slower.
  process.env.NODE_ENV = 'production';
  const { build } = await import('vite');
  await build({
    root: webDir,
    mode: 'production',
    configFile: join(webDir, 'vite.config.ts'),
    // Loads the config without writing a temporary bundle next to it in web/.
    configLoader: 'runner',
    logLevel: 'warn',
    build: { outDir: scratch, emptyOutDir: true },
  });
  compressAssets(join(scratch, 'assets'));
  // Stamped with the time the build began: a source edited during the build stays newer.
  const stamp = new Date(started);
  utimesSync(join(scratch, 'index.html'), stamp, stamp);
  const old = join(cacheDir, `old-${process.pid}`);
  if (existsSync(distDir)) renameSync(distDir, old);
  renameSync(scratch, distDir);
  rmSync(old, { recursive: true, force: true });
  return Date.now() - started;
}

/** Builds the console unless it is current; waits for a build another process is running. */
export async function ensureConsoleBuilt({ force = false } = {}) {
  for (;;) {
    if (!force && consoleIsCurrent()) return { built: false };
    if (tryLock()) break;
    await waitForUnlock();
  }
  try {
    if (!force && consoleIsCurrent()) return { built: false };
    return { built: true, ms: await buildNow() };
  } finally {
    unlock();
  }
}

/**
 * Waits (up to 20 s) until the server that `npm start` is starting answers /healthz, so the
 * build never competes with its start-up for the CPU. PORT and HOST are the server's own
 * settings, inherited from the same `npm start`.
 */
async function serverListening() {
  const port = process.env.PORT || '8080';
  const host = !process.env.HOST || process.env.HOST === '0.0.0.0' ? '127.0.0.1' : process.env.HOST;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/healthz`;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(500) })).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}

function buildInBackground() {
  if (consoleIsCurrent()) return;
  mkdirSync(cacheDir, { recursive: true });
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--after-listen'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', log, log],
  });
  // Should the server be slow to listen, it still gets the CPU first.
  if (child.pid !== undefined) {
    try {
      setPriority(child.pid, 10);
    } catch {
      // Not permitted here: the build simply competes at normal priority.
    }
  }
  child.unref();
  closeSync(log);
  process.stdout.write(`triad: building the web console in the background (log: ${logFile})\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args.includes('--background')) {
    buildInBackground();
  } else {
    try {
      if (args.includes('--after-listen')) await serverListening();
      const result = await ensureConsoleBuilt({ force: args.includes('--force') });
      process.stdout.write(
        result.built ? `console built in ${result.ms} ms\n` : 'console is up to date\n',
      );
    } catch (error) {
      process.stderr.write(
        `console build failed: ${error instanceof Error ? error.stack : error}\n`,
      );
      process.exitCode = 1;
    }
  }
}
