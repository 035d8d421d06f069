import { rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SpooledUpload } from '../../../kernel/upload.js';

/** Where uploads wait to be imported, and where their error files are kept. */
export const uploadDir = join(tmpdir(), 'triad-imports');

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
