import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../../kernel/errors.js';

/** Where uploads wait to be imported, and where their error files are kept. */
export const uploadDir = join(tmpdir(), 'triad-imports');

export interface SpooledUpload {
  file: string;
  hash: string;
  bytes: number;
}

/**
 * Writes an upload to disk as it arrives, hashing it on the way: the import then reads a file
 * (so it can be resumed) and memory stays bounded whatever the upload's size.
 */
export async function spoolUpload(body: Readable, maxBytes: number): Promise<SpooledUpload> {
  await mkdir(uploadDir, { recursive: true });
  const part = join(uploadDir, `upload-${randomBytes(8).toString('hex')}.part`);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    await pipeline(
      body,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          bytes += chunk.length;
          if (bytes > maxBytes) {
            throw new AppError('payload_too_large', `The upload is larger than ${maxBytes} bytes`);
          }
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(part),
    );
  } catch (error) {
    await rm(part, { force: true });
    if (error instanceof AppError) throw error;
    throw new AppError('bad_request', `The upload was cut short: ${(error as Error).message}`);
  }
  if (bytes === 0) {
    await rm(part, { force: true });
    throw new AppError('bad_request', 'The upload is empty');
  }
  return { file: part, hash: hash.digest('hex'), bytes };
}

/** Gives a spooled upload its import's name; an identical earlier upload is reused. */
export async function keepUpload(upload: SpooledUpload, importId: string): Promise<string> {
  const target = uploadFileOf(importId);
  const existing = await stat(target).catch(() => undefined);
  if (existing) await rm(upload.file, { force: true });
  else await rename(upload.file, target);
  return target;
}

export const uploadFileOf = (importId: string) => join(uploadDir, `${importId}.data`);

export const errorFileOf = (importId: string) => join(uploadDir, `${importId}.errors.jsonl`);
