import type { Logger } from '../kernel/logger.js';
import type { EventLog, LoggedRecord } from './event-log.js';

/**
 * A reader of the event log. `process` must be idempotent — after a crash a batch may be
 * delivered again — and must persist how far it got (`log.commitOffset`), ideally in the
 * same transaction as its own writes so a batch is applied exactly once.
 */
export interface LogConsumer {
  name: string;
  process(records: LoggedRecord[]): Promise<void>;
  /**
   * Re-applies records that may have been processed before (a self-serve replay), without
   * moving the consumer's offset. Must be idempotent like `process`.
   */
  replay(records: LoggedRecord[]): Promise<void>;
}

export interface RunningConsumer {
  /** Resolves once everything appended so far has been processed. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

// Small batches keep each consumer transaction short: on the embedded engine it holds the one
// connection, and collection's commits (which acknowledge SDK requests) wait for it.
const batchSize = 100;
// Appends in this process wake the consumer at once; the poll only covers appends made by
// other processes sharing the store.
const pollIntervalMs = 250;
const retryDelayMs = 1000;

/** Runs a consumer from its committed offset until stopped, waking on every append. */
export async function startConsumer(
  log: EventLog,
  consumer: LogConsumer,
  logger: Logger,
): Promise<RunningConsumer> {
  let position = await log.offset(consumer.name);
  let stopped = false;
  let wake: () => void = () => {};
  // A drain is satisfied by the first short read that *started* after the drain was asked for.
  let reads = 0;
  let drains: { after: number; resolve: () => void }[] = [];

  const unsubscribe = log.subscribe(() => wake());

  const loop = (async () => {
    while (!stopped) {
      let records: LoggedRecord[] = [];
      const thisRead = ++reads;
      try {
        records = await log.read(position, batchSize);
        if (records.length > 0) {
          await consumer.process(records);
          position = (records.at(-1) as LoggedRecord).seq;
        }
      } catch (error) {
        logger.error(
          { err: error, consumer: consumer.name, position },
          'log consumer failed; retrying',
        );
        await sleep(retryDelayMs, () => stopped);
        continue;
      }
      if (records.length === batchSize) {
        // Let requests and commits waiting on the event loop run between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
      } else {
        const done = drains.filter((d) => d.after < thisRead);
        drains = drains.filter((d) => d.after >= thisRead);
        for (const d of done) d.resolve();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  })();

  return {
    drain: () =>
      new Promise<void>((resolve) => {
        drains.push({ after: reads, resolve });
        wake();
      }),
    async stop() {
      stopped = true;
      unsubscribe();
      wake();
      await loop;
      for (const d of drains) d.resolve();
    },
  };
}

function sleep(ms: number, cancelled: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (cancelled()) {
      clearTimeout(timer);
      resolve();
    }
  });
}
