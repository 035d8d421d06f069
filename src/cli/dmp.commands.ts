import { readFile } from 'node:fs/promises';
import { loadConfig } from '../config.js';
import { type DmpDeps, dmpCommandDeps, onboardTrait } from '../dmp/index.js';
import { systemClock } from '../kernel/clock.js';
import { AppError } from '../kernel/errors.js';
import { silentLogger } from '../kernel/logger.js';
import { migrateToLatest } from '../storage/migrate.js';
import { openStore } from '../storage/store.js';
import { parseCommandArgs, requireString, UsageError } from './args.js';
import type { Command } from './commands.js';

const ID_TYPES = ['dmp', 'ifa', 'hem', 'partner'] as const;
const BATCH = 5_000;

const usage = `triad dmp onboard FILE --trait TRAIT_ID [--type dmp|ifa|hem|partner] [--partner ID]
    realizes an onboarded trait for the IDs in FILE (one per line; default type: dmp).
    hem = SHA-256 hex of a normalised e-mail; plain e-mails are refused.
triad dmp retention
    runs the retention job once (purges unseen IDs, expires trait qualifications)`;

/** Opens the store and a DMP runtime (no timers), runs `work`, and always closes both. */
async function withDmp<T>(
  env: Record<string, string | undefined> | undefined,
  work: (deps: DmpDeps) => Promise<T>,
): Promise<T> {
  const config = loadConfig(env);
  const store = openStore(config.storage);
  try {
    await migrateToLatest(store.db);
    const deps = await dmpCommandDeps({
      db: store.db,
      clock: systemClock,
      log: silentLogger,
      config: config.dmp,
    });
    try {
      return await work(deps);
    } finally {
      await deps.dmp.close();
    }
  } finally {
    await store.close();
  }
}

/** CLI commands of the DMP (triad dmp ...). */
export const dmpCommands: Record<string, Command> = {
  dmp: {
    summary: 'DMP tasks: onboard offline IDs into a trait, run retention',
    usage,
    async run(argv, io) {
      const { values, positionals } = parseCommandArgs(argv, {
        trait: { type: 'string' },
        type: { type: 'string' },
        partner: { type: 'string' },
      });
      const [action, file] = positionals;
      if (action === 'retention') {
        const report = await withDmp(io.env, (deps) => deps.dmp.runRetention());
        io.out(
          `purged ${report.purgedIds} IDs and ${report.purgedMediaHits} old ad-server events; requalified ${report.requalifiedIds} IDs`,
        );
        return;
      }
      if (action !== 'onboard') throw new UsageError(`unknown action; usage:\n${usage}`);
      const path = requireString(file, 'FILE');
      const trait = requireString(values.trait, '--trait');
      const type = values.type ?? 'dmp';
      if (!(ID_TYPES as readonly string[]).includes(type)) {
        throw new UsageError(`--type is one of ${ID_TYPES.join(', ')}`);
      }
      if (type === 'partner' && values.partner === undefined) {
        throw new UsageError('--partner is required with --type partner');
      }
      const lines = (await readFile(path, 'utf8'))
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '');
      const totals = await withDmp(io.env, async (deps) => {
        let matched = 0;
        let unmatched = 0;
        for (let i = 0; i < lines.length; i += BATCH) {
          const refs = lines
            .slice(i, i + BATCH)
            .map((value) => ({ type, value, partner: values.partner }));
          try {
            const outcome = await onboardTrait(deps, trait, refs);
            matched += outcome.matched;
            unmatched += outcome.unmatched;
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            // Field names say which line; the values themselves are not echoed.
            const where = error.details.map((d) =>
              d.field?.replace(/^ids\[(\d+)\]/, (_m, n) => `line ${i + Number(n) + 1}`),
            );
            throw new UsageError(`${error.message}${where.length ? ` (${where.join(', ')})` : ''}`);
          }
        }
        return { matched, unmatched };
      });
      io.out(`onboarded ${totals.matched} IDs; ${totals.unmatched} unknown`);
    },
  },
};
