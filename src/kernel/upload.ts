import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from './errors.js';

export interface SpooledUpload {
  file: string;
  /** SHA-256 of the bytes, hex. */
  hash: string;
  bytes: number;
}

/**
 * Writes an upload to a new file in `dir` as it arrives, hashing it on the way: imports then
 * read a file (so they can be resumed) and memory stays bounded whatever the upload's size.
 * Over `maxBytes`: 413; cut short or empty: 400. Nothing is left behind on failure.
 */
export async function spoolUpload(
  body: Readable,
  opts: { dir: string; maxBytes: number },
): Promise<SpooledUpload> {
  await mkdir(opts.dir, { recursive: true });
  const file = join(opts.dir, `upload-${randomBytes(8).toString('hex')}.part`);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    await pipeline(
      body,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          bytes += chunk.length;
          if (bytes > opts.maxBytes) {
            throw new AppError(
              'payload_too_large',
              `The upload is larger than ${opts.maxBytes} bytes`,
            );
          }
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(file),
    );
  } catch (error) {
    await rm(file, { force: true });
    if (error instanceof AppError) throw error;
    throw new AppError('bad_request', `The upload was cut short: ${(error as Error).message}`);
  }
  if (bytes === 0) {
    await rm(file, { force: true });
    throw new AppError('bad_request', 'The upload is empty');
  }
  return { file, hash: hash.digest('hex'), bytes };
}
