import { describe, expect, it } from 'vitest';
import { isId, newId, newSecret } from './ids.js';

describe('ids', () => {
  it('are prefixed, 26 Crockford characters, and recognised by kind', () => {
    const id = newId('source');
    expect(id).toMatch(/^src_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(isId('source', id)).toBe(true);
    expect(isId('user', id)).toBe(false);
  });

  it('sort by creation time across milliseconds', () => {
    const ids = [0, 1, 31, 32, 1_000, 1_700_000_000_000, 1_700_000_000_001].map((t) =>
      newId('user', t),
    );
    expect([...ids].sort()).toEqual(ids);
  });

  it('do not collide', () => {
    const many = new Set(Array.from({ length: 20_000 }, () => newId('request', 42)));
    expect(many.size).toBe(20_000);
  });

  it('secrets carry their prefix and 256 bits by default', () => {
    const secret = newSecret('triad');
    expect(secret).toMatch(/^triad_[A-Za-z0-9_-]{43}$/);
  });
});
