/**
 * Binary format of a reach sketch (version 1). All integers little-endian.
 *
 *   offset  size  field
 *   0       2     magic "HL"
 *   2       1     format version (1)
 *   3       1     precision p (4..18)
 *   4       1     encoding: 0 = exact hash list, 1 = dense registers
 *   5       4     hash seed (u32)
 *   9       4     exact limit (u32)
 *   13      ...   payload
 *
 * Exact payload: u32 count, then the sorted 53-bit keys as unsigned LEB128 varints of the gap to
 * the previous key (the first gap is from 0). Sorted gaps of n uniform 53-bit values average
 * 2^53/n, so each key costs about (53 - log2 n)/7 bytes: ~6 bytes at n = 1,000 versus 12 KiB
 * dense, which is why small audiences stay small on disk.
 *
 * Dense payload: m registers of 6 bits (values never exceed 53 - p + 1 ≤ 50), packed four to
 * three bytes, register i at bit 6i. 12,288 bytes at p = 14 instead of 16,384.
 *
 * Decoding is strict: wrong magic/version/precision, truncated or trailing bytes, keys out of
 * order or out of range, and register values above the maximum are all rejected, so a corrupt
 * blob cannot silently skew a reach figure.
 */

const MAGIC_0 = 0x48; // 'H'
const MAGIC_1 = 0x4c; // 'L'
const FORMAT_VERSION = 1;
const HEADER_BYTES = 13;
const HASH_BITS = 53;
const MAX_KEY = 2 ** HASH_BITS - 1;
/** Same bound as the sketch constructor enforces. */
const MAX_EXACT_LIMIT = 10_000_000;

/** Parameters stored in every blob. */
export interface SketchHeader {
  precision: number;
  seed: number;
  exactLimit: number;
}

/** Decoded content: either the exact keys or the dense registers. */
export type SketchContent = { keys: number[] } | { registers: Uint8Array };

/** Raised for blobs that are not valid version-1 sketches. */
export class SketchFormatError extends Error {
  override name = 'SketchFormatError';
}

function writeVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/** Encodes a sketch's header and content; see the module comment for the layout. */
export function encodeSketch(header: SketchHeader, content: SketchContent): Buffer {
  const head = Buffer.alloc(HEADER_BYTES);
  head[0] = MAGIC_0;
  head[1] = MAGIC_1;
  head[2] = FORMAT_VERSION;
  head[3] = header.precision;
  head[4] = 'keys' in content ? 0 : 1;
  head.writeUInt32LE(header.seed, 5);
  head.writeUInt32LE(header.exactLimit, 9);

  if ('keys' in content) {
    const sorted = Float64Array.from(content.keys).sort();
    const bytes: number[] = [];
    let previous = 0;
    for (const key of sorted) {
      writeVarint(bytes, key - previous);
      previous = key;
    }
    const count = Buffer.alloc(4);
    count.writeUInt32LE(sorted.length, 0);
    return Buffer.concat([head, count, Buffer.from(bytes)]);
  }

  const registers = content.registers;
  const packed = Buffer.alloc((registers.length * 6) / 8);
  for (let i = 0, o = 0; i < registers.length; i += 4, o += 3) {
    const word =
      (registers[i] ?? 0) |
      ((registers[i + 1] ?? 0) << 6) |
      ((registers[i + 2] ?? 0) << 12) |
      ((registers[i + 3] ?? 0) << 18);
    packed[o] = word & 0xff;
    packed[o + 1] = (word >>> 8) & 0xff;
    packed[o + 2] = (word >>> 16) & 0xff;
  }
  return Buffer.concat([head, packed]);
}

/** Decodes a blob written by `encodeSketch`; throws `SketchFormatError` on any inconsistency. */
export function decodeSketch(blob: Uint8Array): { header: SketchHeader; content: SketchContent } {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < HEADER_BYTES) throw new SketchFormatError('blob shorter than the header');
  if (buf[0] !== MAGIC_0 || buf[1] !== MAGIC_1) throw new SketchFormatError('bad magic');
  if (buf[2] !== FORMAT_VERSION) throw new SketchFormatError(`unsupported version ${buf[2]}`);
  const precision = buf[3] ?? 0;
  if (precision < 4 || precision > 18) {
    throw new SketchFormatError(`precision ${precision} out of range`);
  }
  const header: SketchHeader = {
    precision,
    seed: buf.readUInt32LE(5),
    exactLimit: buf.readUInt32LE(9),
  };
  if (header.exactLimit > MAX_EXACT_LIMIT) {
    throw new SketchFormatError(`exact limit ${header.exactLimit} out of range`);
  }
  const encoding = buf[4];
  if (encoding === 0) return { header, content: { keys: decodeKeys(buf) } };
  if (encoding === 1) return { header, content: { registers: decodeRegisters(buf, precision) } };
  throw new SketchFormatError(`unknown encoding ${encoding}`);
}

function decodeKeys(buf: Buffer): number[] {
  if (buf.length < HEADER_BYTES + 4) throw new SketchFormatError('missing key count');
  const count = buf.readUInt32LE(HEADER_BYTES);
  // Each key takes at least one byte: refuse counts the blob cannot possibly hold.
  if (count > buf.length - HEADER_BYTES - 4) throw new SketchFormatError('key count too large');
  const keys: number[] = new Array(count);
  let offset = HEADER_BYTES + 4;
  let previous = 0;
  for (let i = 0; i < count; i++) {
    let gap = 0;
    let scale = 1;
    let byte: number;
    do {
      if (offset >= buf.length) throw new SketchFormatError('truncated key list');
      byte = buf[offset++] ?? 0;
      gap += (byte & 0x7f) * scale;
      scale *= 0x80;
      if (scale > 2 ** 63) throw new SketchFormatError('varint too long');
    } while (byte & 0x80);
    if (i > 0 && gap === 0) throw new SketchFormatError('duplicate key');
    const key = previous + gap;
    if (key > MAX_KEY) throw new SketchFormatError('key out of range');
    keys[i] = key;
    previous = key;
  }
  if (offset !== buf.length) throw new SketchFormatError('trailing bytes after key list');
  return keys;
}

function decodeRegisters(buf: Buffer, precision: number): Uint8Array {
  const m = 1 << precision;
  const expected = HEADER_BYTES + (m * 6) / 8;
  if (buf.length !== expected) {
    throw new SketchFormatError(`dense payload must be ${expected} bytes, got ${buf.length}`);
  }
  const max = HASH_BITS - precision + 1;
  const registers = new Uint8Array(m);
  for (let i = 0, o = HEADER_BYTES; i < m; i += 4, o += 3) {
    const word = (buf[o] ?? 0) | ((buf[o + 1] ?? 0) << 8) | ((buf[o + 2] ?? 0) << 16);
    for (let j = 0; j < 4; j++) {
      const value = (word >>> (6 * j)) & 0x3f;
      if (value > max) throw new SketchFormatError(`register value ${value} exceeds ${max}`);
      registers[i + j] = value;
    }
  }
  return registers;
}
