import { describe, expect, it } from 'vitest';
import { committedPrefix, gapPatienceMs } from './workflow.engine.js';

const now = new Date('2026-03-02T10:00:00.000Z');
const at = (msAgo: number) => new Date(now.getTime() - msAgo).toISOString();

describe('committedPrefix', () => {
  it.each([
    ['no gap', 0, [1, 2, 3], [0, 0, 0], [1, 2, 3]],
    ['a fresh gap stops before it', 0, [1, 2, 4], [0, 0, 0], [1, 2]],
    ['a fresh gap right after the offset', 5, [7, 8], [0, 0], []],
    ['an old gap is passed', 0, [1, 3, 4], [0, gapPatienceMs + 1, 0], [1, 3, 4]],
    ['a later fresh gap still stops', 0, [1, 3, 5], [0, gapPatienceMs + 1, 10], [1, 3]],
  ])('%s', (_name, offset, ids, ages, expected) => {
    const changes = ids.map((id, i) => ({ id, at: at(ages[i] ?? 0) }));
    expect(committedPrefix(changes, offset, now).map((c) => c.id)).toEqual(expected);
  });
});
