import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineRoute, publicAccess } from '../../src/http/route.js';
import { createTestApp } from '../helpers/app.js';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../..');
const bin = join(repoRoot, 'bin/triad.js');

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
  startedInMs: number;
}

/** Starts `triad start` as a real process and waits for the line announcing its URL. */
function startTriad(env: Record<string, string>, args: string[] = []): Promise<Running> {
  const began = Date.now();
  const child = spawn(process.execPath, [bin, 'start', ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      TRIAD_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 10 s:\n${output}`)), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/Triad is running at (http:\/\/[\d.:]+)/);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise({
          child,
          url: match[1],
          output: () => output,
          startedInMs: Date.now() - began,
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`triad exited early with ${code}:\n${output}`));
    });
  });
}

function exitOf(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
}

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'triad-e2e-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('triad start as a real process', () => {
  const adminToken = 'e2e-admin-token-0123456789';

  it('serves /healthz within 10 s, keeps acknowledged writes across SIGKILL, and stops cleanly on SIGTERM', async () => {
    const first = await startTriad({ TRIAD_DATA_DIR: dataDir, TRIAD_ADMIN_TOKEN: adminToken });
    const health = await fetch(`${first.url}/healthz`);
    expect(health.status).toBe(200);
    expect(first.startedInMs).toBeLessThan(10_000);

    const names: string[] = [];
    for (let i = 0; i < 20; i++) {
      const response = await fetch(`${first.url}/api/v1/sources`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `source ${i}` }),
      });
      expect(response.status).toBe(201);
      names.push(`source ${i}`);
    }
    const killed = exitOf(first.child);
    first.child.kill('SIGKILL');
    expect((await killed).signal).toBe('SIGKILL');

    const second = await startTriad({ TRIAD_DATA_DIR: dataDir, TRIAD_ADMIN_TOKEN: adminToken });
    const list = await fetch(`${second.url}/api/v1/sources?limit=200`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    const stored = ((await list.json()) as { data: { name: string }[] }).data
      .map((s) => s.name)
      .sort();
    expect(stored).toEqual([...names].sort());

    const stopped = exitOf(second.child);
    second.child.kill('SIGTERM');
    expect(await stopped).toEqual({ code: 0, signal: null });
  });

  it('prints a generated admin token on the first start only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'triad-e2e-boot-'));
    try {
      const first = await startTriad({ TRIAD_DATA_DIR: dir });
      await new Promise((r) => setTimeout(r, 100));
      const token = first
        .output()
        .match(/Admin API token \(shown once; only its hash is stored\): (triad_\S+)/)?.[1];
      expect(token).toBeDefined();
      const me = await fetch(`${first.url}/api/v1/session`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(((await me.json()) as { role: string }).role).toBe('admin');
      const stopped = exitOf(first.child);
      first.child.kill('SIGTERM');
      await stopped;

      const second = await startTriad({ TRIAD_DATA_DIR: dir });
      await new Promise((r) => setTimeout(r, 100));
      expect(second.output()).not.toContain('Admin API token');
      const stoppedAgain = exitOf(second.child);
      second.child.kill('SIGTERM');
      await stoppedAgain;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('process roles', () => {
  it('a worker process runs the consumers and answers only the operator endpoints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'triad-e2e-worker-'));
    try {
      const worker = await startTriad(
        { TRIAD_DATA_DIR: dir, TRIAD_ADMIN_TOKEN: 'worker-admin-token-0123456789' },
        ['--role', 'worker'],
      );
      expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${worker.url}/readyz`)).status).toBe(200);
      const api = await fetch(`${worker.url}/api/v1/sources`, {
        headers: { authorization: 'Bearer worker-admin-token-0123456789' },
      });
      expect(api.status).toBe(404);
      const stopped = exitOf(worker.child);
      worker.child.kill('SIGTERM');
      expect((await stopped).code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes a request in flight when the server is closed', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const t = await createTestApp({
      extraRoutes: [
        defineRoute({
          method: 'GET',
          url: '/test/slow',
          summary: 'waits for the test',
          tags: ['test'],
          access: publicAccess,
          schema: { response: { 200: Type.Object({ done: Type.Boolean() }) } },
          handler: async () => {
            await gate;
            return { body: { done: true } };
          },
        }),
      ],
    });
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const inFlight = fetch(`${address}/test/slow`);
    await new Promise((r) => setTimeout(r, 100));
    const closing = t.app.close();
    await new Promise((r) => setTimeout(r, 50));
    release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ done: true });
    await closing;
    await t.testStore.destroy();
  });
});
