import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { murmur3x64, murmur3x64Hex } from './murmur3.js';

/**
 * A deliberately naive BigInt transcription of MurmurHash3_x64_128, used only as an oracle for
 * the optimised 32-bit implementation.
 */
function referenceHash(bytes: Uint8Array, seed: number): [string, string] {
  const MASK = (1n << 64n) - 1n;
  const c1 = 0x87c37b91114253d5n;
  const c2 = 0x4cf5ad432745937fn;
  const rotl = (x: bigint, r: bigint) => ((x << r) | (x >> (64n - r))) & MASK;
  const fmix = (k0: bigint) => {
    let k = k0;
    k ^= k >> 33n;
    k = (k * 0xff51afd7ed558ccdn) & MASK;
    k ^= k >> 33n;
    k = (k * 0xc4ceb9fe1a85ec53n) & MASK;
    k ^= k >> 33n;
    return k;
  };
  const readLong = (at: number, count: number) => {
    let v = 0n;
    for (let i = count - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i] ?? 0);
    return v;
  };
  let h1 = BigInt(seed);
  let h2 = BigInt(seed);
  const blocks = Math.floor(bytes.length / 16);
  for (let b = 0; b < blocks; b++) {
    let k1 = readLong(b * 16, 8);
    let k2 = readLong(b * 16 + 8, 8);
    k1 = (rotl((k1 * c1) & MASK, 31n) * c2) & MASK;
    h1 ^= k1;
    h1 = (((rotl(h1, 27n) + h2) & MASK) * 5n + 0x52dce729n) & MASK;
    k2 = (rotl((k2 * c2) & MASK, 33n) * c1) & MASK;
    h2 ^= k2;
    h2 = (((rotl(h2, 31n) + h1) & MASK) * 5n + 0x38495ab5n) & MASK;
  }
  const rest = bytes.length % 16;
  const tail = blocks * 16;
  if (rest > 8) {
    const k2 = readLong(tail + 8, rest - 8);
    h2 ^= (rotl((k2 * c2) & MASK, 33n) * c1) & MASK;
  }
  if (rest > 0) {
    const k1 = readLong(tail, Math.min(rest, 8));
    h1 ^= (rotl((k1 * c1) & MASK, 31n) * c2) & MASK;
  }
  const len = BigInt(bytes.length);
  h1 ^= len;
  h2 ^= len;
  h1 = (h1 + h2) & MASK;
  h2 = (h2 + h1) & MASK;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 = (h1 + h2) & MASK;
  h2 = (h2 + h1) & MASK;
  return [h1.toString(16).padStart(16, '0'), h2.toString(16).padStart(16, '0')];
}

describe('murmur3x64', () => {
  // Published vectors of the reference C++ implementation (as used by Guava and DataSketches).
  it.each([
    ['', 0, '0000000000000000', '0000000000000000'],
    ['hell', 0, '629942693e10f867', '92db0b82baeb5347'],
    ['hello', 0, 'cbd8a7b341bd9b02', '5b1e906a48ae1d19'],
    ['hello', 1, 'a78ddff5adae8d10', '128900ef20900135'],
    ['hello ', 2, '8a486b23f422e826', 'f962a2c58947765f'],
    ['hello w', 3, '2ea59f466f6bed8c', 'c610990acc428a17'],
    ['hello wo', 4, '79f6305a386c572c', '46305aed3483b94e'],
    ['hello wor', 5, 'c2219d213ec1f1b5', 'a1d8e2e0a52785bd'],
    ['123456789012345', 0, '887001aea2afcfd6', '1ec326364f0801b3'],
    ['1234567890123456', 0, '4fbe5dc5c0e32cf8', 'c0c8e96b60c322c1'],
    ['12345678901234567', 0, '748617968026b77e', '291e6386473f7103'],
    ['The quick brown fox jumps over the lazy dog', 0, 'e34bbc7bbc071b6c', '7a433ca9c49a9347'],
    ['The quick brown fox jumps over the lazy cog', 0, '658ca970ff85269a', '43fee3eaa68e5c3e'],
    ['中文查询参数-\u{1F680}', 0, '09a3b843bee83faa', '95c27d677efe322c'],
  ])('hashes %j with seed %i to the reference value', (input, seed, h1, h2) => {
    expect(murmur3x64Hex(input, seed)).toEqual([h1, h2]);
  });

  it('matches a BigInt oracle on random strings, including non-ASCII and long ones', () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 400 })),
        fc.integer({ min: 0, max: 0xffff_ffff }),
        (text, seed) => {
          expect(murmur3x64Hex(text, seed)).toEqual(referenceHash(encoder.encode(text), seed));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('hashes bytes and their UTF-8 string identically', () => {
    const text = 'user-éà-42';
    const bytes = new TextEncoder().encode(text);
    expect(murmur3x64Hex(bytes)).toEqual(murmur3x64Hex(text));
  });

  it('writes into a caller-provided array without allocating a new one', () => {
    const out = new Uint32Array(4);
    const returned = murmur3x64('abc', 0, out);
    expect(returned).toBe(out);
    expect([...out].some((word) => word !== 0)).toBe(true);
  });

  it('spreads consecutive IDs evenly over the top bits', () => {
    const buckets = new Array<number>(16).fill(0);
    const out = new Uint32Array(4);
    for (let i = 0; i < 16_000; i++) {
      murmur3x64(`id-${i}`, 0, out);
      const bucket = (out[0] ?? 0) >>> 28;
      buckets[bucket] = (buckets[bucket] ?? 0) + 1;
    }
    // Expected 1000 per bucket; ±15% is > 4.5 standard deviations.
    for (const count of buckets) {
      expect(count).toBeGreaterThan(850);
      expect(count).toBeLessThan(1150);
    }
  });
});
