import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../kernel/errors.js';

/** Where CRM uploads wait to be imported, and where their error files are kept. */
export const crmUploadDir = join(tmpdir(), 'triad-crm-imports');

export const crmErrorFileOf = (id: number) => join(crmUploadDir, `import-${id}.errors.jsonl`);

/** Writes an upload to disk as it arrives: the import reads a file, so it can resume. */
export async function spoolCrmUpload(body: Readable, maxBytes: number): Promise<string> {
  await mkdir(crmUploadDir, { recursive: true });
  const file = join(crmUploadDir, `upload-${randomBytes(8).toString('hex')}.csv`);
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
  return file;
}
