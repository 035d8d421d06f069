import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvParser, formatCsvRow, parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads the Febrl layout: comma and one space, every value as text', () => {
    const text =
      'rec_id, given_name, surname, postcode, date_of_birth\n' +
      'rec-1-org, sarah, bruhn, 0810, 19300213\n' +
      'rec-1-dup-0, , bruhn, 0810, \n';
    expect(parseCsv(text)).toEqual([
      ['rec_id', 'given_name', 'surname', 'postcode', 'date_of_birth'],
      ['rec-1-org', 'sarah', 'bruhn', '0810', '19300213'],
      ['rec-1-dup-0', '', 'bruhn', '0810', ''],
    ]);
  });

  it('handles quotes, escaped quotes, delimiters and line breaks inside quotes, CRLF', () => {
    const text = 'id,name,note\r\n1,"Smith, Jo","said ""hi""\nthen left"\r\n2, "padded" ,x';
    expect(parseCsv(text)).toEqual([
      ['id', 'name', 'note'],
      ['1', 'Smith, Jo', 'said "hi"\nthen left'],
      ['2', 'padded', 'x'],
    ]);
  });

  it('supports another delimiter and skips blank lines', () => {
    expect(parseCsv('a;b\n\n1;2\n', ';')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('rejects an unterminated quoted field', () => {
    expect(() => parseCsv('a,"open\n')).toThrow(SyntaxError);
  });

  it('gives the same rows however the input is chunked', () => {
    const text = 'id,name\n1,"a ""b"", c"\r\n2,d\n';
    const parser = new CsvParser();
    const rows = [...text].flatMap((ch) => parser.push(ch));
    rows.push(...parser.end());
    expect(rows).toEqual(parseCsv(text));
  });

  it('round-trips what formatCsvRow writes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ maxLength: 8 }), { minLength: 2, maxLength: 4 }), {
          minLength: 1,
          maxLength: 5,
        }),
        (rows) => {
          const text = rows.map((r) => formatCsvRow(r)).join('\n');
          expect(parseCsv(text)).toEqual(rows);
        },
      ),
    );
  });
});
