import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvRows, type FileRow, jsonlRows } from './file-rows.js';
import { buildMessage, MappingError, mappingFromHeader, parseMapSpec } from './row-mapping.js';

describe('parseMapSpec', () => {
  it('reads targets, kinds and columns', () => {
    expect(parseMapSpec('userId=id, traits.email=mail,properties.total:number=amount')).toEqual([
      { target: ['userId'], kind: 'string', column: 'id' },
      { target: ['traits', 'email'], kind: 'string', column: 'mail' },
      { target: ['properties', 'total'], kind: 'number', column: 'amount' },
    ]);
  });

  it.each([
    ['no equals sign', 'userId'],
    ['an empty column', 'userId='],
    ['an unknown kind', 'properties.x:date=a'],
    ['an unknown top-level target', 'type=a'],
    ['a container without a key', 'traits=a'],
    ['a prototype key', 'traits.__proto__=a'],
    ['a constructor key', 'properties.constructor.prototype=a'],
    ['an empty segment', 'traits..x=a'],
  ])('refuses %s', (_name, spec) => {
    expect(() => parseMapSpec(spec)).toThrow(MappingError);
  });

  it('maps only header names that are targets', () => {
    expect(
      mappingFromHeader(['userId', 'traits.email', 'notes', 'type']).map((m) => m.column),
    ).toEqual(['userId', 'traits.email']);
  });
});

describe('buildMessage', () => {
  const mapping = parseMapSpec(
    'userId=id,properties.total:number=t,properties.paid:boolean=p,properties.items:json=j,context.app.name=app',
  );
  const row: Record<string, string> = { id: 'u1', t: ' 12.5 ', p: 'yes', j: '[1,2]', app: '' };

  it('converts cells by kind, nests targets and leaves empty cells out', () => {
    expect(buildMessage('track', mapping, (c) => row[c])).toEqual({
      type: 'track',
      userId: 'u1',
      properties: { total: 12.5, paid: true, items: [1, 2] },
    });
  });

  it.each([
    ['t', 'abc', 'not a number'],
    ['p', 'maybe', 'not a boolean'],
    ['j', '{', 'not JSON'],
  ])('reports an unconvertible %s cell', (column, value, reason) => {
    expect(() => buildMessage('track', mapping, (c) => (c === column ? value : row[c]))).toThrow(
      reason,
    );
  });
});

async function collectRows(rows: AsyncGenerator<FileRow>) {
  const out: FileRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

describe('file rows', () => {
  it('reads JSONL with CRLF, blank lines, bad JSON and an overlong line, in line order', async () => {
    const text = `{"a":1}\r\n\n{bad\n${JSON.stringify({ s: 'x'.repeat(300) })}\n{"b":2}`;
    const rows = await collectRows(jsonlRows(Readable.from([Buffer.from(text)]), 100));
    expect(rows.map((r) => [r.line, r.kind])).toEqual([
      [1, 'json'],
      [3, 'error'],
      [4, 'error'],
      [5, 'json'],
    ]);
    expect(rows[2]).toMatchObject({ reason: 'line is longer than 100 bytes' });
  });

  it('splits lines across chunk boundaries and rejects invalid UTF-8', async () => {
    const chunks = [
      Buffer.from('{"a":'),
      Buffer.from('1}\n{"b":"'),
      Buffer.from([0xff]),
      Buffer.from('"}\n'),
    ];
    const rows = await collectRows(jsonlRows(Readable.from(chunks), 1_000));
    expect(rows).toMatchObject([
      { line: 1, kind: 'json', value: { a: 1 } },
      { line: 2, kind: 'error', reason: 'line is not valid UTF-8' },
    ]);
  });

  it('reads CSV with quoted commas and reports rows with the wrong number of cells', async () => {
    const text = 'id,note\nu1,"a, b"\nu2,x,extra\nu3,"multi\nline"\nu4,y\n';
    const rows = await collectRows(csvRows(Readable.from([text]), {}));
    expect(rows.map((r) => [r.line, r.kind])).toEqual([
      [2, 'csv'],
      [3, 'error'],
      [5, 'csv'],
      [6, 'csv'],
    ]);
    expect(rows[0]).toMatchObject({ cells: ['u1', 'a, b'] });
  });
});
