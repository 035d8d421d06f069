import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../../..');

/** Starts `triad start` as its own process (embedded SQLite in `dataDir`) and waits for its URL. */
export function startTriad(
  dataDir: string,
  adminToken: string,
  args: string[] = [],
): Promise<{ child: ChildProcess; url: string }> {
  // BENCH_NODE_FLAGS (e.g. `--cpu-prof`) lets a profile of the server be taken during a run.
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...flags, join(root, 'bin/triad.js'), 'start', ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      TRIAD_DATA_DIR: dataDir,
      TRIAD_ADMIN_TOKEN: adminToken,
      TRIAD_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = out.match(/running at (http:\/\/[\d.:]+)/)?.[1];
      if (url) ok({ child, url });
    });
    child.on('exit', (code) => fail(new Error(`triad exited with ${code}`)));
  });
}

/**
 * A keep-alive client posting `/v1/batch` bodies with a write key, as an SDK would; resolves
 * with the status code once the response has been read.
 */
export function batchPoster(connections: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const post = (url: URL, body: string, writeKey: string): Promise<number> =>
    new Promise((ok, fail) => {
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: '/v1/batch',
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => ok(res.statusCode ?? 0));
        },
      );
      req.on('error', fail);
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}
