import type { Kysely } from 'kysely';
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { DB } from '../../storage/schema.js';
import { type DestinationConfig, defaultSettings } from './destination.js';
import * as repo from './destination.repository.js';
import type { DeliveryRow } from './destination.tables.js';
import { allowListOf, sendSigned } from './egress.js';

export interface DeliveryOptions {
  /** Messages claimed per round. */
  batchSize?: number;
  /** First retry delay; doubles each attempt (full jitter), capped by `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  requestTimeoutMs?: number;
  /** How long a claimed message stays reserved for the claiming process. */
  leaseMs?: number;
  /** Longest sleep between rounds (covers messages queued by other processes). */
  pollMs?: number;
  random?: () => number;
}

export interface DeliveryWorker {
  /** Runs a round soon (new messages were queued). */
  wake(): void;
  /** Runs one round now; resolves with the number of messages attempted. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Backoff before attempt `n + 1` after `n` failed attempts: exponential with full jitter,
 * so a destination coming back from an outage is not hit by every retry at the same instant.
 */
export function backoffMs(
  attempts: number,
  base: number,
  cap: number,
  random: () => number,
): number {
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Whether a response status is worth retrying (server errors, throttling, timeouts). */
export const retryable = (status: number | null) =>
  status === null || status === 408 || status === 429 || status >= 500;

// A refused address will be refused again: retrying only delays the dead letter.
const refused = (error: string | null) => error?.startsWith('egress refused') === true;

class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly rate: number,
    now: number,
  ) {
    this.tokens = Math.max(1, rate);
    this.last = now;
  }
  /** Takes a token, or returns how long to wait for one. */
  take(now: number): number {
    this.tokens = Math.min(
      Math.max(1, this.rate),
      this.tokens + ((now - this.last) / 1000) * this.rate,
    );
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.rate) * 1000);
  }
}

/**
 * The delivery loop over the durable queue (`destination_deliveries`). It claims due messages,
 * sends each with its idempotency key and signature, logs every attempt, and either marks the
 * message delivered, schedules a retry, or moves it to the dead-letter state. Rate limits are
 * per destination and per process. Because the queue is a table, a restart simply resumes.
 */
export function startDeliveryWorker(
  deps: { db: Kysely<DB>; clock: Clock; log?: Logger | undefined },
  opts: DeliveryOptions = {},
): DeliveryWorker {
  const o = {
    batchSize: opts.batchSize ?? 50,
    baseBackoffMs: opts.baseBackoffMs ?? 1000,
    maxBackoffMs: opts.maxBackoffMs ?? 3_600_000,
    requestTimeoutMs: opts.requestTimeoutMs ?? 10_000,
    leaseMs: opts.leaseMs ?? 60_000,
    pollMs: opts.pollMs ?? 1000,
    random: opts.random ?? Math.random,
  };
  const buckets = new Map<string, TokenBucket>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;

  const round = async (): Promise<number> => {
    const now = deps.clock.now();
    const claimed = await repo.claimDue(
      deps.db,
      now.toISOString(),
      new Date(now.getTime() + o.leaseMs).toISOString(),
      o.batchSize,
    );
    if (claimed.length === 0) return 0;
    const [destinations, allowEntries] = await Promise.all([
      deps.db.selectFrom('destinations').selectAll().execute(),
      repo.allowEntries(deps.db),
    ]);
    const byId = new Map(destinations.map((d) => [d.id, repo.configOf(d)]));
    const allow = allowListOf(allowEntries);
    await Promise.all(
      claimed.map(async (delivery) => {
        const destination = byId.get(delivery.destination_id);
        if (!destination) {
          await finish(delivery, null, 'destination was deleted', 0, 'dead');
          return;
        }
        const rate = destination.settings.ratePerSecond ?? defaultSettings.ratePerSecond;
        let bucket = buckets.get(destination.id);
        if (!bucket) {
          bucket = new TokenBucket(rate, Date.now());
          buckets.set(destination.id, bucket);
        }
        const wait = bucket.take(Date.now());
        if (wait > 0) {
          await repo.release(
            deps.db,
            delivery.id,
            new Date(deps.clock.now().getTime() + wait).toISOString(),
          );
          return;
        }
        await attempt(delivery, destination, allow);
      }),
    );
    return claimed.length;
  };

  const attempt = async (
    delivery: DeliveryRow,
    destination: DestinationConfig,
    allow: ReturnType<typeof allowListOf>,
  ) => {
    const result = await sendSigned(destination.url, delivery.payload, {
      secret: destination.secret,
      idempotencyKey: delivery.message_id,
      allow,
      timeoutMs: o.requestTimeoutMs,
      now: deps.clock.now(),
    });
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    const attempts = delivery.attempts + 1;
    const maxAttempts = destination.settings.maxAttempts ?? defaultSettings.maxAttempts;
    const outcome = ok
      ? 'delivered'
      : retryable(result.status) && !refused(result.error) && attempts < maxAttempts
        ? 'pending'
        : 'dead';
    await finish(delivery, result.status, result.error, result.latencyMs, outcome);
  };

  const finish = async (
    delivery: DeliveryRow,
    status: number | null,
    error: string | null,
    latencyMs: number,
    outcome: 'delivered' | 'pending' | 'dead',
  ) => {
    const now = deps.clock.now();
    const delay =
      outcome === 'pending'
        ? backoffMs(delivery.attempts + 1, o.baseBackoffMs, o.maxBackoffMs, o.random)
        : 0;
    await repo.recordAttempt(deps.db, delivery, {
      at: now.toISOString(),
      status,
      error,
      latencyMs,
      next: { status: outcome, nextAttemptAt: new Date(now.getTime() + delay).toISOString() },
    });
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(loop, Math.max(0, ms));
    // Background work never keeps a process (or a test run) alive on its own.
    timer.unref();
  };

  const loop = async () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    let delay = o.pollMs;
    try {
      running = round();
      const n = await running;
      if (n > 0) delay = 0;
      else {
        const next = await repo.nextDue(deps.db);
        if (next) delay = Math.min(o.pollMs, Date.parse(next) - deps.clock.now().getTime());
      }
    } catch (error) {
      if (isClosed(error)) {
        stopped = true;
        return;
      }
      deps.log?.error({ err: error }, 'destination delivery round failed');
    } finally {
      running = undefined;
    }
    schedule(again ? 0 : delay);
    again = false;
  };

  schedule(0);
  return {
    wake: () => schedule(0),
    runOnce: async () => {
      while (running) await running.catch(() => 0);
      return round();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => 0);
    },
  };
}

/** The store was closed under a background loop (process shutting down): stop quietly. */
export function isClosed(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /destroyed|not open|pool after calling end|Cannot use a pool/i.test(message);
}
