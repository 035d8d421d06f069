import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/kernel/clock.js';
import type { EventLog, LogRecord } from '../../src/log/event-log.js';
import { openTableLog } from '../../src/log/table-log.js';
import { enginesUnderTest, type TestStore } from '../helpers/stores.js';

function record(messageId: string, overrides: Partial<LogRecord> = {}): LogRecord {
  return {
    sourceId: 'src_a',
    messageId,
    type: 'track',
    event: 'Order Completed',
    userId: 'u1',
    anonymousId: null,
    timestamp: '2026-01-01T00:00:00.000Z',
    receivedAt: '2026-01-01T00:00:01.000Z',
    payload: JSON.stringify({ messageId }),
    ...overrides,
  };
}

// One contract, every engine: the embedded adapter and the PostgreSQL one must agree.
describe.each(enginesUnderTest())('event log contract on $name', (engine) => {
  let current: TestStore | undefined;
  let log: EventLog;
  afterEach(async () => {
    await log?.close();
    await current?.destroy();
    current = undefined;
  });
  const open = async () => {
    current = await engine.open();
    log = openTableLog(current.store, manualClock());
    return log;
  };

  it('appends in order and reads back after a position', async () => {
    await open();
    expect(await log.append([record('m1'), record('m2')])).toEqual({ appended: 2, duplicates: [] });
    expect(await log.append([record('m3')])).toEqual({ appended: 1, duplicates: [] });
    const all = await log.read(0, 10);
    expect(all.map((r) => r.messageId)).toEqual(['m1', 'm2', 'm3']);
    expect(all[0]).toMatchObject(record('m1'));
    const seqs = all.map((r) => r.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect((await log.read(seqs[1] as number, 10)).map((r) => r.messageId)).toEqual(['m3']);
    expect(await log.read(0, 2)).toHaveLength(2);
  });

  it('lands a retried message once, per source, including repeats inside one append', async () => {
    await open();
    await log.append([record('m1')]);
    expect(await log.append([record('m1'), record('m2')])).toEqual({
      appended: 1,
      duplicates: ['m1'],
    });
    expect(await log.append([record('m3'), record('m3')])).toEqual({
      appended: 1,
      duplicates: ['m3'],
    });
    expect(await log.append([record('m1', { sourceId: 'src_b' })])).toEqual({
      appended: 1,
      duplicates: [],
    });
    expect(await log.read(0, 100)).toHaveLength(4);
  });

  it('keeps every one of many concurrent appends', async () => {
    await open();
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        log.append(Array.from({ length: 20 }, (_, j) => record(`c${i}-${j}`))),
      ),
    );
    expect(outcomes.reduce((n, o) => n + o.appended, 0)).toBe(1000);
    const stored = await log.read(0, 2000);
    expect(new Set(stored.map((r) => r.messageId)).size).toBe(1000);
    expect(log.pending()).toBe(0);
  });

  it('tells subscribers after each durable append, until they unsubscribe', async () => {
    await open();
    let calls = 0;
    const unsubscribe = log.subscribe(() => {
      calls++;
    });
    await log.append([record('s1')]);
    expect(calls).toBeGreaterThanOrEqual(1);
    unsubscribe();
    const before = calls;
    await log.append([record('s2')]);
    expect(calls).toBe(before);
  });

  it('remembers each consumer offset', async () => {
    await open();
    expect(await log.offset('identity')).toBe(0);
    await log.commitOffset('identity', 42);
    await log.commitOffset('identity', 43);
    await log.commitOffset('audiences', 7);
    expect(await log.offset('identity')).toBe(43);
    expect(await log.offset('audiences')).toBe(7);
  });
});
