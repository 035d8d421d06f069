import { describe, expect, it } from 'vitest';
import { compareEmails } from './email-compare.js';

describe('compareEmails', () => {
  it.each([
    ['jo.smith@gmail.com', 'jo.smith@gmail.com', 'exact'],
    ['jo.smith@gmail.com', 'jo.smith@yahoo.com', 'same-local-part'],
    // Two substitutions (d→h, h→e): within two edits.
    ['evied56@harris-bailey.net', 'evihd56@earris-bailey.net', 'close'],
    // Insert "a", delete "5": two edits.
    ['robert255@smith.net', 'roberta25@smith.net', 'close'],
    // Three edits, but the same domain and nearly the same local part.
    ['margaretthompson@corp.com', 'margretthomsonn@corp.com', 'close'],
    ['margaretthompson@corp.com', 'margretthomsonn@other.org', 'different'],
    ['a.jones@x.com', 'b.smith@y.com', 'different'],
  ])('compareEmails(%s, %s) = %s', (a, b, expected) => {
    expect(compareEmails(a, b)).toBe(expected);
    expect(compareEmails(b, a)).toBe(expected);
  });
});
