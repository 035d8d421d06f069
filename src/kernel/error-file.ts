import { type FileHandle, open } from 'node:fs/promises';

/** An import's file of rejected rows (JSON Lines), appended in step with its checkpoints. */
export interface ErrorFile {
  /** Appends and fsyncs; returns the file's length afterwards. */
  append(text: string): Promise<number>;
  close(): Promise<void>;
}

/** The error file (JSON Lines), cut back to the checkpoint's length (later lines are redone). */
export async function openErrorFile(path: string, keepBytes: number): Promise<ErrorFile> {
  const handle: FileHandle = await open(path, 'a+');
  await handle.truncate(keepBytes);
  let length = keepBytes;
  return {
    async append(text) {
      if (text === '') return length;
      const buffer = Buffer.from(text);
      await handle.write(buffer, 0, buffer.length, length);
      // Durable before the checkpoint that names this length is written.
      await handle.sync();
      length += buffer.length;
      return length;
    },
    close: () => handle.close(),
  };
}
