import { PassThrough } from 'node:stream';
import type { EventLog } from '../../../log/event-log.js';

/** Receives preformatted Server-Sent Events frames; must never block or throw. */
export type LiveSink = (frame: string) => void;

/**
 * In-process fan-out of what a source receives, for the live debugger. Publishing is a
 * synchronous loop over the source's subscribers, each of which only queues a string, so a
 * slow or stuck viewer can never hold up collection.
 */
export interface LiveHub {
  /** True when someone watches the source: callers skip formatting frames otherwise. */
  has(sourceId: string): boolean;
  publish(sourceId: string, frame: string): void;
  subscribe(sourceId: string, sink: LiveSink): () => void;
}

/**
 * How a hub reaches the hubs of sibling processes (HTTP workers of one `triad start`): it says
 * which sources it watches, forwards frames to siblings that watch them, and is handed what
 * siblings forward. Without a relay the hub is process-local.
 */
export interface LiveRelay {
  watching(sourceId: string, on: boolean): void;
  forward(sourceId: string, frame: string): void;
  /** Registers the hub that receives siblings' frames and their watched sources. */
  attach(peer: LivePeer): void;
}

export interface LivePeer {
  deliver(sourceId: string, frame: string): void;
  siblingsWatch(sourceIds: ReadonlySet<string>): void;
}

export function createLiveHub(relay?: LiveRelay): LiveHub {
  const subscribers = new Map<string, Set<LiveSink>>();
  let watchedElsewhere: ReadonlySet<string> = new Set();
  const deliverLocally = (sourceId: string, frame: string) => {
    const sinks = subscribers.get(sourceId);
    if (!sinks) return;
    for (const sink of sinks) sink(frame);
  };
  relay?.attach({
    deliver: deliverLocally,
    siblingsWatch: (ids) => {
      watchedElsewhere = ids;
    },
  });
  return {
    has: (sourceId) => subscribers.has(sourceId) || watchedElsewhere.has(sourceId),
    publish(sourceId, frame) {
      deliverLocally(sourceId, frame);
      if (relay && watchedElsewhere.has(sourceId)) relay.forward(sourceId, frame);
    },
    subscribe(sourceId, sink) {
      let sinks = subscribers.get(sourceId);
      if (!sinks) {
        sinks = new Set();
        subscribers.set(sourceId, sinks);
        relay?.watching(sourceId, true);
      }
      sinks.add(sink);
      return () => {
        const current = subscribers.get(sourceId);
        if (!current) return;
        current.delete(sink);
        if (current.size === 0) {
          subscribers.delete(sourceId);
          relay?.watching(sourceId, false);
        }
      };
    },
  };
}

/**
 * One hub per event log: everything appended through a log is fanned out by the same hub,
 * and the hub lives exactly as long as the log without a new field in the composition root.
 * When this process is one of several HTTP workers, the hub relays through `processRelay`.
 */
const hubs = new WeakMap<EventLog, LiveHub>();
let processRelay: LiveRelay | undefined;

/** Set once at start-up by a clustered worker, before any hub exists. */
export function relayLiveThrough(relay: LiveRelay): void {
  processRelay = relay;
}

export function liveHubFor(log: EventLog): LiveHub {
  let hub = hubs.get(log);
  if (!hub) {
    hub = createLiveHub(processRelay);
    hubs.set(log, hub);
  }
  return hub;
}

/** One SSE frame. JSON text has no raw line breaks, so the data fits on one `data:` line. */
export function sseFrame(event: string, json: string): string {
  return `event: ${event}\ndata: ${json}\n\n`;
}

export interface LiveStreamOptions {
  /** Frames held for a viewer that cannot keep up; beyond it the oldest are dropped. */
  maxBuffered: number;
  heartbeatMs: number;
  /** Ends the stream (server shutdown). */
  signal: AbortSignal;
}

/**
 * A viewer's connection as a byte stream. While the socket accepts data, frames go straight
 * through; when it pushes back, frames wait in a bounded queue, the oldest dropped first, and
 * a `dropped` event tells the viewer how many it missed. The subscription ends when the viewer
 * disconnects (the HTTP layer destroys the stream) or the signal fires.
 */
export function openLiveStream(
  hub: LiveHub,
  sourceId: string,
  opts: LiveStreamOptions,
): PassThrough {
  const stream = new PassThrough({ highWaterMark: 64 * 1024 });
  const queue: string[] = [];
  let dropped = 0;
  let blocked = false;
  const write = (frame: string) => {
    if (!stream.write(frame)) blocked = true;
  };
  const sink: LiveSink = (frame) => {
    if (!blocked) return write(frame);
    queue.push(frame);
    if (queue.length > opts.maxBuffered) {
      queue.shift();
      dropped++;
    }
  };
  stream.on('drain', () => {
    blocked = false;
    if (dropped > 0) {
      write(sseFrame('dropped', JSON.stringify({ count: dropped })));
      dropped = 0;
    }
    while (!blocked && queue.length > 0) {
      const next = queue.shift();
      if (next !== undefined) write(next);
    }
  });
  const unsubscribe = hub.subscribe(sourceId, sink);
  // Comments keep proxies and load balancers from closing a quiet connection.
  const heartbeat = setInterval(() => {
    if (!blocked) write(': keep-alive\n\n');
  }, opts.heartbeatMs);
  heartbeat.unref();
  let done = false;
  const stop = () => {
    if (done) return;
    done = true;
    clearInterval(heartbeat);
    unsubscribe();
    queue.length = 0;
    opts.signal.removeEventListener('abort', end);
  };
  const end = () => {
    // Hand over what is queued (bounded) so a viewer sees everything up to the end.
    const rest = queue.splice(0);
    const missed = dropped;
    stop();
    if (missed > 0) stream.write(sseFrame('dropped', JSON.stringify({ count: missed })));
    for (const frame of rest) stream.write(frame);
    stream.end();
  };
  stream.on('close', stop);
  write(`retry: 3000\n: watching source ${sourceId}\n\n`);
  if (opts.signal.aborted) end();
  else opts.signal.addEventListener('abort', end, { once: true });
  return stream;
}
