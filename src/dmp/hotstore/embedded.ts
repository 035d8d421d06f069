import type { HotStore, SegmentLoader } from './hot-store.js';

export interface EmbeddedHotStoreOptions {
  /** Most IDs held; the least recently used is evicted past this. Default 1,000,000. */
  maxEntries?: number;
  /**
   * How long an entry is trusted, in ms. Only this process writes through its cache, so other
   * processes' changes (when several share one SQL store) show up after this. Default 60 s.
   */
  maxAgeMs?: number;
  now?: () => number;
}

/**
 * In-process cache over the SQL store: a Map used as an LRU (re-inserting a key moves it to the
 * end; the first key is the oldest). A lookup that hits costs one Map read.
 */
export function createEmbeddedHotStore(
  loader: SegmentLoader,
  options: EmbeddedHotStoreOptions = {},
): HotStore {
  const maxEntries = options.maxEntries ?? 1_000_000;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { segments: string[]; at: number }>();
  // Bumped by every write, so a load that raced with a write does not cache what it read.
  let writes = 0;

  const remember = (dmpId: string, segments: string[]) => {
    entries.delete(dmpId);
    entries.set(dmpId, { segments, at: now() });
    if (entries.size > maxEntries) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
  };

  return {
    engine: 'embedded',
    async get(dmpId) {
      const hit = entries.get(dmpId);
      if (hit && now() - hit.at < maxAgeMs) return [...hit.segments];
      const before = writes;
      const segments = await loader(dmpId);
      if (writes === before) remember(dmpId, segments);
      return [...segments];
    },
    async put(dmpId, segmentIds) {
      writes++;
      remember(dmpId, [...segmentIds]);
    },
    async remove(dmpIds) {
      writes++;
      for (const id of dmpIds) entries.delete(id);
    },
    async clear() {
      writes++;
      entries.clear();
    },
    async close() {
      entries.clear();
    },
  };
}
