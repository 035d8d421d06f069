import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';
import { febrlEntity, loadPersonCsv, resolveCsvFile } from './resolve-csv.js';
import { generatePopulation } from './synthetic/population.js';

const dir = mkdtempSync(join(tmpdir(), 'resolve-csv-'));

describe('febrlEntity', () => {
  it('reads the entity number of original and duplicate ids', () => {
    expect(febrlEntity('rec-12-org')).toBe('12');
    expect(febrlEntity(' rec-12-dup-3 ')).toBe('12');
    expect(() => febrlEntity('12')).toThrow(SyntaxError);
  });
});

describe('resolveCsvFile', () => {
  // A generated population written as a Febrl-style file (", " separators), with a comma
  // inside a quoted city to exercise quoting.
  const population = generatePopulation({ records: 600, seed: 17 });
  const header = 'rec_id, given_name, surname, dob, email, town, phone';
  const lines = population.records.map((r, i) => {
    const entity = (population.truth[i] ?? '').replace('person-', '');
    const id = `rec-${entity}-${i}`;
    const town = i === 0 ? '"Newcastle, upon Tyne"' : (r.city ?? '');
    return [id, r.first_name, r.last_name, r.dob, r.email, town, r.phone]
      .map((v) => v ?? '')
      .join(', ');
  });
  const file = join(dir, 'people.csv');
  writeFileSync(file, `${header}\n${lines.join('\n')}\n`);
  const map = {
    first_name: 'given_name',
    last_name: 'surname',
    dob: 'dob',
    email: 'email',
    city: 'town',
    phone: 'phone',
  };

  it('writes one record_id,cluster_id row per record and scores against a truth function', async () => {
    const out = join(dir, 'clusters.csv');
    const result = await resolveCsvFile({
      file,
      idColumn: 'rec_id',
      map,
      out,
      truth: (row) => (row.rec_id ?? '').split('-')[1] ?? '',
    });
    const rows = parseCsv(readFileSync(out, 'utf8'));
    expect(rows[0]).toEqual(['record_id', 'cluster_id']);
    expect(rows).toHaveLength(population.records.length + 1);
    expect(rows[1]?.[0]).toMatch(/^rec-\d+-0$/);
    const clusterIds = new Set(rows.slice(1).map((r) => r[1]));
    expect(clusterIds.size).toBe(result.clusters);
    // Every cluster id is the id of one of its records.
    const recordIds = new Set(rows.slice(1).map((r) => r[0]));
    for (const id of clusterIds) expect(recordIds.has(id ?? '')).toBe(true);
    expect(result.metrics?.truePairs).toBeGreaterThan(50);
    expect(result.metrics?.f1).toBeGreaterThan(0.85);
    expect(result.largestCluster).toBeGreaterThanOrEqual(2);
  });

  it('reads the quoted value with a comma in it', async () => {
    const loaded = await loadPersonCsv({ file, idColumn: 'rec_id', map });
    expect(loaded.records[0]?.city).toBe('Newcastle, upon Tyne');
    expect(loaded.truth).toBeUndefined();
  });

  it('takes the truth from a column', async () => {
    const loaded = await loadPersonCsv({ file, idColumn: 'rec_id', map, truthColumn: 'surname' });
    expect(loaded.truth?.[0]).toBe(population.records[0]?.last_name ?? '');
  });

  it('derives Febrl truth from the id column', async () => {
    const febrlFile = join(dir, 'febrl.csv');
    writeFileSync(
      febrlFile,
      'rec_id, given_name, surname\nrec-1-org, ann, lee\nrec-1-dup-0, anne, lee\nrec-2-org, bo, kim\n',
    );
    const result = await resolveCsvFile({
      file: febrlFile,
      idColumn: 'rec_id',
      map: { first_name: 'given_name', last_name: 'surname' },
      out: join(dir, 'febrl-out.csv'),
      truth: 'febrl-rec-id',
    });
    expect(result.metrics?.truePairs).toBe(1);
    expect(result.records).toBe(3);
  });

  it('reports missing columns and repeated ids', async () => {
    await expect(
      resolveCsvFile({
        file,
        idColumn: 'rec_id',
        map: { dob: 'birthday' },
        out: join(dir, 'x.csv'),
      }),
    ).rejects.toThrow(/no column "birthday"/);
    const dupFile = join(dir, 'dup.csv');
    writeFileSync(dupFile, 'id,first\n1,a\n1,b\n');
    await expect(
      loadPersonCsv({ file: dupFile, idColumn: 'id', map: { first_name: 'first' } }),
    ).rejects.toThrow(/appears twice/);
  });
});
