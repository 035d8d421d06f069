import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveToken } from '../../src/access/tokens/token.service.js';
import { findSourceByWriteKey } from '../../src/cdp/sources/source.service.js';
import { runCli } from '../../src/cli/main.js';
import { systemClock } from '../../src/kernel/clock.js';
import { openStore } from '../../src/storage/store.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'triad-cli-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function triad(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: { TRIAD_DATA_DIR: dataDir },
    isTty: false,
  });
  return { code, out, err };
}

async function withDb<T>(
  work: (deps: { db: ReturnType<typeof openStore>['db']; clock: typeof systemClock }) => Promise<T>,
) {
  const store = openStore({ engine: 'sqlite', file: join(dataDir, 'triad.db') });
  try {
    return await work({ db: store.db, clock: systemClock });
  } finally {
    await store.close();
  }
}

describe('triad CLI', () => {
  it('migrate applies the schema, then reports it up to date', async () => {
    expect(await triad('migrate')).toMatchObject({
      code: 0,
      out: [expect.stringContaining('Applied: 0001_foundation')],
    });
    expect(await triad('migrate')).toMatchObject({ code: 0, out: ['Schema is up to date.'] });
  });

  it('token create prints a working token of the role; list and revoke work', async () => {
    const created = await triad('token', 'create', '--role', 'analyst', '--name', 'reports');
    expect(created.code).toBe(0);
    const token = created.out[0] as string;
    expect(token).toMatch(/^triad_/);
    const resolved = await withDb((deps) => resolveToken(deps, token));
    expect(resolved).toMatchObject({ role: 'analyst', name: 'reports' });

    const list = await triad('token', 'list');
    expect(list.out.join('\n')).toContain('reports');
    expect(list.out.join('\n')).not.toContain(token);
    const revoked = await triad('token', 'revoke', resolved?.id as string);
    expect(revoked.code).toBe(0);
    expect(await withDb((deps) => resolveToken(deps, token))).toBeUndefined();
  });

  it('user create makes the first console user, generating a password when none is given', async () => {
    const withPassword = await triad(
      'user',
      'create',
      'admin@example.com',
      '--role',
      'admin',
      '--password',
      'a-strong-password',
    );
    expect(withPassword).toMatchObject({
      code: 0,
      out: [expect.stringContaining('admin@example.com')],
    });
    const generated = await triad('user', 'create', 'sam@example.com', '--role', 'sales');
    expect(generated.out[1]).toMatch(/^Password \(shown once\): pw_/);
    const duplicate = await triad('user', 'create', 'sam@example.com', '--role', 'sales');
    expect(duplicate.code).toBe(1);
    expect(duplicate.err).toEqual([expect.stringContaining('already exists')]);
  });

  it('source create prints the write key of a new source', async () => {
    const created = await triad('source', 'create', 'iOS', 'app');
    expect(created.code).toBe(0);
    const source = await withDb((deps) => findSourceByWriteKey(deps, created.out[0] as string));
    expect(source).toMatchObject({ name: 'iOS app', enabled: true });
  });

  it.each([
    [['token', 'create', '--role', 'wizard'], 1, 'role must be one of'],
    [['token', 'create'], 2, '--role is required'],
    [['token', 'create', '--bogus'], 2, 'bogus'],
    [['frobnicate'], 2, 'unknown command'],
    [['user', 'create', 'not-an-email', '--role', 'admin'], 1, 'valid e-mail'],
    [
      ['user', 'create', 'a@example.com', '--role', 'admin', '--password', 'short'],
      1,
      'at least 10',
    ],
    [['source'], 2, 'expected one of'],
    [['start', '--role', 'boss'], 2, '--role must be all, api or worker'],
  ])('%j fails with exit %i and one clear line', async (argv, code, message) => {
    const result = await triad(...argv);
    expect(result.code).toBe(code);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toContain(message);
  });

  it('bad configuration is one clear line, not a stack trace', async () => {
    const err: string[] = [];
    const code = await runCli(['migrate'], {
      out: () => {},
      err: (l) => err.push(l),
      env: { DATABASE_URL: 'mysql://x' },
      isTty: false,
    });
    expect(code).toBe(1);
    expect(err).toEqual([
      'triad migrate: DATABASE_URL must start with postgres://, postgresql:// or sqlite:',
    ]);
  });

  it.each(['start', 'migrate', 'token', 'user', 'source'])(
    '%s --help explains itself',
    async (command) => {
      const result = await triad(command, '--help');
      expect(result.code).toBe(0);
      expect(result.out[0]).toMatch(new RegExp(`^Usage: triad ${command}`));
    },
  );

  it('--help lists every command', async () => {
    const result = await triad('--help');
    expect(result.code).toBe(0);
    for (const command of ['start', 'migrate', 'token', 'user', 'source'])
      expect(result.out[0]).toContain(command);
  });
});
