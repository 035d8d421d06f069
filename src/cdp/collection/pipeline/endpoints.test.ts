import { describe, expect, it } from 'vitest';
import { endpointFromPath } from './endpoints.js';

describe('endpointFromPath', () => {
  it.each([
    ['/v1/track', 'track'],
    ['/v1/t', 'track'],
    ['/v1/identify', 'identify'],
    ['/v1/i', 'identify'],
    ['/v1/page', 'page'],
    ['/v1/p', 'page'],
    ['/v1/screen', 'screen'],
    ['/v1/s', 'screen'],
    ['/v1/group', 'group'],
    ['/v1/g', 'group'],
    ['/v1/alias', 'alias'],
    ['/v1/a', 'alias'],
    ['/v1/batch', 'batch'],
    ['/v1/b', 'batch'],
    ['/v1/track/', 'track'],
    ['/v1/b?x=1', 'batch'],
    ['/v1/import', null],
    ['/v1/constructor', null],
    ['/v2/track', null],
    ['/v1/Track', null],
    ['', null],
  ])('%j -> %j', (path, expected) => {
    expect(endpointFromPath(path)).toBe(expected);
  });
});
