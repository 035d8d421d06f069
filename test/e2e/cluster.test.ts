import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../..');
const bin = join(repoRoot, 'bin/triad.js');
const adminToken = 'cluster-admin-token-0123456789';
const dataDir = mkdtempSync(join(tmpdir(), 'triad-cluster-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function startClustered(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, 'start', '--workers', '2'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      TRIAD_LOG_LEVEL: 'warn',
      TRIAD_DATA_DIR: dataDir,
      TRIAD_ADMIN_TOKEN: adminToken,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((ok, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = output.match(/Triad is running at (http:\/\/[\d.:]+)/)?.[1];
      if (url) ok({ child, url });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => fail(new Error(`exited early with ${code}:\n${output}`)));
  });
}

/** One request on a fresh connection, so the kernel spreads them over the workers. */
function postOnNewConnection(url: string, path: string, body: string, auth: string) {
  return new Promise<number>((ok, fail) => {
    const target = new URL(path, url);
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          authorization: auth,
          connection: 'close',
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
}

describe('triad start --workers 2', () => {
  it('serves from several processes, relays the live debugger between them, and stops cleanly', async () => {
    const { child, url } = await startClustered();
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
      const created = await fetch(`${url}/api/v1/sources`, {
        method: 'POST',
        headers,
        body: '{"name":"clustered"}',
      });
      const source = (await created.json()) as { id: string; writeKey: string };

      // A viewer on one worker; events sent over many connections land on both workers.
      const viewer = new AbortController();
      const live = await fetch(`${url}/api/v1/sources/${source.id}/live`, {
        headers,
        signal: viewer.signal,
      });
      const reader = (live.body as ReadableStream<Uint8Array>).getReader();
      let seen = '';
      const reading = (async () => {
        const decoder = new TextDecoder();
        for (;;) {
          const { value, done } = await reader
            .read()
            .catch(() => ({ value: undefined, done: true }));
          if (done) return;
          seen += decoder.decode(value);
        }
      })();
      // The watch must reach the other worker through the primary before events flow.
      await new Promise((r) => setTimeout(r, 500));

      const basic = `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}`;
      const ids = Array.from({ length: 24 }, (_, i) => `cluster-${i}`);
      const statuses = await Promise.all(
        ids.map((messageId) =>
          postOnNewConnection(
            url,
            '/v1/track',
            JSON.stringify({ messageId, userId: 'u1', event: 'Clustered' }),
            basic,
          ),
        ),
      );
      expect(statuses.every((s) => s === 200)).toBe(true);

      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && !ids.every((id) => seen.includes(`"${id}"`))) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(ids.filter((id) => !seen.includes(`"messageId":"${id}"`))).toEqual([]);
      viewer.abort();
      await reading;

      const listed = await fetch(`${url}/api/v1/events?sourceId=${source.id}&limit=100`, {
        headers,
      });
      const events = (await listed.json()) as { data: { messageId: string }[] };
      expect(events.data.map((e) => e.messageId).sort()).toEqual([...ids].sort());
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 90_000);
});
