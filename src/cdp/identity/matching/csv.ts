/**
 * A small streaming CSV reader and writer (RFC 4180 plus the Febrl layout). Fields may be
 * quoted with double quotes ("" inside a quoted field is one quote); quoted fields may span
 * lines. Unquoted fields are trimmed, which also absorbs the space that Febrl files put after
 * every comma; whitespace around a quoted field is dropped too.
 */
import { createReadStream } from 'node:fs';

/** Incremental parser: feed text chunks, collect complete rows. */
export class CsvParser {
  private field = '';
  private row: string[] = [];
  private inQuotes = false;
  /** Set after a closing quote: until the next delimiter, only whitespace is expected. */
  private afterQuote = false;
  /** Set when the current field began with a quote (so it is not trimmed). */
  private quoted = false;
  private pendingQuote = false;
  private pendingCr = false;

  constructor(private readonly delimiter = ',') {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n') {
      throw new RangeError(`unsupported CSV delimiter ${JSON.stringify(delimiter)}`);
    }
  }

  /** Parses a chunk and returns the rows it completed. */
  push(chunk: string): string[][] {
    const rows: string[][] = [];
    for (const ch of chunk) this.consume(ch, rows);
    return rows;
  }

  /** Flushes the last row (a file need not end with a newline). */
  end(): string[][] {
    const rows: string[][] = [];
    if (this.pendingQuote) {
      this.pendingQuote = false;
      this.inQuotes = false;
      this.afterQuote = true;
    }
    if (this.inQuotes) throw new SyntaxError('CSV ends inside a quoted field');
    if (this.field !== '' || this.row.length > 0 || this.quoted) this.endRow(rows);
    return rows;
  }

  private endField(): void {
    this.row.push(this.quoted ? this.field : this.field.trim());
    this.field = '';
    this.quoted = false;
    this.afterQuote = false;
  }

  private endRow(rows: string[][]): void {
    this.endField();
    // A blank line is not a record.
    if (!(this.row.length === 1 && this.row[0] === '')) rows.push(this.row);
    this.row = [];
  }

  private consume(ch: string, rows: string[][]): void {
    if (this.pendingCr) {
      this.pendingCr = false;
      if (ch === '\n') return;
    }
    if (this.pendingQuote) {
      this.pendingQuote = false;
      if (ch === '"') {
        this.field += '"';
        return;
      }
      this.inQuotes = false;
      this.afterQuote = true;
    }
    if (this.inQuotes) {
      if (ch === '"') this.pendingQuote = true;
      else this.field += ch;
      return;
    }
    if (ch === this.delimiter) {
      this.endField();
    } else if (ch === '\n' || ch === '\r') {
      this.endRow(rows);
      this.pendingCr = ch === '\r';
    } else if (ch === '"' && !this.afterQuote && this.field.trim() === '') {
      this.field = '';
      this.quoted = true;
      this.inQuotes = true;
    } else if (!this.afterQuote) {
      this.field += ch;
    } else if (ch.trim() !== '') {
      // Text after a closing quote ("ab"c) is kept rather than silently dropped.
      this.field += ch;
    }
  }
}

/** Parses a whole CSV text into rows. */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const parser = new CsvParser(delimiter);
  return [...parser.push(text), ...parser.end()];
}

/** Streams the rows of a CSV file (UTF-8; a leading byte-order mark is dropped). */
export async function* readCsvFile(file: string, delimiter = ','): AsyncGenerator<string[]> {
  const parser = new CsvParser(delimiter);
  let first = true;
  for await (const chunk of createReadStream(file, { encoding: 'utf8' })) {
    let text = String(chunk);
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    yield* parser.push(text);
  }
  yield* parser.end();
}

/**
 * Formats one CSV row. A field is quoted when it contains the delimiter, a quote or a line
 * break, or starts or ends with whitespace (which the reader would otherwise trim).
 */
export function formatCsvRow(values: readonly string[], delimiter = ','): string {
  return values
    .map((v) =>
      v.includes(delimiter) || /["\n\r]/.test(v) || v.trim() !== v
        ? `"${v.replace(/"/g, '""')}"`
        : v,
    )
    .join(delimiter);
}
