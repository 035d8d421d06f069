import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'triad-crm-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function triad(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: { TRIAD_DATA_DIR: dir },
    isTty: false,
  });
  return { code, out, err };
}

describe('triad crm', () => {
  it('imports a CSV with associations, reports rejects, and exports a filtered list', async () => {
    writeFileSync(join(dir, 'companies.csv'), 'domain,name\nacme.com,Acme\n');
    const companies = await triad(
      'crm',
      'import',
      join(dir, 'companies.csv'),
      '--object',
      'companies',
      '--map',
      'domain=domain,name=name',
    );
    expect(companies.code, companies.err.join('\n')).toBe(0);
    expect(companies.out[0]).toMatch(/^done: 1 created, 0 updated, 0 rejected/);
    writeFileSync(
      join(dir, 'contacts.csv'),
      'Email,Name,Stage,Domain\nann@x.com,Ann,lead,acme.com\nbob@x.com,Bob,nope,\n',
    );
    const errors = join(dir, 'errors.jsonl');
    const contacts = await triad(
      'crm',
      'import',
      join(dir, 'contacts.csv'),
      '--object',
      'contacts',
      '--map',
      'Email=email,Name=firstname,Stage=lifecyclestage',
      '--associate',
      'Domain=companies:domain',
      '--errors',
      errors,
    );
    expect(contacts.out[0]).toMatch(/^done: 1 created, 0 updated, 1 rejected/);
    expect(JSON.parse(readFileSync(errors, 'utf8').trim())).toMatchObject({
      row: 2,
      fields: ['lifecyclestage'],
    });
    const again = await triad(
      'crm',
      'import',
      join(dir, 'contacts.csv'),
      '--object',
      'contacts',
      '--map',
      'Email=email,Name=firstname,Stage=lifecyclestage',
      '--associate',
      'Domain=companies:domain',
      '--errors',
      errors,
    );
    expect(again.out[0]).toMatch(/import 2$/);
    const out = join(dir, 'out.csv');
    const exported = await triad(
      'crm',
      'export',
      '--object',
      'contacts',
      '--properties',
      'email,firstname',
      '--filter',
      'lifecyclestage:EQ:lead',
      '--out',
      out,
    );
    expect(exported.code, exported.err.join('\n')).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('ann@x.com,Ann');
  });

  it('explains a bad mapping', async () => {
    writeFileSync(join(dir, 'c.csv'), 'a\n1\n');
    const r = await triad(
      'crm',
      'import',
      join(dir, 'c.csv'),
      '--object',
      'contacts',
      '--map',
      'a=shoe_size',
    );
    expect(r.code).not.toBe(0);
    expect(r.err.join('\n')).toContain('shoe_size');
  });
});
