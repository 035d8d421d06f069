import { Redis } from 'ioredis';
import { decodeSegments, encodeSegments, type HotStore, type SegmentLoader } from './hot-store.js';

export interface RedisHotStoreOptions {
  url: string;
  /** Prepended to every key (tests use one per test). Default `triad:dmp:seg:`. */
  keyPrefix?: string;
  /** Lifetime of an entry; the store is the truth, so an entry may simply expire. */
  ttlSeconds: number;
}

/**
 * Redis adapter: one string key per ID holding its comma-joined segment IDs. Writes overwrite;
 * a miss loads from the store and writes with NX, so a slow load can never overwrite a newer
 * write made meanwhile by another process. `clear` walks the prefix with SCAN (never KEYS).
 */
export async function createRedisHotStore(
  loader: SegmentLoader,
  options: RedisHotStoreOptions,
): Promise<HotStore> {
  const prefix = options.keyPrefix ?? 'triad:dmp:seg:';
  const redis = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  // Without a listener, a dropped connection would be an unhandled 'error' event.
  redis.on('error', () => {});
  await redis.connect();
  const key = (dmpId: string) => `${prefix}${dmpId}`;

  return {
    engine: 'redis',
    async get(dmpId) {
      const cached = await redis.get(key(dmpId));
      if (cached !== null) return decodeSegments(cached);
      const segments = await loader(dmpId);
      await redis.set(key(dmpId), encodeSegments(segments), 'EX', options.ttlSeconds, 'NX');
      return segments;
    },
    async put(dmpId, segmentIds) {
      await redis.set(key(dmpId), encodeSegments(segmentIds), 'EX', options.ttlSeconds);
    },
    async remove(dmpIds) {
      if (dmpIds.length === 0) return;
      await redis.del(...dmpIds.map(key));
    },
    async clear() {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
