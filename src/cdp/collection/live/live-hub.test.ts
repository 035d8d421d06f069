import { describe, expect, it } from 'vitest';
import {
  createLiveHub,
  type LivePeer,
  type LiveRelay,
  openLiveStream,
  sseFrame,
} from './live-hub.js';

const options = (signal = new AbortController().signal) => ({
  maxBuffered: 50,
  heartbeatMs: 60_000,
  signal,
});

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

const frames = (text: string) =>
  text
    .split('\n\n')
    .filter((f) => f.startsWith('event: '))
    .map((f) => ({
      event: f.slice(7, f.indexOf('\n')),
      data: JSON.parse(f.slice(f.indexOf('data: ') + 6)),
    }));

describe('live hub', () => {
  it('delivers frames of the watched source only, in order', async () => {
    const hub = createLiveHub();
    const stop = new AbortController();
    const stream = openLiveStream(hub, 'src_a', options(stop.signal));
    hub.publish('src_a', sseFrame('accepted', '{"n":1}'));
    hub.publish('src_b', sseFrame('accepted', '{"n":99}'));
    hub.publish('src_a', sseFrame('rejected', '{"n":2}'));
    stop.abort();
    const received = frames(await readAll(stream));
    expect(received).toEqual([
      { event: 'accepted', data: { n: 1 } },
      { event: 'rejected', data: { n: 2 } },
    ]);
  });

  it('keeps a bounded queue for a slow viewer, dropping the oldest and saying how many', async () => {
    const hub = createLiveHub();
    const stop = new AbortController();
    const stream = openLiveStream(hub, 'src_a', options(stop.signal));
    const padding = 'x'.repeat(1_000);
    const total = 2_000;
    const started = performance.now();
    for (let n = 0; n < total; n++) {
      hub.publish('src_a', sseFrame('accepted', JSON.stringify({ n, padding })));
    }
    // Publishing never waits for the viewer.
    expect(performance.now() - started).toBeLessThan(1_000);
    stop.abort();
    const received = frames(await readAll(stream));
    const accepted = received.filter((f) => f.event === 'accepted').map((f) => f.data.n);
    const dropped = received.find((f) => f.event === 'dropped');
    // What the socket buffer took, plus at most maxBuffered queued frames.
    expect(accepted.length).toBeLessThan(total);
    expect(dropped?.data.count).toBe(total - accepted.length);
    // The newest frames survive; the order is kept.
    expect(accepted.at(-1)).toBe(total - 1);
    expect(accepted).toEqual([...accepted].sort((a, b) => a - b));
  });

  it('unsubscribes when the viewer goes away and when the server shuts down', async () => {
    const hub = createLiveHub();
    const gone = openLiveStream(hub, 'src_a', options());
    expect(hub.has('src_a')).toBe(true);
    gone.destroy();
    await new Promise((r) => setImmediate(r));
    expect(hub.has('src_a')).toBe(false);

    const shutdown = new AbortController();
    const open = openLiveStream(hub, 'src_b', options(shutdown.signal));
    const ended = readAll(open);
    shutdown.abort();
    await ended;
    expect(hub.has('src_b')).toBe(false);
  });
});

describe('live hubs of sibling processes', () => {
  /** Two hubs joined the way the cluster primary joins workers: watches and frames cross. */
  function siblings() {
    const peers: LivePeer[] = [];
    const watched = [new Set<string>(), new Set<string>()];
    const relay = (self: number): LiveRelay => ({
      watching(sourceId, on) {
        if (on) watched[self]?.add(sourceId);
        else watched[self]?.delete(sourceId);
        peers[1 - self]?.siblingsWatch(new Set(watched[self]));
      },
      forward: (sourceId, frame) => peers[1 - self]?.deliver(sourceId, frame),
      attach: (peer) => {
        peers[self] = peer;
      },
    });
    return [createLiveHub(relay(0)), createLiveHub(relay(1))] as const;
  }

  it('delivers what one process collects to a viewer on the other, only while watched', () => {
    const [a, b] = siblings();
    const got: string[] = [];
    expect(a.has('src_1')).toBe(false);
    const unsubscribe = b.subscribe('src_1', (frame) => got.push(frame));
    expect(a.has('src_1')).toBe(true);
    a.publish('src_1', 'one');
    a.publish('src_2', 'other source');
    unsubscribe();
    expect(a.has('src_1')).toBe(false);
    a.publish('src_1', 'after the viewer left');
    expect(got).toEqual(['one']);
  });
});
