/**
 * The hot lookup port: DMP ID -> the segment IDs that may be activated for it, read on every
 * OpenRTB request. The SQL store stays the system of record; a hot store is a cache in front of
 * it that services write through after each commit and that loads from the store on a miss.
 */
export interface HotStore {
  readonly engine: 'embedded' | 'redis';
  /** The ID's activatable segment IDs; [] for an unknown ID. Loads from the store on a miss. */
  get(dmpId: string): Promise<string[]>;
  /** Records the ID's activatable segments once a change is committed to the store. */
  put(dmpId: string, segmentIds: readonly string[]): Promise<void>;
  /** Forgets IDs (opt-out, retention, deleted segments); the next `get` reloads them. */
  remove(dmpIds: readonly string[]): Promise<void>;
  /** Forgets every ID (a segment was deleted or changed its rule). */
  clear(): Promise<void>;
  close(): Promise<void>;
}

/** Reads an ID's activatable segments from the system of record. */
export type SegmentLoader = (dmpId: string) => Promise<string[]>;

/** Segment IDs never contain a comma, so a joined string is a compact, exact encoding. */
export function encodeSegments(ids: readonly string[]): string {
  return ids.join(',');
}

export function decodeSegments(text: string): string[] {
  return text === '' ? [] : text.split(',');
}
