import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { defaultDmpConfig } from '../../src/config.js';
import { touchId } from '../../src/dmp/ids/id.repository.js';
import { dmpCommandDeps } from '../../src/dmp/index.js';
import { createTrait } from '../../src/dmp/traits/trait.service.js';
import { systemClock } from '../../src/kernel/clock.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { openStore } from '../../src/storage/store.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'triad-dmp-cli-'));
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

describe('triad dmp', () => {
  it('onboards a file of DMP IDs into an onboarded trait', async () => {
    const store = openStore({ engine: 'sqlite', file: join(dataDir, 'triad.db') });
    await migrateToLatest(store.db);
    const deps = await dmpCommandDeps({
      db: store.db,
      clock: systemClock,
      log: silentLogger,
      config: defaultDmpConfig,
    });
    const trait = await createTrait(deps, { name: 'crm list', kind: 'onboarded' });
    const known = 'td_0123456789abcdefghjkmnpqrs';
    await touchId(store.db, known, new Date().toISOString(), true);
    await deps.dmp.close();
    await store.close();

    const file = join(dataDir, 'ids.txt');
    writeFileSync(file, `${known}\ntd_zzzzzzzzzzzzzzzzzzzzzzzzzz\n\n`);
    const ok = await triad('dmp', 'onboard', file, '--trait', trait.id);
    expect(ok.err).toEqual([]);
    expect(ok.out).toEqual(['onboarded 1 IDs; 1 unknown']);

    writeFileSync(file, 'jane.doe@example.com\n');
    const refused = await triad('dmp', 'onboard', file, '--trait', trait.id, '--type', 'hem');
    expect(refused.code).toBe(2);
    expect(refused.err.join('\n')).toContain('line 1');
    expect(refused.err.join('\n')).not.toContain('jane');

    const retention = await triad('dmp', 'retention');
    expect(retention.out).toEqual(['purged 0 IDs and 0 old ad-server events; requalified 0 IDs']);
  });
});
