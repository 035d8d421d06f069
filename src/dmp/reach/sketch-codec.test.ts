import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HyperLogLog } from './hyperloglog.js';
import { SketchFormatError } from './sketch-codec.js';

function sketchOf(n: number, options?: ConstructorParameters<typeof HyperLogLog>[0]) {
  const sketch = new HyperLogLog(options);
  for (let i = 0; i < n; i++) sketch.add(`id-${i}`);
  return sketch;
}

describe('serialize / deserialize', () => {
  it.each([0, 1, 10, 1_000, 1_536, 1_537, 50_000])('round-trips a sketch of %i IDs', (n) => {
    const sketch = sketchOf(n);
    const copy = HyperLogLog.deserialize(sketch.serialize());
    expect(copy.isExact).toBe(sketch.isExact);
    expect(copy.registers()).toEqual(sketch.registers());
    expect(copy.estimate()).toBe(sketch.estimate());
    expect(copy.precision).toBe(14);
    // The copy keeps working as the original would.
    copy.add('late-arrival');
    sketch.add('late-arrival');
    expect(copy.registers()).toEqual(sketch.registers());
  });

  it('keeps precision, seed and exact limit', () => {
    const sketch = sketchOf(100, { precision: 10, seed: 99, exactLimit: 50 });
    const copy = HyperLogLog.deserialize(sketch.serialize());
    expect([copy.precision, copy.seed, copy.exactLimit]).toEqual([10, 99, 50]);
    expect(copy.registers()).toEqual(sketch.registers());
  });

  it('round-trips arbitrary ID sets and options', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string(), { maxLength: 300 }),
        fc.integer({ min: 4, max: 16 }),
        fc.integer({ min: 0, max: 200 }),
        (ids, precision, exactLimit) => {
          const sketch = new HyperLogLog({ precision, exactLimit });
          for (const id of ids) sketch.add(id);
          const copy = HyperLogLog.deserialize(sketch.serialize());
          expect(copy.registers()).toEqual(sketch.registers());
          expect(copy.estimate()).toBe(sketch.estimate());
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is compact: small sketches are a few bytes per ID, dense ones 6 bits per register', () => {
    expect(sketchOf(100).serialize().length).toBeLessThan(100 * 8 + 20);
    expect(sketchOf(1_000).serialize().length).toBeLessThan(1_000 * 7 + 20);
    expect(sketchOf(100_000).serialize().length).toBe(13 + (16_384 * 6) / 8);
  });

  it('accepts a Uint8Array view into a larger buffer', () => {
    const blob = sketchOf(20).serialize();
    const padded = new Uint8Array(blob.length + 10);
    padded.set(blob, 5);
    const view = padded.subarray(5, 5 + blob.length);
    expect(HyperLogLog.deserialize(view).estimate()).toBe(20);
  });
});

describe('deserialize rejects malformed blobs', () => {
  const exactBlob = () => sketchOf(10).serialize();
  const denseBlob = () => sketchOf(10_000).serialize();

  const corruptions: [string, () => Uint8Array][] = [
    ['an empty buffer', () => new Uint8Array(0)],
    ['a wrong magic', () => Object.assign(exactBlob(), { 0: 0x00 })],
    ['an unknown version', () => Object.assign(exactBlob(), { 2: 9 })],
    ['a precision out of range', () => Object.assign(denseBlob(), { 3: 30 })],
    ['an unknown encoding', () => Object.assign(exactBlob(), { 4: 7 })],
    ['an exact limit out of range', () => Object.assign(exactBlob(), { 12: 0xff })],
    ['a truncated dense payload', () => denseBlob().subarray(0, 5_000)],
    ['trailing bytes after a dense payload', () => Buffer.concat([denseBlob(), Buffer.from([0])])],
    ['a truncated key list', () => exactBlob().subarray(0, 30)],
    ['trailing bytes after the keys', () => Buffer.concat([exactBlob(), Buffer.from([1])])],
    [
      'an absurd key count',
      () => {
        const blob = exactBlob();
        blob.writeUInt32LE(1_000_000, 13);
        return blob;
      },
    ],
    [
      'a register value above the maximum',
      () => {
        const blob = denseBlob();
        blob[13] = 0x3f; // first register = 63 > 40
        return blob;
      },
    ],
  ];

  it.each(corruptions)('rejects %s', (_, make) => {
    expect(() => HyperLogLog.deserialize(make())).toThrow(SketchFormatError);
  });

  it('rejects duplicate keys (a zero gap)', () => {
    const header = exactBlob().subarray(0, 13);
    const body = Buffer.from([2, 0, 0, 0, 5, 0]); // count 2, gaps 5 and 0
    expect(() => HyperLogLog.deserialize(Buffer.concat([header, body]))).toThrow(/duplicate/);
  });
});
