import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { endpointFromPath } from './endpoints.js';
import { isPlainObject } from './json.js';
import { normalizeBody } from './normalize.js';
import { EVENT_TYPES } from './types.js';

/**
 * Feeds every request the official SDKs really sent (captured from unmodified clients) through
 * the pipeline. The captures live outside the repository, next to it.
 */
const repoRoot = new URL('../../../../', import.meta.url);
const wireDir = fileURLToPath(new URL('../shared/data/wire/', repoRoot));
const available = existsSync(wireDir);
if (!available) {
  console.warn(`SKIPPING wire-capture tests: ${wireDir} does not exist`);
}

interface Capture {
  file: string;
  folder: string;
  url: string;
  body: Record<string, unknown>;
}

function loadCaptures(): Capture[] {
  const captures: Capture[] = [];
  for (const folder of readdirSync(wireDir).sort()) {
    const dir = `${wireDir}${folder}`;
    if (!existsSync(dir) || folder.endsWith('.md')) continue;
    for (const name of readdirSync(dir).sort()) {
      if (!/^req-\d+\.json$/.test(name)) continue;
      const parsed: unknown = JSON.parse(readFileSync(`${dir}/${name}`, 'utf8'));
      if (!isPlainObject(parsed) || parsed.method !== 'POST' || !isPlainObject(parsed.json))
        continue;
      captures.push({
        file: `${folder}/${name}`,
        folder,
        url: String(parsed.url),
        body: parsed.json,
      });
    }
  }
  return captures;
}

function messagesOf(capture: Capture): Record<string, unknown>[] {
  const batch = capture.body.batch;
  const items = Array.isArray(batch) ? batch : [capture.body];
  return items.filter(isPlainObject);
}

function text(value: unknown): string {
  if (typeof value !== 'string') throw new Error(`expected a string, got ${typeof value}`);
  return value;
}

describe.skipIf(!available)('real SDK captures', () => {
  const captures = available ? loadCaptures() : [];

  it('has captures from every client', () => {
    const folders = new Set(captures.map((c) => c.folder));
    for (const folder of [
      'segment-node-ok',
      'segment-node-fail500x2',
      'segment-node-r429',
      'rudder-node-gzip',
      'rudder-node-fail500x2',
      'analytics-next-chromium',
      'analytics-next-jsdom-batching',
    ]) {
      expect(folders).toContain(folder);
    }
    expect(captures.reduce((n, c) => n + messagesOf(c).length, 0)).toBeGreaterThan(30);
  });

  it.each(captures.map((c) => [c.file, c] as const))(
    '%s: every message accepted, IDs kept, times corrected',
    (_file, capture) => {
      const kind = endpointFromPath(capture.url);
      expect(kind).not.toBeNull();
      const messages = messagesOf(capture);
      const bodySentAt = capture.body.sentAt;
      const sentAtOf = (m: Record<string, unknown>) => Date.parse(text(m.sentAt ?? bodySentAt));
      // The server clock runs 250 ms after the latest client sentAt, on a different clock.
      const receivedAt = new Date(Math.max(...messages.map(sentAtOf)) + 250);

      const { events, rejections } = normalizeBody(capture.body, {
        endpointType: kind === 'batch' || kind === null ? undefined : kind,
        receivedAt,
        connectionIp: '127.0.0.1',
      });

      expect(rejections).toEqual([]);
      expect(events).toHaveLength(messages.length);
      messages.forEach((message, i) => {
        const event = events[i];
        if (!event) throw new Error(`no event for message ${i}`);
        const expectedType = kind === 'batch' ? message.type : kind;
        expect(event.type).toBe(expectedType);
        expect(event.type).toBe(message.type);
        expect(event.messageId).toBe(message.messageId);
        const original = Date.parse(text(message.originalTimestamp ?? message.timestamp));
        const expected = receivedAt.getTime() - (sentAtOf(message) - original);
        expect(event.timestamp).toBe(new Date(expected).toISOString());
        expect(event.originalTimestamp).toBe(new Date(original).toISOString());
        expect(event.receivedAt).toBe(receivedAt.toISOString());
      });
    },
  );

  it.each([
    'segment-node-ok',
    'rudder-node-gzip',
    'analytics-next-chromium',
    'analytics-next-jsdom-batching',
  ])('%s covers all five message types the run sent', (folder) => {
    const types = new Set(
      captures.filter((c) => c.folder === folder).flatMap((c) => messagesOf(c).map((m) => m.type)),
    );
    expect([...types].sort()).toEqual(EVENT_TYPES.filter((t) => t !== 'screen').sort());
  });

  it('browser events are enriched without losing what analytics.js sent', () => {
    const capture = captures.find((c) => c.file === 'analytics-next-chromium/req-004.json');
    if (!capture) throw new Error('missing capture');
    const { events } = normalizeBody(capture.body, {
      endpointType: 'identify',
      receivedAt: new Date('2026-11-28T23:03:00.000Z'),
      connectionIp: '127.0.0.1',
    });
    expect(events[0]?.context).toMatchObject({
      campaign: { source: 'newsletter' },
      userAgentData: { platform: 'Linux' },
      userAgentParsed: { browser: { name: 'Chrome Headless' }, os: { name: 'Linux' } },
      ip: '127.0.0.1',
    });
  });

  it('retries of the same batch keep their messageIds', () => {
    const retries = captures.filter((c) => c.folder === 'segment-node-fail500x2');
    expect(retries.length).toBeGreaterThan(1);
    const ids = retries.map((c) =>
      normalizeBody(c.body, { receivedAt: new Date('2026-11-29T00:00:00Z') }).events.map(
        (e) => e.messageId,
      ),
    );
    for (const later of ids.slice(1)) expect(later).toEqual(ids[0]);
  });
});
