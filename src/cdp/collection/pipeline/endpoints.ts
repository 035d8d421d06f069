import type { EventType } from './types.js';

/** What a tracking endpoint receives: one message of a given type, or a batch. */
export type EndpointKind = EventType | 'batch';

const PATHS: Readonly<Record<string, EndpointKind>> = {
  track: 'track',
  t: 'track',
  identify: 'identify',
  i: 'identify',
  page: 'page',
  p: 'page',
  screen: 'screen',
  s: 'screen',
  group: 'group',
  g: 'group',
  alias: 'alias',
  a: 'alias',
  batch: 'batch',
  b: 'batch',
};

/**
 * Maps a Segment tracking path to what it receives: `/v1/track` and analytics.js's short
 * `/v1/t` both mean track, `/v1/batch` and `/v1/b` mean batch. Query strings and a trailing
 * slash are ignored; unknown paths return `null`.
 */
export function endpointFromPath(path: string): EndpointKind | null {
  const match = /^\/v1\/([a-z]+)\/?(?:[?#].*)?$/.exec(path);
  const name = match?.[1];
  if (name === undefined || !Object.hasOwn(PATHS, name)) return null;
  return PATHS[name] ?? null;
}
