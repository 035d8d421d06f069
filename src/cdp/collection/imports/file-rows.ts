import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { parse } from 'csv-parse';

/**
 * One row of an import file. `line` is the (1-based) line where the row ends: unique and
 * increasing, it names the row in messageIds, checkpoints and the error file. `bytes` is how
 * far into the file the row ends, for progress.
 */
export type FileRow =
  | {
      line: number;
      bytes: number;
      kind: 'csv';
      header: ReadonlyMap<string, number>;
      cells: string[];
    }
  | { line: number; bytes: number; kind: 'json'; value: unknown }
  | { line: number; bytes: number; kind: 'error'; reason: string; raw: string };

/** The header of a CSV file, once read (imports map columns by name). */
export interface CsvHeader {
  columns: string[];
}

interface CsvRecord {
  info: { lines: number; bytes: number };
  record: string[];
}

function isCsvRecord(value: unknown): value is CsvRecord {
  return (
    typeof value === 'object' &&
    value !== null &&
    'record' in value &&
    Array.isArray((value as { record: unknown }).record)
  );
}

/**
 * CSV rows, streamed: memory holds one parser buffer and one row, whatever the file size.
 * Rows the parser cannot read (bad quoting, a wrong number of cells) come out as `error` rows
 * so the import goes on and reports them.
 */
export async function* csvRows(
  input: Readable,
  opts: { delimiter?: string | undefined; onHeader?: (header: string[]) => void },
): AsyncGenerator<FileRow> {
  const skipped: FileRow[] = [];
  const parser = parse({
    bom: true,
    info: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    ...(opts.delimiter ? { delimiter: opts.delimiter } : {}),
    on_skip: (error, raw) => {
      const context = (error ?? {}) as { lines?: unknown; message?: unknown };
      skipped.push({
        line: typeof context.lines === 'number' ? context.lines : 0,
        bytes: 0,
        kind: 'error',
        reason: `unreadable CSV row: ${String(context.message ?? 'parse error')}`,
        raw: (raw ?? '').slice(0, 2000),
      });
      return undefined;
    },
  });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  let header: Map<string, number> | undefined;
  for await (const item of parser) {
    if (!isCsvRecord(item)) continue;
    // The parser runs ahead of this loop, so a skipped row may be reported before records
    // that precede it: rows must come out in line order, or a checkpoint could pass one by.
    while (skipped.length > 0 && (skipped[0]?.line ?? 0) < item.info.lines) {
      const next = skipped.shift();
      if (next) yield next;
    }
    if (!header) {
      header = new Map(item.record.map((name, i) => [name.trim(), i]));
      opts.onHeader?.(item.record.map((name) => name.trim()));
      continue;
    }
    yield {
      line: item.info.lines,
      bytes: item.info.bytes,
      kind: 'csv',
      header,
      cells: item.record,
    };
  }
  yield* skipped;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON Lines, streamed with a bound on the line length: a longer line is reported and skipped
 * without being held in memory (readline would buffer it whole).
 */
export async function* jsonlRows(input: Readable, maxLineBytes: number): AsyncGenerator<FileRow> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let line = 0;
  let bytes = 0;
  const finish = (): FileRow | undefined => {
    line++;
    if (tooLong) {
      return {
        line,
        bytes,
        kind: 'error',
        reason: `line is longer than ${maxLineBytes} bytes`,
        raw: '',
      };
    }
    const buffer = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, size);
    let text: string;
    try {
      text = utf8.decode(buffer).replace(/\r$/, '');
    } catch {
      return { line, bytes, kind: 'error', reason: 'line is not valid UTF-8', raw: '' };
    }
    if (text.trim() === '') return undefined;
    try {
      return { line, bytes, kind: 'json', value: JSON.parse(text) as unknown };
    } catch (error) {
      return {
        line,
        bytes,
        kind: 'error',
        reason: `not JSON: ${(error as Error).message}`,
        raw: text.slice(0, 2000),
      };
    }
  };
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(10, start);
      const end = newline === -1 ? chunk.length : newline;
      if (!tooLong) {
        if (size + (end - start) > maxLineBytes) {
          tooLong = true;
          parts = [];
        } else {
          parts.push(chunk.subarray(start, end));
          size += end - start;
        }
      }
      bytes += end - start + (newline === -1 ? 0 : 1);
      if (newline === -1) break;
      const row = finish();
      if (row) yield row;
      parts = [];
      size = 0;
      tooLong = false;
      start = newline + 1;
    }
  }
  if (size > 0 || tooLong) {
    const row = finish();
    if (row) yield row;
  }
}
