import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { decodeCursor, encodeCursor, pageByIdArgs, toPage } from './pagination.js';

describe('pagination', () => {
  it('round-trips a cursor', () => {
    expect(decodeCursor(encodeCursor({ id: 'src_1' }), ['id'])).toEqual({ id: 'src_1' });
  });

  it.each([
    '',
    'garbage',
    encodeCursor({ other: 'x' }),
    Buffer.from('[1,2]').toString('base64url'),
  ])('refuses cursor %j with a 4xx error', (cursor) => {
    expect(() => decodeCursor(cursor, ['id'])).toThrow(AppError);
  });

  it('uses the extra row only to know a next page exists', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    const page = toPage(
      rows,
      2,
      (r) => r.id,
      (r) => ({ id: r.id }),
    );
    expect(page.data).toEqual(['a', 'b']);
    expect(pageByIdArgs({ cursor: page.next ?? undefined, limit: 2 })).toEqual({
      limit: 2,
      after: 'b',
    });
    expect(
      toPage(
        rows.slice(0, 2),
        2,
        (r) => r.id,
        (r) => ({ id: r.id }),
      ).next,
    ).toBeNull();
  });
});
