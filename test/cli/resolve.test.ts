import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../..');
const fake1000 = join(repoRoot, '../shared/data/identity/splink_fake_1000/fake_1000.csv');
const dir = mkdtempSync(join(tmpdir(), 'triad-resolve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function triad(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: {},
    isTty: false,
  });
  return { code, out, err };
}

if (!existsSync(fake1000))
  console.warn(`\n*** ${fake1000} is missing: the resolve CLI accuracy test is SKIPPED ***\n`);

describe('triad resolve', () => {
  it.skipIf(!existsSync(fake1000))(
    'resolves Splink fake_1000 and scores it against the truth column',
    async () => {
      const out = join(dir, 'fake.csv');
      const result = await triad(
        'resolve',
        fake1000,
        '--id-column',
        'unique_id',
        '--map',
        'first_name=first_name,last_name=surname,dob=dob,city=city,email=email',
        '--out',
        out,
        '--truth',
        'cluster',
      );
      expect(result.code).toBe(0);
      const f1 = Number(result.out[1]?.match(/F1 ([\d.]+)/)?.[1]);
      expect(f1).toBeGreaterThanOrEqual(0.87);
      const rows = readFileSync(out, 'utf8').trim().split('\n');
      expect(rows[0]).toBe('record_id,cluster_id');
      expect(rows).toHaveLength(1001);
    },
  );

  it('writes one row per record for a small file without a truth', async () => {
    const file = join(dir, 'people.csv');
    writeFileSync(file, 'id,first,last\n1,Ada,Lovelace\n2,Grace,Hopper\n');
    const out = join(dir, 'people-out.csv');
    const result = await triad(
      'resolve',
      file,
      '--id-column',
      'id',
      '--map',
      'first_name=first,last_name=last',
      '--out',
      out,
    );
    expect(result.code).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toEqual([
      'record_id,cluster_id',
      '1,1',
      '2,2',
    ]);
  });

  it.each([
    [
      ['resolve', 'x.csv', '--id-column', 'id', '--map', 'shoe_size=x', '--out', 'o.csv'],
      2,
      'unknown field "shoe_size"',
    ],
    [
      ['resolve', 'x.csv', '--id-column', 'id', '--map', 'nonsense', '--out', 'o.csv'],
      2,
      'FIELD=COLUMN',
    ],
    [
      ['resolve', '/nonexistent.csv', '--id-column', 'id', '--map', 'email=e', '--out', 'o.csv'],
      1,
      'nonexistent',
    ],
  ])('%j fails with one clear line', async (argv, code, message) => {
    const result = await triad(...argv);
    expect(result.code).toBe(code);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toContain(message);
  });
});
