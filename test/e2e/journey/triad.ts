import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../../../..');
const bin = join(root, 'bin/triad.js');

export interface TriadProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** SIGTERM, then the exit code (0 for a clean stop). */
  stop(): Promise<number | null>;
}

/** `triad start --role <role>` on `dataDir`, resolved once it announces its URL. */
export function startRole(
  role: 'all' | 'api' | 'worker',
  env: { dataDir: string; adminToken: string },
): Promise<TriadProcess> {
  const child = spawn(process.execPath, [bin, 'start', '--role', role], {
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      TRIAD_LOG_LEVEL: 'warn',
      TRIAD_DATA_DIR: env.dataDir,
      TRIAD_ADMIN_TOKEN: env.adminToken,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((ok, fail) => {
    // Generous: on a loaded machine, transpiling the sources on start takes most of it.
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      fail(new Error(`${role}: no URL within 120 s:\n${output}`));
    }, 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = output.match(/Triad is running at (http:\/\/[\d.:]+)/)?.[1];
      if (!url) return;
      clearTimeout(timer);
      ok({
        child,
        url,
        output: () => output,
        stop: () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${role} exited early with ${code}:\n${output}`));
    });
  });
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** JSON over HTTP with the admin token; bodies that are strings are sent as they are. */
export function apiClient(baseUrl: string, token: string) {
  return async <T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<Answer<T>> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = contentType;
    const response = await fetch(baseUrl + path, {
      method,
      headers,
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (a GIF, a redirect): the text is kept
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  };
}

/**
 * Calls `probe` until it answers something other than undefined, or fails after `ms` with the
 * last answer in the message: every wait of the journey is a poll with a deadline.
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 30_000,
  everyMs = 150,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
