import Database from 'better-sqlite3';

/**
 * Every value of every table of a SQLite file, whatever the column's declared type, read as
 * text (blobs decoded as UTF-8) and searched for the needles, case-insensitively. Answers
 * `table.column holds needle` per hit, and the number of tables scanned.
 */
export function scanSqliteFile(
  file: string,
  needles: string[],
): { hits: string[]; tables: number; rows: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const lower = needles.map((n) => n.toLowerCase());
    const tables = db.prepare(`select name from sqlite_master where type = 'table'`).all() as {
      name: string;
    }[];
    const hits: string[] = [];
    let rows = 0;
    for (const { name } of tables) {
      const quoted = `"${name.replaceAll('"', '""')}"`;
      for (const row of db.prepare(`select * from ${quoted}`).iterate() as Iterable<
        Record<string, unknown>
      >) {
        rows++;
        for (const [column, value] of Object.entries(row)) {
          if (value === null || value === undefined) continue;
          const text = (
            Buffer.isBuffer(value) ? value.toString('utf8') : String(value)
          ).toLowerCase();
          for (const needle of lower) {
            if (text.includes(needle)) hits.push(`${name}.${column} holds ${needle}`);
          }
        }
      }
    }
    return { hits: [...new Set(hits)], tables: tables.length, rows };
  } finally {
    db.close();
  }
}

/** Rows of one table, for the assertions about what is kept on purpose. */
export function rowsOf(file: string, table: string): Record<string, unknown>[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(`select * from "${table}"`).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}
