import cluster, { type Worker } from 'node:cluster';
import type { LivePeer, LiveRelay } from './cdp/collection/live/live-hub.js';
import type { Logger } from './kernel/logger.js';

/**
 * Several HTTP worker processes on one port (node:cluster), for machines where one event loop
 * is the limit: collection parses, cleans and serializes events on the CPU, and each worker
 * does that for its share of the connections. They share the store (SQLite in WAL with
 * IMMEDIATE transactions, or PostgreSQL); only the first worker runs the log consumers and
 * periodic jobs. The primary forwards the live debugger between workers, so a viewer
 * connected to one worker sees what the others collect.
 */

type ClusterMessage =
  | { kind: 'triad:listening'; url: string }
  | { kind: 'triad:live-watch'; sourceId: string; on: boolean }
  | { kind: 'triad:live-frame'; sourceId: string; frame: string }
  | { kind: 'triad:live-watched'; sourceIds: string[] };

function isClusterMessage(value: unknown): value is ClusterMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { kind?: unknown }).kind === 'string' &&
    (value as { kind: string }).kind.startsWith('triad:')
  );
}

export const isClusterWorker = (): boolean => cluster.isWorker;

export interface RunningCluster {
  url: string;
  stop(): Promise<void>;
}

/**
 * Forks `workers` processes running `triad` with `argsFor(index)` and resolves once all of them
 * listen. A worker that dies while the cluster runs is replaced; one that dies while starting
 * fails the start.
 */
export function startCluster(opts: {
  workers: number;
  argsFor: (index: number) => string[];
  log: Logger;
}): Promise<RunningCluster> {
  const indexOf = new Map<number, number>();
  const watched = new Map<number, Set<string>>();
  const urls = new Map<number, string>();
  let started = false;
  let stopping = false;

  const fork = (index: number): Worker => {
    cluster.setupPrimary({ args: opts.argsFor(index) });
    const worker = cluster.fork();
    indexOf.set(worker.id, index);
    return worker;
  };
  const workers = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
  // Each worker learns which sources the *other* workers watch.
  const broadcastWatched = () => {
    for (const worker of workers()) {
      const elsewhere = new Set<string>();
      for (const [id, ids] of watched) if (id !== worker.id) for (const s of ids) elsewhere.add(s);
      worker.send({ kind: 'triad:live-watched', sourceIds: [...elsewhere] });
    }
  };

  return new Promise((resolveStart, rejectStart) => {
    cluster.on('message', (worker, message: unknown) => {
      if (!isClusterMessage(message)) return;
      if (message.kind === 'triad:listening') {
        urls.set(worker.id, message.url);
        if (!started && urls.size === opts.workers) {
          started = true;
          resolveStart({ url: message.url, stop });
        }
      } else if (message.kind === 'triad:live-watch') {
        const ids = watched.get(worker.id) ?? new Set<string>();
        if (message.on) ids.add(message.sourceId);
        else ids.delete(message.sourceId);
        watched.set(worker.id, ids);
        broadcastWatched();
      } else if (message.kind === 'triad:live-frame') {
        for (const other of workers()) {
          if (other.id !== worker.id && watched.get(other.id)?.has(message.sourceId)) {
            other.send(message);
          }
        }
      }
    });
    cluster.on('exit', (worker, code, signal) => {
      const index = indexOf.get(worker.id) ?? 0;
      indexOf.delete(worker.id);
      watched.delete(worker.id);
      urls.delete(worker.id);
      if (stopping) return;
      if (!started) {
        stopping = true;
        for (const other of workers()) other.process.kill('SIGTERM');
        rejectStart(
          new Error(`HTTP worker ${index + 1} exited while starting (${signal ?? code})`),
        );
        return;
      }
      opts.log.error({ worker: index + 1, code, signal }, 'HTTP worker exited; starting another');
      broadcastWatched();
      fork(index);
    });
    for (let index = 0; index < opts.workers; index++) fork(index);
  });

  async function stop(): Promise<void> {
    stopping = true;
    const exits = workers().map(
      (worker) =>
        new Promise<void>((done) => {
          if (worker.isDead()) return done();
          worker.once('exit', () => done());
          worker.process.kill('SIGTERM');
        }),
    );
    await Promise.all(exits);
  }
}

/** In a worker: tells the primary this worker listens. */
export function reportListening(url: string): void {
  process.send?.({ kind: 'triad:listening', url } satisfies ClusterMessage);
}

/** In a worker: the live debugger's link to its siblings, through the primary. */
export function clusterLiveRelay(): LiveRelay {
  let peer: LivePeer | undefined;
  // The hub is created on first use, possibly after the primary said what siblings watch.
  let siblingsWatch: ReadonlySet<string> = new Set();
  process.on('message', (message: unknown) => {
    if (!isClusterMessage(message)) return;
    if (message.kind === 'triad:live-frame') peer?.deliver(message.sourceId, message.frame);
    else if (message.kind === 'triad:live-watched') {
      siblingsWatch = new Set(message.sourceIds);
      peer?.siblingsWatch(siblingsWatch);
    }
  });
  const send = (message: ClusterMessage) => {
    if (process.connected) process.send?.(message);
  };
  return {
    watching: (sourceId, on) => send({ kind: 'triad:live-watch', sourceId, on }),
    forward: (sourceId, frame) => send({ kind: 'triad:live-frame', sourceId, frame }),
    attach: (live) => {
      peer = live;
      live.siblingsWatch(siblingsWatch);
    },
  };
}

/**
 * In a worker: stops gracefully, once, on SIGTERM or SIGINT (a terminal's Ctrl-C reaches the
 * whole process group, then the primary's SIGTERM follows) and when the primary goes away
 * (it was killed), so no worker lingers holding the port.
 */
export function stopWorkerOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const once = () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', once);
  process.on('SIGINT', once);
  process.on('disconnect', once);
}
